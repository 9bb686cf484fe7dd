#!/usr/bin/env bash
# bench/soak (not in CI): memory over a long run. Measures the project's peak synchronous rate (wrk, 32 connections,
# after warm-up), then holds half of it open-loop (bench/Bench rate) for SOAK_MINUTES (10) through the gateway ->
# RabbitMQ -> 3 predictors, sampling each process's RSS every SAMPLE_S (30) seconds. Prints the samples, each
# process's first and last RSS after the first minute and the drift between them, and the peer's RSS (gunicorn -w 2,
# the same rate, a shorter run: its memory is Python's and does not grow with traffic).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
minutes="${SOAK_MINUTES:-10}"; sample_s="${SAMPLE_S:-30}"
rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

echo "== project: peak rate"
start_project
wrk_run 32 30 http://127.0.0.1:5680/prediction >/dev/null
read -r peak _ < <(wrk_run 32 15 http://127.0.0.1:5680/prediction)
rate=$(( peak / 2 ))
echo "peak $peak req/s; soaking at $rate req/s for $minutes min, RSS sampled every $sample_s s"
"$bench_tool" rate http://127.0.0.1:5680/prediction "$work/digit.png" "$rate" $(( minutes * 60 )) > "$work/soak-load.txt" &
load=$!
printf '%6s %10s %12s %12s %12s\n' "s" "gateway" "predictor-0" "predictor-1" "predictor-2" | tee "$work/soak-rss.txt"
for t in $(seq 0 "$sample_s" $(( minutes * 60 - 1 ))); do
  printf '%6s %10s %12s %12s %12s\n' "$t" "$(rss_mb "$gateway_pid")" "$(rss_mb "${predictor_pids[0]}")" "$(rss_mb "${predictor_pids[1]}")" "$(rss_mb "${predictor_pids[2]}")" | tee -a "$work/soak-rss.txt"
  sleep "$sample_s"
done
wait "$load"
read -r sent ok failed p50 p99 < "$work/soak-load.txt"
echo "load: $sent sent, $ok answered, $failed failed, p50 $p50 ms, p99 $p99 ms"
cleanup

echo "== peer: gunicorn -w 2 at the same rate, 60 s"
start_gunicorn
"$bench_tool" rate http://127.0.0.1:5057/prediction "$work/digit.png" "$rate" 60 >/dev/null
peer_rss=$(for p in $(pgrep -f "gunicorn -w 2 -b 127.0.0.1:5057"); do rss_mb "$p"; echo; done | awk '{ s += $1 } END { print s }')

echo
# After the first minute (start-up and JIT are done), first and last sample per process, and the drift.
awk -v skip=60 'NR > 1 && $1 >= skip { if (!seen++) for (i = 2; i <= 5; i++) first[i] = $i; for (i = 2; i <= 5; i++) { last[i] = $i; if ($i > peak[i]) peak[i] = $i } }
  END { split("gateway predictor-0 predictor-1 predictor-2", name, " ")
        for (i = 2; i <= 5; i++) printf "%-12s RSS %4d MB after 1 min, %4d MB at the end (%+.1f%%), peak %4d MB\n", name[i - 1], first[i], last[i], 100 * (last[i] - first[i]) / first[i], peak[i] }' "$work/soak-rss.txt"
echo "peer: gunicorn master + 2 workers ${peer_rss} MB RSS in all"
