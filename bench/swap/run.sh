#!/usr/bin/env bash
# bench/swap: hot model swaps under load. With wrk on POST /prediction (32 connections) through the gateway ->
# RabbitMQ -> 3 predictors, bench/Bench swap moves the model store's pointer to another version and publishes
# ModelActivated, as a promotion or a rollback does, SWAPS (6) times, alternating two models, and times each from
# ModelActivated to the last replica's ModelLoaded. The load counts failed requests across all swaps. The peer (the seed's app under gunicorn -w 2) can
# only change model by reloading its workers: the same load, SWAPS graceful reloads (SIGHUP), its failed requests.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
swaps="${SWAPS:-6}"; conns=32; load_s=$(( 8 + swaps * 3 ))

# The second model: 1 epoch on 10,000 real training images (quick; the bench times the swap, not the model), in a
# volume of its own (a volume serves one model name).
[ -f "$work/b/mnist.pt" ] || Services/Trainer/bin/Release/net10.0/MnistEvents.Trainer --epochs 1 --limit 10000 --seed 2 --log-interval 100000 \
  --save-model --save-model-path "$work/b/mnist.pt" >/dev/null
mkdir -p "$work/swap"; cp "$work/mnist.pt" "$work/swap/mnist.pt"; cp "$work/mnist.pt.json" "$work/swap/mnist.pt.json"
served_model="$work/swap/mnist.pt"

echo "== project: $swaps swaps under $conns connections"
start_project
wrk_run "$conns" 20 http://127.0.0.1:5680/prediction >/dev/null   # warm-up
wrk_run "$conns" "$load_s" http://127.0.0.1:5680/prediction > "$work/swap-load.txt" &
load=$!
sleep 4
as_user admin "$bench_tool" swap 127.0.0.1 "$amqp_port" "$served_model" 3 "$swaps" "$work/b/mnist.pt" "$work/mnist.pt" | tee "$work/swap-times.txt" |
  awk '{ printf "%s: all 3 replicas serving after %s ms (each: %s %s %s)\n", $1, $2, $3, $4, $5 }'
wait "$load"
read -r p_rps p_p50 p_p99 p_failed p_n < "$work/swap-load.txt"
echo "load across the swaps: $p_n requests, $p_rps req/s, p99 $p_p99 ms, $p_failed failed"
cleanup

echo "== peer: gunicorn -w 2, $swaps graceful reloads (SIGHUP) under $conns connections"
start_gunicorn
master=$(pgrep -f "gunicorn -w 2 -b 127.0.0.1:5057" | head -1)
wrk_run "$conns" "$load_s" http://127.0.0.1:5057/prediction > "$work/swap-peer.txt" &
load=$!
sleep 4
for _ in $(seq 1 "$swaps"); do kill -HUP "$master"; sleep 3; done
wait "$load"
read -r g_rps g_p50 g_p99 g_failed g_n < "$work/swap-peer.txt"
echo "load across the reloads: $g_n requests, $g_rps req/s, p99 $g_p99 ms, $g_failed failed"

echo
awk '{ print $2 }' "$work/swap-times.txt" | sort -n | awk -v f="$p_failed" -v n="$p_n" -v gf="$g_failed" -v gn="$g_n" '
  { t[NR] = $1 } END {
    printf "project: ModelActivated -> all 3 replicas serving: median %s ms, worst %s ms over %d swaps; %d of %d requests failed under load\n", t[int((NR + 1) / 2)], t[NR], NR, f, n
    printf "peer:    no hot swap; %d graceful worker reloads: %d of %d requests failed under load\n", NR, gf, gn }'
source bench/figures.sh
median=$(awk '{ print $2 }' "$work/swap-times.txt" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
bench_figure swap "ms from ModelActivated to all 3 replicas serving, median of $swaps (peer: no hot swap)" "$median"
bench_figure swap "requests failed under load across the swaps (peer: across $swaps graceful reloads)" "$p_failed of $p_n" "$g_failed of $g_n"
