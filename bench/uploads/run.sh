#!/usr/bin/env bash
# bench/uploads: how well everyday uploads are read, family by family (Model/Evaluation/UploadStyle.cs: sideways phone
# photos, ruled and squared paper, coloured pens photographed small, the page on a desk, lossy and animated WebP, and
# the styles covered before), by this project's preprocessing beside the seed's own (PIL's convert("L") plus the
# resize to 28x28 the seed lacks), both feeding the same model file, on the same seeded images (not the gate's: another
# seed); then the CPU per upload of the preprocessing now beside earlier builds of it (BASELINES: f39cfb0, before issue
# 17, and 0d3a42b, before issue 35), for the seed's 28x28 PNG, a 280x280 canvas drawing and a 12-megapixel photo,
# alternated in one process; and whether the model's 28x28 inputs are still 0d3a42b's, upload for upload
# (bench/Bench model-inputs: every family and the tests' images, MODEL_INPUTS_PER_FAMILY each, 100).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
ensure_tools
ensure_apt python3-torch python3-torchvision python3-pil
./scripts/fetch-mnist.sh >/dev/null
per_family="${PER_FAMILY:-300}"
seed="${SEED:-20261201}"
baselines="${BASELINES:-f39cfb0 0d3a42b}"
work="$PWD/bench/.work"; mkdir -p "$work"
dotnet build bench/Bench/Bench.csproj -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build Services/Trainer/Trainer.csproj -c Release -nologo -clp:ErrorsOnly >/dev/null
bench_tool="$PWD/bench/Bench/bin/Release/net10.0/MnistEvents.Bench"
source bench/project-model.sh
project_model "$work/mnist.pt"

# The preprocessing as it was at commit $1, built beside this checkout (with the contracts it came to reference); prints its dll.
baseline_dll() {
  local before="$work/baseline-$1" dll="$work/baseline-$1/Imaging/bin/Release/net10.0/MnistEvents.Imaging.dll"
  if [ ! -f "$dll" ]; then
    rm -rf "$before"; mkdir -p "$before"
    git archive "$1" Imaging build Directory.Build.props Directory.Build.targets Directory.Packages.props global.json | tar -x -C "$before"
    if git cat-file -e "$1:Contracts" 2>/dev/null; then git archive "$1" Contracts | tar -x -C "$before"; fi
    dotnet build "$before/Imaging/Imaging.csproj" -c Release -nologo -clp:ErrorsOnly >/dev/null
  fi
  echo "$dll"
}
source bench/figures.sh

out="$work/uploads"; rm -rf "$out"
echo "== project: the gateway's DigitPreprocessor, $per_family uploads per family (seed $seed), model $work/mnist.pt"
"$bench_tool" uploads "$work/mnist.pt" "$per_family" "$seed" "$out" | tee "$work/uploads-project.txt"
echo "== peer: the seed's preprocessing (PIL $(/usr/bin/python3 -c 'import PIL; print(PIL.__version__)'): convert(\"L\"), resize 28x28), the same model in PyTorch"
/usr/bin/python3 bench/uploads/seed_preprocessing.py "$out" "$work/mnist.pt" | tee "$work/uploads-peer.tsv"

echo
awk -F'\t' 'NR == FNR { peer[$1] = 100 * $2 / $3; next }
  $2 ~ /\// { split($2, r, "/"); p = 100 * r[1] / r[2]; worst = (n++ == 0 || p < worst) ? p : worst
              q = peer[$1]; printf "%-14s project %6.1f%%   seed %6.1f%%   project/seed %6.2fx\n", $1, p, q, (q > 0 ? p / q : 0) }
  END { printf "worst family: project %.1f%% (the issue asks at least 98%% on every family)\n", worst }' \
  "$work/uploads-peer.tsv" <(sed -E 's/ +/\t/g' "$work/uploads-project.txt")
echo "(misread digits, as the model saw them: $out/<family>-misread.png; the files: $out/<family>/)"

bench_figure uploads "worst family's accuracy % (peer: the seed's preprocessing, same model, its worst)" \
  "$(awk '$2 ~ /\// { split($2, r, "/"); p = 100 * r[1] / r[2]; if (n++ == 0 || p < w) w = p } END { printf "%.1f", w }' <(sed -E 's/ +/\t/g' "$work/uploads-project.txt"))" \
  "$(awk -F'\t' '{ p = 100 * $2 / $3; if (n++ == 0 || p < w) w = p } END { printf "%.1f", w }' "$work/uploads-peer.tsv")"
awk -F'\t' 'NR == FNR { peer[$1] = 100 * $2 / $3; next } $2 ~ /\// { split($2, r, "/"); printf "%s\t%.1f\t%.1f\n", $1, 100 * r[1] / r[2], peer[$1] }' \
  "$work/uploads-peer.tsv" <(sed -E 's/ +/\t/g' "$work/uploads-project.txt") |
  while IFS=$'\t' read -r family p q; do bench_figure uploads "accuracy % on $family (peer: the seed's preprocessing)" "$p" "$q" "$(ratio "$p" "$q")"; done

for baseline in $baselines; do
  echo
  echo "== CPU per upload: the preprocessing now beside commit $baseline's"
  "$bench_tool" preprocessing-cost "$(baseline_dll "$baseline")" | tee "$work/uploads-cost-$baseline.txt"
  # "upload name... now before ratio": the figure is the upload, the peer column the earlier build's.
  awk 'NR > 1 { r = $NF; b = $(NF - 1); n = $(NF - 2); $NF = $(NF - 1) = $(NF - 2) = ""; sub(/ +$/, ""); print $0 "\t" n "\t" b "\t" r }' "$work/uploads-cost-$baseline.txt" |
    while IFS=$'\t' read -r upload n b r; do bench_figure uploads "CPU ms per upload, $upload (beside: commit $baseline's preprocessing)" "$n" "$b" "${r%x}"; done
done

echo
echo "== the model's inputs now beside commit 0d3a42b's (before issue 35), upload for upload"
# A difference is reported, not a failure: a change meant to read uploads differently is judged by the accuracy above.
{ "$bench_tool" model-inputs "$(baseline_dll 0d3a42b)" "${MODEL_INPUTS_PER_FAMILY:-100}" "$seed" || true; } | tee "$work/uploads-inputs.txt"
bench_figure uploads "uploads whose 28x28 input differs from 0d3a42b's (of $(awk 'NR > 1 && NF == 5 { n += $2 } END { print n }' "$work/uploads-inputs.txt"))" \
  "$(awk 'NR > 1 && NF == 5 { d += $3 } END { print d + 0 }' "$work/uploads-inputs.txt")"
