#!/usr/bin/env bash
# bench/shadow: what shadowing a candidate costs the answers. Through the real broker path (gateway -> RabbitMQ -> 3
# predictors), the same wrk load (32 connections, closed loop: the peak) and an open-loop load at half that peak (the
# latency a person sees at a normal load), each measured with nothing shadowed and with every replica shadowing another
# version on every batch it may (rate 1: the most shadowing does, one batch at a time per replica, after answering, at
# the lowest scheduling priority), off and on alternated twice for each load (the means are compared). The peer (the seed's app under gunicorn -w 2)
# cannot shadow; its figures at the same two loads are printed beside, with the ratios (the open loop runs at half the
# lower of the two peaks, a load both carry).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
conns=32; duration="${DURATION:-15}"

# The shadowed version: 1 epoch on 10,000 real training images (the bench measures its cost, not its accuracy), in a
# volume of its own (a volume serves one model name).
[ -f "$work/b/mnist.pt" ] || Services/Trainer/bin/Release/net10.0/MnistEvents.Trainer --epochs 1 --limit 10000 --seed 2 --log-interval 100000 \
  --save-model --save-model-path "$work/b/mnist.pt" >/dev/null
rm -rf "$work/shadow"; mkdir -p "$work/shadow"; cp "$work/mnist.pt" "$work/mnist.pt.json" "$work/shadow/"
served_model="$work/shadow/mnist.pt"

# Digits the replicas shadowed so far, summed over the three.
shadowed() { for port in 5690 5691 5692; do curl -sf "http://127.0.0.1:$port/metrics"; done |
  awk '/^mnist_predictor_shadow_predictions_total/ { n += $NF } END { printf "%d\n", n }'; }
# Replicas the gateway lists as shadowing (reports with their heartbeat, every 2 s).
shadowing_replicas() { curl -sf http://127.0.0.1:5680/models | python3 -c 'import json, sys; s = json.load(sys.stdin)["shadow"]; print(len(s["replicas"]) if s else 0)'; }
shadow() {
  as_user admin "$bench_tool" shadow 127.0.0.1 "$amqp_port" "$served_model" "$work/b/mnist.pt" "$1"
  if [ "$1" != 0 ]; then
    for _ in $(seq 1 100); do [ "$(shadowing_replicas)" = 3 ] && return 0; sleep 0.1; done
    echo "the replicas did not start shadowing" >&2; return 1
  fi
}

echo "== peer: gunicorn -w 2 (no shadowing), $conns connections"
start_gunicorn
read -r g_rps g_p50 g_p99 g_failed _ < <(gunicorn_wrk "$conns" "$duration")
echo "$g_rps req/s, p50 $g_p50 ms, p99 $g_p99 ms, $g_failed failed"
cleanup

echo "== project: gateway -> RabbitMQ -> 3 predictors, $conns connections, off and on alternated"
start_project
warm_round() { wrk_run "$conns" 5 http://127.0.0.1:5680/prediction; }
echo "warm-up until the JIT settles: $(warm_until_jitted warm_round)"
declare -A peak; declare -A compared
for round in 1 2; do
  for mode in off on; do
    shadow "$([ "$mode" = on ] && echo 1 || echo 0)"
    before=$(shadowed)
    read -r rps p50 p99 failed n < <(wrk_run "$conns" "$duration" http://127.0.0.1:5680/prediction)
    after=$(shadowed)
    echo "shadow $mode: $rps req/s, p50 $p50 ms, p99 $p99 ms, $failed failed; $((after - before)) of $n digits shadowed"
    peak[$mode]="${peak[$mode]:-} $rps:$p50:$p99:$failed"; compared[$mode]=$(( ${compared[$mode]:-0} + after - before ))
  done
done
# Mean of the two rounds: "req/s p50 p99 failed".
mean() { tr ' ' '\n' <<<"$1" | awk -F: 'NF == 4 { r += $1; a += $2; b += $3; f += $4; k++ } END { printf "%.0f %.1f %.1f %d\n", r / k, a / k, b / k, f }'; }
read -r off_rps off_p50 off_p99 off_failed <<<"$(mean "${peak[off]}")"
read -r on_rps on_p50 on_p99 on_failed <<<"$(mean "${peak[on]}")"
# Half the lower of the two peaks: a load both can carry.
rate=$(( (off_rps < g_rps ? off_rps : g_rps) / 2 ))
echo "open loop at $rate req/s (half the lower peak):"
declare -A open
for round in 1 2; do
  for mode in off on; do
    shadow "$([ "$mode" = on ] && echo 1 || echo 0)"
    before=$(shadowed)
    read -r sent ok failed p50 p99 < <("$bench_tool" rate http://127.0.0.1:5680/prediction "$work/digit.png" "$rate" "$duration")
    after=$(shadowed)
    open[$mode]="${open[$mode]:-} 0:$p50:$p99:$failed"
    echo "shadow $mode: $ok of $sent answered, p50 $p50 ms, p99 $p99 ms, $failed failed; $((after - before)) digits shadowed"
  done
done
cleanup

echo "== peer: gunicorn -w 2, the same open loop"
start_gunicorn
read -r g_sent g_ok g_ofailed g_op50 g_op99 < <("$bench_tool" rate http://127.0.0.1:5057/prediction "$work/digit.png" "$rate" "$duration")
echo "open loop at $rate req/s: $g_ok of $g_sent answered, p50 $g_op50 ms, p99 $g_op99 ms, $g_ofailed failed"

echo
read -r _ o_p50 o_p99 o_failed <<<"$(mean "${open[off]}")"; read -r _ s_p50 s_p99 s_failed <<<"$(mean "${open[on]}")"
awk -v offr="$off_rps" -v onr="$on_rps" -v offp="$off_p99" -v onp="$on_p99" -v gr="$g_rps" -v gp="$g_p99" -v c="$conns" \
    -v o50="$o_p50" -v o99="$o_p99" -v s50="$s_p50" -v s99="$s_p99" -v g50="$g_op50" -v g99="$g_op99" -v rate="$rate" \
    -v f="$((off_failed + on_failed + o_failed + s_failed))" 'BEGIN {
  printf "peak (%d connections): shadowing on %.0f req/s vs off %.0f (%.2fx), p99 %.1f vs %.1f ms; peer %.0f req/s, p99 %.1f ms: project with shadowing %.2fx the peer'\''s throughput\n",
    c, onr, offr, onr / offr, onp, offp, gr, gp, onr / gr
  printf "open loop at %d req/s: shadowing on p50 %.1f / p99 %.1f ms vs off %.1f / %.1f ms (p99 %.2fx); peer p50 %.1f / p99 %.1f ms: project with shadowing p99 %.2fx the peer'\''s\n",
    rate, s50, s99, o50, o99, s99 / o99, g50, g99, s99 / g99
  printf "failed requests, project, all measurements: %d\n", f }'
