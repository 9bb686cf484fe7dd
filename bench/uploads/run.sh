#!/usr/bin/env bash
# bench/uploads: how well everyday uploads are read, family by family (Model/Evaluation/UploadStyle.cs: sideways phone
# photos, ruled and squared paper, coloured pens photographed small, the page on a desk, lossy and animated WebP, and
# the styles covered before), by this project's preprocessing beside the seed's own (PIL's convert("L") plus the
# resize to 28x28 the seed lacks), both feeding the same model file, on the same seeded images (not the gate's: another
# seed); then the CPU per upload of the preprocessing now beside the one before issue 17 (commit $BASELINE), for a
# 280x280 canvas drawing and a 12-megapixel photo, alternated in one process.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
ensure_tools
ensure_apt python3-torch python3-torchvision python3-pil
./scripts/fetch-mnist.sh >/dev/null
per_family="${PER_FAMILY:-300}"
seed="${SEED:-20261201}"
baseline="${BASELINE:-f39cfb0}"
work="$PWD/bench/.work"; mkdir -p "$work"
dotnet build bench/Bench/Bench.csproj -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build Services/Trainer/Trainer.csproj -c Release -nologo -clp:ErrorsOnly >/dev/null
bench_tool="$PWD/bench/Bench/bin/Release/net10.0/MnistEvents.Bench"
source bench/project-model.sh
project_model "$work/mnist.pt"

# The preprocessing as it was, built from its own commit beside this checkout.
before="$work/baseline-$baseline"
before_dll="$before/Imaging/bin/Release/net10.0/MnistEvents.Imaging.dll"
if [ ! -f "$before_dll" ]; then
  rm -rf "$before"; mkdir -p "$before"
  git archive "$baseline" Imaging build Directory.Build.props Directory.Build.targets Directory.Packages.props global.json | tar -x -C "$before"
  dotnet build "$before/Imaging/Imaging.csproj" -c Release -nologo -clp:ErrorsOnly >/dev/null
fi

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

echo
echo "== CPU per upload: the preprocessing now beside commit $baseline's (the issue allows at most 2x)"
"$bench_tool" preprocessing-cost "$before_dll"
