#!/usr/bin/env bash
# bench/faults: the fault suite (tests/FaultTests) at a larger scale, its counts as one table: each scenario's injected
# fault, requests sent, answered, refused with a reason, lost (must be 0), and the model served afterwards.
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
grep -E '^ *lost:' "$log" | head -5 || true
[ "$status" -eq 0 ] || { echo "the fault suite failed; its log: $log" >&2; exit "$status"; }
