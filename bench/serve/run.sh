#!/usr/bin/env bash
# bench/serve: synchronous POST /prediction (multipart field "file", the seed's contract) through the real broker
# path (gateway -> RabbitMQ -> 3 predictor processes), beside the seed's Flask app serving the pytorch/examples
# CNN (../shared/peer/) under gunicorn -w 2 (and its dev server), on the same 28x28 MNIST PNG, same wrk load, one run.
# For the project it also prints where the CPU went (ms per prediction in the gateway, the broker and the predictors,
# from /proc/PID/stat), the predictors' batch sizes, the served model's own forward cost per image at that batch size
# (bench/Bench forward, one torch thread, measured after the services stopped) with what counting each answered digit
# into the drift profile adds, and each service's start-to-ready time. Then the same load on the embedded default
# (./run.sh's one process on the in-memory bus, the per-client shares lifted as for the topology): req/s beside the
# topology's and gunicorn's, and its CPU per prediction.
# CONNECTIONS ("32 128"), DURATION (15 s per measurement). Before the project is measured, and the embedded default, each
# is loaded in rounds of 5 s until the JIT settles (bench/lib.sh warm_until_jitted: .NET's tiered JIT takes a minute or
# more on 2 busy cores, and the gateway's JIT counted in its CPU per prediction until it did; Python has no such phase).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
conns_list="${CONNECTIONS:-32 128}"; duration="${DURATION:-15}"

