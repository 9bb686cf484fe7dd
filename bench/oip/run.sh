#!/usr/bin/env bash
# bench/oip: the Open Inference Protocol through the real broker path (gateway -> RabbitMQ -> 3 predictor processes),
# requests of DIGITS (32) real MNIST test digits as a UINT8 tensor: REST (the spec's JSON, posted by wrk) and gRPC
# (raw_input_contents, from a client generated from the protocol's .proto: bench/Bench oip-grpc), at CONNECTIONS
# ("8 32") concurrent clients each. Beside them, in the same run: the seed's app under gunicorn -w 2 answering one
# image per request (the peer: it has no batch API), and the served model's own forward pass at the batch size the
# predictors ran (bench/Bench forward, one torch thread: the limit), measured right before and right after each window
# while the project idles, and averaged, since the machine's speed drifts by a third within minutes and only a ratio of
# the same moment means anything. Prints images/s against gunicorn's and the
# project's CPU per image (gateway + broker + predictors, from /proc/PID/stat) against the forward pass alone, and
# beside it what the forward passes themselves cost inside the loaded predictors (their threads' own clocks: the
# difference is what sharing 2 cores with everything else costs a forward pass). The gRPC load client runs on the same
# 2 cores; its own CPU is printed beside it. DURATION (15 s) a window, after warming up until the JIT settles
# (bench/lib.sh warm_until_jitted: tiered compilation takes a minute or more on 2 busy cores).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
conns_list="${CONNECTIONS:-8 32}"; duration="${DURATION:-15}"; digits="${DIGITS:-32}"

# The request: the first $digits MNIST test digits, raw for gRPC and as the spec's JSON for REST.
/usr/bin/python3 - "$work" "$digits" <<'PY'
import json, sys
work, n = sys.argv[1], int(sys.argv[2])
raw = open("data/mnist/t10k-images-idx3-ubyte", "rb").read()[16:16 + n * 784]
open(f"{work}/oip-digits.u8", "wb").write(raw)
json.dump({"id": "bench", "inputs": [{"name": "pixels", "datatype": "UINT8", "shape": [n, 28, 28], "data": list(raw)}]},
          open(f"{work}/oip-request.json", "w"), separators=(",", ":"))
PY
rest() { BODY="$work/oip-request.json" WRK_SCRIPT=bench/oip/json.lua wrk_run "$@"; }

