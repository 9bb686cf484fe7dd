#!/usr/bin/env bash
# bench/faults: the fault suite (tests/FaultTests) at a larger scale, its counts as one table: each scenario's injected
# fault, requests sent, answered, refused with a reason, lost (must be 0), and the model served afterwards; and the
# noisy neighbour's victim: answered (must be all) and its p50/p99 beside the flood against its own unloaded figures;
# and the gateway's peak RSS with its async and corrections stores filled by many clients (the defaults at scale 10).
# FAULTS_SCALE (default 10) multiplies every request count of the suite; its own RabbitMQ node runs on :5677.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
ensure_tools
ensure_apt rabbitmq-server
./scripts/fetch-mnist.sh >/dev/null
dotnet build tests/FaultTests -c Release -nologo -clp:ErrorsOnly >/dev/null
log="$(mktemp)"
status=0
FAULTS_SCALE="${FAULTS_SCALE:-10}" dotnet test tests/FaultTests -c Release --no-build --nologo \
  --logger "console;verbosity=detailed" > "$log" 2>&1 || status=$?
echo "fault suite at scale ${FAULTS_SCALE:-10} ($(grep -oE 'Passed: +[0-9]+|Failed: +[0-9]+' "$log" | tr '\n' ' '))"
printf '%-22s %8s %9s %8s %5s  %-28s %s\n' scenario sent answered refused lost served injected
grep -E '^ *FAULTS \|' "$log" | sed -E 's/^ *FAULTS \| //' | awk -F' \\| ' \
  '{ printf "%-22s %8s %9s %8s %5s  %-28s %s\n", $1, $3, $4, $5, $6, $7, $2 }'
grep -E '^ *NOISY \|' "$log" | sed -E 's/^ *NOISY \| //' | awk -F' \\| ' '{ printf "noisy neighbour: the victim had %s answered; p50/p99 alone %s/%s ms, beside the flood %s/%s ms (p99 %.2fx); the neighbour: %s\n", $1, $2, $3, $4, $5, ($3 > 0 ? $5 / $3 : 0), $6 }'
grep -E '^ *STORES \|' "$log" | sed -E 's/^ *STORES \| //' | awk -F' \\| ' '{ printf "full stores: %s async predictions from %s clients and %s corrections from %s clients kept (%s MB on the volume); the gateway'"'"'s peak RSS %s MiB of its %s MiB Kubernetes limit (%s once the async store was full, %s once the corrections were too, then the rest reading them); refused: %s\n", $1, $2, $3, $4, $6, $5, $7, $8, $9, $10 }'
grep -E '^ *lost:' "$log" | head -5 || true
source bench/figures.sh
grep -E '^ *FAULTS \|' "$log" | sed -E 's/^ *FAULTS \| //' | awk -F' \\| ' '{ printf "%s\t%s\t%s\t%s\t%s\n", $1, $3, $4, $5, $6 }' |
  while IFS=$'\t' read -r scenario sent answered refused lost; do
    bench_figure faults "requests lost in $scenario at scale ${FAULTS_SCALE:-10} (of $sent sent; $answered answered, $refused refused)" "$lost"
  done
grep -E '^ *NOISY \|' "$log" | sed -E 's/^ *NOISY \| //' | awk -F' \\| ' '{ print $3 "\t" $5 }' |
  while IFS=$'\t' read -r alone flood; do bench_figure faults "noisy neighbour: the victim's p99 ms beside the flood (beside: alone)" "$flood" "$alone" "$(ratio "$flood" "$alone")"; done
bench_figure faults "fault suite at scale ${FAULTS_SCALE:-10}" "$(grep -oE 'Passed: +[0-9]+|Failed: +[0-9]+' "$log" | tr -s ' ' | tr '\n' ' ')"
[ "$status" -eq 0 ] || { echo "the fault suite failed; its log: $log" >&2; exit "$status"; }