echo "== project: gateway -> RabbitMQ -> 3 predictors"
start_project
echo "start to ready (model loaded and verified, consuming): predictors ${predictor_ready[0]} / ${predictor_ready[1]} / ${predictor_ready[2]} ms (3 started at once)"
echo "start to ready (connected to the broker): gateway $gateway_ready ms"
first=$(curl -sf -F "file=@$work/digit.png" http://127.0.0.1:5680/prediction)
echo "first prediction: $first" | cut -c1-120

first_conns=${conns_list%% *}
warm_round() { wrk_run "$first_conns" 5 "$warm_url"; }
warm_url=http://127.0.0.1:5680/prediction
echo "warm-up at $first_conns connections until the JIT settles: $(warm_until_jitted warm_round)"
declare -A p_line cpu_line batch_line
mean_batches=()
for c in $conns_list; do
  before=$(batch_buckets); cpu_before=$(cpu_snapshot)
  read -r rps p50 p99 failed n < <(wrk_run "$c" "$duration" http://127.0.0.1:5680/prediction)
  cpu_line[$c]=$(cpu_per_item "$cpu_before" "$(cpu_snapshot)" "$n")
  after=$(batch_buckets)
  p_line[$c]="$rps $p50 $p99 $failed"
  batch_line[$c]=$(batch_delta "$before" "$after")
  mean_batches+=("${batch_line[$c]%% *}")
  echo "$c connections: $rps req/s, p50 $p50 ms, p99 $p99 ms, $failed failed; CPU ms/prediction gateway/broker/predictors/total ${cpu_line[$c]}; batches: mean ${batch_line[$c]}"
done
cleanup

echo "== project, embedded default: ./run.sh's one process (in-memory bus), the same load"
start_embedded
echo "start to ready (model loaded, listening): $embedded_ready ms; first prediction: $(curl -sf -F "file=@$work/digit.png" http://127.0.0.1:5670/prediction | cut -c1-60)"
warm_url=http://127.0.0.1:5670/prediction
echo "warm-up at $first_conns connections until the JIT settles: $(JIT_PORTS=5670 warm_until_jitted warm_round)"
declare -A e_line e_cpu
for c in $conns_list; do
  e_before=$(cpu_ticks "$embedded_pid")
  read -r rps p50 p99 failed n < <(wrk_run "$c" "$duration" http://127.0.0.1:5670/prediction)
  e_cpu[$c]=$(awk -v t="$(( $(cpu_ticks "$embedded_pid") - e_before ))" -v ms="$tick_ms" -v n="$n" 'BEGIN { printf "%.3f", t * ms / n }')
  e_line[$c]="$rps $p50 $p99 $failed"
  echo "$c connections: $rps req/s, p50 $p50 ms, p99 $p99 ms, $failed failed; CPU ms/prediction (the one process) ${e_cpu[$c]}"
done
cleanup

echo "== the served model's forward pass alone (one torch thread, real MNIST test digits, at the batch sizes seen)"
declare -A forward profile
for m in "${mean_batches[@]}"; do
  b=$(awk -v m="$m" 'BEGIN { b = int(m + 0.5); print b < 1 ? 1 : b }')
  if [ -z "${forward[$b]:-}" ]; then
    line=$("$bench_tool" forward "$work/mnist.pt" "$b" 2>/dev/null | awk 'NR == 2')
    forward[$b]=$(awk '{ print $2 }' <<<"$line")
    profile[$b]=$(awk '{ print $3 " (" $4 "x the forward pass)" }' <<<"$line")
  fi
  echo "batch $b: ${forward[$b]} CPU ms per image; counting it into the drift profile after answering: ${profile[$b]} CPU ms"
done

echo "== peer: Flask dev server (threaded), pytorch/examples CNN, $first_conns connections"
(cd "$peer" && exec /usr/bin/python3 seed_app.py --model_path "$work/seed_cnn.pt" --arch cnn --port 5056 > "$work/flask.log" 2>&1) & pids+=($!)
wait_http http://127.0.0.1:5056/ >/dev/null
wrk_run "$first_conns" 10 http://127.0.0.1:5056/prediction >/dev/null
read -r f_rps f_p50 f_p99 f_failed _ < <(wrk_run "$first_conns" "$duration" http://127.0.0.1:5056/prediction)
echo "$f_rps req/s, p50 $f_p50 ms, p99 $f_p99 ms, $f_failed failed"
cleanup

echo "== peer: the same app under gunicorn -w 2 (the stronger peer)"
gunicorn_series

echo
printf '%-6s %-34s %8s %8s %8s %7s\n' conns target "req/s" "p50 ms" "p99 ms" failed
for c in $conns_list; do
  printf '%-6s %-34s %8s %8s %8s %7s\n' "$c" "project (RabbitMQ, 3 predictors)" ${p_line[$c]}
  printf '%-6s %-34s %8s %8s %8s %7s\n' "$c" "project, embedded (./run.sh)" ${e_line[$c]}
  printf '%-6s %-34s %8s %8s %8s %7s\n' "$c" "peer: gunicorn -w 2" ${g_line[$c]}
done
printf '%-6s %-34s %8s %8s %8s %7s\n' "$first_conns" "peer: Flask dev server" "$f_rps" "$f_p50" "$f_p99" "$f_failed"
echo
for c in $conns_list; do
  read -r prps _ pp99 _ <<<"${p_line[$c]}"; read -r grps _ gp99 _ <<<"${g_line[$c]}"
  read -r cg cb cp ct <<<"${cpu_line[$c]}"
  mean=${batch_line[$c]%% *}; b=$(awk -v m="$mean" 'BEGIN { b = int(m + 0.5); print b < 1 ? 1 : b }')
  awk -v c="$c" -v p="$prps" -v g="$grps" -v pp="$pp99" -v gp="$gp99" -v ct="$ct" -v cg="$cg" -v cb="$cb" -v cp="$cp" -v f="${forward[$b]}" -v b="$b" 'BEGIN {
    printf "%s connections: %.2fx gunicorn throughput, p99 %.1f ms vs %.1f ms (%.2fx); CPU %.3f ms/prediction (gateway %.3f, broker %.3f, predictors %.3f) = %.2fx the forward pass alone (%.3f ms/image at batch %d)\n",
      c, p / g, pp, gp, pp / gp, ct, cg, cb, cp, ct / f, f, b }'
done
awk -v f="$f_rps" -v p="${p_line[$first_conns]%% *}" 'BEGIN { printf "%s connections: %.2fx the Flask dev server\n", "'"$first_conns"'", p / f }'
for c in $conns_list; do
  read -r erps _ ep99 _ <<<"${e_line[$c]}"; read -r prps _ _ _ <<<"${p_line[$c]}"; read -r grps _ _ _ <<<"${g_line[$c]}"
  awk -v c="$c" -v e="$erps" -v p="$prps" -v g="$grps" -v ec="${e_cpu[$c]}" 'BEGIN {
    printf "%s connections, embedded default: %.2fx gunicorn throughput, %.2fx the topology'"'"'s; CPU %.3f ms/prediction\n", c, e / g, e / p, ec }'
done

source bench/figures.sh
for c in $conns_list; do
  read -r prps _ pp99 pfailed <<<"${p_line[$c]}"; read -r grps _ gp99 _ <<<"${g_line[$c]}"; read -r erps _ ep99 efailed <<<"${e_line[$c]}"
  read -r cg cb cp ct <<<"${cpu_line[$c]}"
  mean=${batch_line[$c]%% *}; b=$(awk -v m="$mean" 'BEGIN { b = int(m + 0.5); print b < 1 ? 1 : b }')
  bench_figure serve "req/s at $c connections, RabbitMQ and 3 predictors (peer: gunicorn -w 2)" "$prps" "$grps" "$(ratio "$prps" "$grps")"
  bench_figure serve "p99 ms at $c connections (peer: gunicorn -w 2)" "$pp99" "$gp99" "$(ratio "$pp99" "$gp99")"
  bench_figure serve "failed requests at $c connections" "$pfailed"
  bench_figure serve "CPU ms per prediction at $c connections, batches of $mean (beside: the forward pass alone)" "$ct" "${forward[$b]}" "$(ratio "$ct" "${forward[$b]}")"
  bench_figure serve "the gateway's CPU ms per prediction at $c connections (beside: the forward pass alone)" "$cg" "${forward[$b]}" "$(ratio "$cg" "${forward[$b]}")"
  bench_figure serve "req/s at $c connections, embedded default (peer: gunicorn -w 2)" "$erps" "$grps" "$(ratio "$erps" "$grps")"
  bench_figure serve "req/s at $c connections, embedded default (beside: RabbitMQ and 3 predictors)" "$erps" "$prps" "$(ratio "$erps" "$prps")"
  bench_figure serve "CPU ms per prediction at $c connections, embedded default" "${e_cpu[$c]}"
done