echo "== project: gateway -> RabbitMQ -> 3 predictors, $digits digits a request"
start_project
wait_http http://127.0.0.1:5680/v2/health/ready >/dev/null
echo "first REST answer: $(curl -sf -H 'Content-Type: application/json' --data-binary "@$work/oip-request.json" http://127.0.0.1:5680/v2/models/mnist/infer | cut -c1-160)"
# Every window's pattern, since fewer clients make smaller batches and take other paths the JIT has to reach.
warm_round() {
  local c; for c in $conns_list; do
    rest "$c" 2 http://127.0.0.1:5680/v2/models/mnist/infer; "$bench_tool" oip-grpc http://127.0.0.1:5689 "$work/oip-digits.u8" "$digits" "$c" 0 2
  done
}
echo "warm-up, REST and gRPC at $conns_list clients until the JIT settles: $(warm_until_jitted warm_round)"
declare -A line cpu batches batch forward
for c in $conns_list; do
  for wire in rest grpc; do
    # The limit before the window, at the batch size the last window ran (a request's digits before any): the forward
    # pass costs the same per image from 32 to 128 digits to within the machine's drift, so the size matters little.
    alone_before=$("$bench_tool" forward "$work/mnist.pt" "${last_batch:-$digits}" 2>/dev/null | awk 'NR == 2 { print $2 }')
    before=$(batch_buckets); cpu_before=$(cpu_snapshot); jit_before=$(jit_ms); forward_before=$(forward_cpu_ms)
    if [ "$wire" = rest ]; then
      read -r rps p50 p99 failed n < <(rest "$c" "$duration" http://127.0.0.1:5680/v2/models/mnist/infer)
      client_ms=-
    else
      read -r rps _ p50 p99 failed n client_ms < <("$bench_tool" oip-grpc http://127.0.0.1:5689 "$work/oip-digits.u8" "$digits" "$c" 0 "$duration")
    fi
    cpu[$wire$c]=$(cpu_per_item "$cpu_before" "$(cpu_snapshot)" "$(( n * digits ))")
    in_replicas=$(awk -v ms="$(( $(forward_cpu_ms) - forward_before ))" -v n="$(( n * digits ))" 'BEGIN { printf "%.3f", ms / n }')
    batches[$wire$c]=$(batch_delta "$before" "$(batch_buckets)"); jit=$(( $(jit_ms) - jit_before ))
    line[$wire$c]="$(awk -v r="$rps" -v d="$digits" 'BEGIN { printf "%.0f", r * d }') $rps $p50 $p99 $failed"
    # And after it, at this window's mean batch size, with the project idle; the limit is the mean of the two.
    batch[$wire$c]=$(awk -v m="${batches[$wire$c]%% *}" 'BEGIN { b = int(m + 0.5); print b < 1 ? 1 : b }'); last_batch=${batch[$wire$c]}
    alone_after=$("$bench_tool" forward "$work/mnist.pt" "${batch[$wire$c]}" 2>/dev/null | awk 'NR == 2 { print $2 }')
    forward[$wire$c]=$(awk -v a="$alone_before" -v b="$alone_after" 'BEGIN { printf "%.3f", (a + b) / 2 }')
    echo "$wire, $c clients: $rps req/s = ${line[$wire$c]%% *} images/s, p50 $p50 ms, p99 $p99 ms, $failed failed;" \
      "CPU ms/image gateway/broker/predictors/total ${cpu[$wire$c]} (the forward passes within the predictors $in_replicas); batches: mean ${batches[$wire$c]}; JIT $jit ms; load client CPU ${client_ms} ms;" \
      "the forward pass alone just before and after: $alone_before and $alone_after CPU ms/image (mean ${forward[$wire$c]})"
  done
done
cleanup

echo "== peer: the seed's app under gunicorn -w 2, one image a request"
gunicorn_series

echo
printf '%-8s %-22s %9s %8s %8s %8s %7s\n' clients target "images/s" "req/s" "p50 ms" "p99 ms" failed
for c in $conns_list; do
  printf '%-8s %-22s %9s %8s %8s %8s %7s\n' "$c" "project REST" ${line[rest$c]}
  printf '%-8s %-22s %9s %8s %8s %8s %7s\n' "$c" "project gRPC" ${line[grpc$c]}
  read -r grps gp50 gp99 gfailed <<<"${g_line[$c]}"
  printf '%-8s %-22s %9s %8s %8s %8s %7s\n' "$c" "peer: gunicorn -w 2" "$grps" "$grps" "$gp50" "$gp99" "$gfailed"
done
echo
for c in $conns_list; do
  for wire in rest grpc; do
    images=${line[$wire$c]%% *}; total=$(awk '{ print $4 }' <<<"${cpu[$wire$c]}")
    awk -v c="$c" -v w="$wire" -v i="$images" -v g="${g_line[$c]%% *}" -v t="$total" -v f="${forward[$wire$c]}" -v b="${batch[$wire$c]}" 'BEGIN {
      printf "%s, %s clients: %.2fx gunicorn'"'"'s images/s (goal 6x); CPU %.3f ms/image = %.2fx the forward pass alone (%.3f ms/image around batch %d; goal 2x)\n",
        w, c, i / g, t, t / f, f, b }'
  done
done
source bench/figures.sh
for c in $conns_list; do
  for wire in rest grpc; do
    images=${line[$wire$c]%% *}; total=$(awk '{ print $4 }' <<<"${cpu[$wire$c]}")
    bench_figure oip "$wire images/s, $c clients x $digits digits (peer: gunicorn -w 2, one image a request)" "$images" "${g_line[$c]%% *}" "$(ratio "$images" "${g_line[$c]%% *}")"
    bench_figure oip "$wire CPU ms per image, $c clients (beside: the forward pass alone)" "$total" "${forward[$wire$c]}" "$(ratio "$total" "${forward[$wire$c]}")"
  done
done
