#!/usr/bin/env bash
# bench/all: every benchmark in turn (serve, async, oip, uploads, train, swap, faults at scale 1), then one table of
# what each printed: the figure, the peer's figure from the same run, their ratio, and the commit measured. The table is
# appended to bench/history.md (committed), so a regression shows beside the figures before it. Run it by hand before
# and after work on a hot path; it takes ~30 minutes on 2 cores. BENCHES ("serve async oip uploads train swap faults")
# picks some; each bench's own settings (bench/README.md) pass through. Each bench's whole output: bench/.work/all/.
set -uo pipefail
cd "$(dirname "$0")/../.."
benches="${BENCHES:-serve async oip uploads train swap faults}"
logs="$PWD/bench/.work/all"; mkdir -p "$logs"
export BENCH_FIGURES="$logs/figures.tsv"; : > "$BENCH_FIGURES"
commit=$(git rev-parse --short HEAD)
# A run of uncommitted code says so: its figures are not that commit's.
[ -z "$(git status --porcelain --untracked-files=no -- . ':!bench/history.md')" ] || commit="$commit+changes"
started=$(date -u '+%Y-%m-%d %H:%M UTC')
failed=()
for b in $benches; do
  echo "== bench/$b ($(date -u +%H:%M:%S))"
  case $b in
    faults) FAULTS_SCALE=1 bench/faults/run.sh > "$logs/$b.log" 2>&1 ;;
    *) "bench/$b/run.sh" > "$logs/$b.log" 2>&1 ;;
  esac
  status=$?
  if [ "$status" -ne 0 ]; then
    failed+=("$b"); printf '%s\t%s\t%s\t-\t-\n' "$b" "FAILED (exit $status; bench/.work/all/$b.log)" "-" >> "$BENCH_FIGURES"
    tail -5 "$logs/$b.log"
  fi
done

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
table() {
  echo "| bench | figure | project | peer (same run) | ratio |"
  echo "|---|---|---|---|---|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$BENCH_FIGURES"
}
echo
echo "bench/all: $started, commit $commit, $(nproc) cores ($cpu)"
table
{
  echo
  echo "## $started · $commit"
  echo
  echo "$(nproc) cores, $cpu; benches: $benches${failed[*]:+; failed: ${failed[*]}}"
  echo
  table
} >> bench/history.md
echo "(appended to bench/history.md)"
[ ${#failed[@]} -eq 0 ]
