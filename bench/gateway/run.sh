#!/usr/bin/env bash
# bench/gateway: the gateway before and after, on the same machine at the same moment: one broker and 3 predictors, the
# gateway of commit BASE (default 0d3a42b, before issue 35) on :5679 and this checkout's on :5680, loaded in turns with
# bench/serve's request (POST /prediction, the seed's 28x28 PNG, 32 connections) for ROUNDS (3) windows of DURATION
# (15) s each, after both are loaded in turns until the JIT settles (bench/lib.sh warm_until_jitted). Prints each
# window's req/s, p99 and CPU ms per prediction in the gateway, broker and predictors, then the medians and their ratio.
# Machines of this kind change speed by half within minutes: windows alternated a few seconds apart are what a change to
# the gateway's hot path should be judged by.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
base="${BASE:-0d3a42b}"; rounds="${ROUNDS:-3}"; duration="${DURATION:-15}"

# The base gateway, built once from its own commit beside this checkout.
base_dir="$work/gateway-$base"; base_bin="$base_dir/Services/Gateway/bin/Release/net10.0"
if [ ! -x "$base_bin/MnistEvents.Gateway" ]; then
  rm -rf "$base_dir"; mkdir -p "$base_dir"
  git archive "$base" | tar -x -C "$base_dir"
  dotnet build "$base_dir/Services/Gateway/Gateway.csproj" -c Release -nologo -clp:ErrorsOnly >/dev/null
fi

echo "== one broker, 3 predictors; gateways: $base (:5679) and this checkout, $(git rev-parse --short HEAD)$([ -z "$(git status --porcelain --untracked-files=no)" ] || echo '+changes') (:5680)"
start_project
start=$(now_ms)
broker_user gateway
env "${broker_user_env[@]}" POD_NAME=gateway-base ASPNETCORE_URLS=http://127.0.0.1:5679 Gateway__PredictionRequestsPerSecondPerClient=0 \
  Gateway__MaxConcurrentDecodesPerClient=2 OpenInference__GrpcPort=5678 Logging__LogLevel__Default=Warning \
  "$base_bin/MnistEvents.Gateway" --contentRoot "$base_bin" > "$work/gateway-base.log" 2>&1 &
base_pid=$!; pids+=("$base_pid")
wait_http http://127.0.0.1:5679/healthz/ready "$start" >/dev/null
# Both gateways loaded in turns until neither JITs any more (the base's JIT counted through the System.Runtime meter of
# its own /metrics, as this checkout's is; a base too old to have one counts as settled).
warm_round() { wrk_run 32 5 http://127.0.0.1:5679/prediction >/dev/null; wrk_run 32 5 http://127.0.0.1:5680/prediction; }
echo "warm-up, both gateways in turns, until the JIT settles: $(JIT_PORTS="5679 5680 5690 5691 5692" warm_until_jitted warm_round)"

results="$work/gateway-ab.txt"; : > "$results"
for round in $(seq 1 "$rounds"); do
  for side in base now; do
    port=5680; pid=$gateway_pid; [ "$side" = base ] && { port=5679; pid=$base_pid; }
    before=$(echo "$(cpu_ticks "$pid") $(cpu_ticks "$broker_pid") $(cpu_ticks "${predictor_pids[@]}")")
    read -r rps _ p99 failed n < <(wrk_run 32 "$duration" "http://127.0.0.1:$port/prediction")
    cpu=$(cpu_per_item "$before" "$(echo "$(cpu_ticks "$pid") $(cpu_ticks "$broker_pid") $(cpu_ticks "${predictor_pids[@]}")")" "$n")
    echo "$side $rps $p99 $failed $cpu" >> "$results"
    echo "round $round, $side: $rps req/s, p99 $p99 ms, $failed failed; CPU ms/prediction gateway/broker/predictors/total $cpu"
  done
done
cleanup

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v s="$1" -v c="$2" '$1 == s { print $c }' "$results" | median; }
echo
printf '%-10s %9s %9s %12s\n' gateway "req/s" "p99 ms" "gateway ms"
for side in base now; do printf '%-10s %9s %9s %12s\n' "$side" "$(col "$side" 2)" "$(col "$side" 3)" "$(col "$side" 5)"; done
awk -v a="$(col now 5)" -v b="$(col base 5)" -v r="$(col now 2)" -v q="$(col base 2)" 'BEGIN {
  printf "medians: the gateway'"'"'s CPU per prediction %.2fx %s'"'"'s, requests/s %.2fx\n", a / b, "'"$base"'", r / q }'
source bench/figures.sh
bench_figure gateway "the gateway's CPU ms per prediction, median of $rounds windows (beside: commit $base's, alternated)" "$(col now 5)" "$(col base 5)" "$(ratio "$(col now 5)" "$(col base 5)")"
