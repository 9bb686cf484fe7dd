#!/usr/bin/env bash
# bench/async: the browser's path under load. Real SignalR clients (bench/Bench async, Microsoft.AspNetCore.SignalR.Client)
# each subscribe on /hubs/predictions and, in a closed loop, POST /predictions with a batch of images and wait for every
# image's push, through the gateway -> RabbitMQ -> 3 predictors; beside the seed's stack under gunicorn -w 2 answering
# the same digit synchronously (its only way), in one run. Prints images/s answered, submit-to-push p50/p99, the ratio.
# CLIENTS (16), PER_SUBMISSION (16 images), DURATION (15 s). The project is first loaded in rounds of 5 s until the JIT
# settles (bench/lib.sh warm_until_jitted: .NET's tiered JIT takes a minute or more on 2 busy cores, and counts in the
# CPU per image until it has).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib.sh
clients="${CLIENTS:-16}"; per="${PER_SUBMISSION:-16}"; duration="${DURATION:-15}"; conns=32

echo "== project: $clients SignalR clients, $per images per POST /predictions, results pushed"
start_project
warm_round() { "$bench_tool" async http://127.0.0.1:5680 "$work/digit.png" "$clients" "$per" 0 5; }
echo "warm-up until the JIT settles: $(warm_until_jitted warm_round)"
before=$(cpu_snapshot)
read -r a_ips a_p50 a_p99 a_refused a_n < <("$bench_tool" async http://127.0.0.1:5680 "$work/digit.png" "$clients" "$per" 0 "$duration")
cpu=$(cpu_per_item "$before" "$(cpu_snapshot)" "$a_n")
echo "$a_ips images/s, submit to push p50 $a_p50 ms, p99 $a_p99 ms, $a_refused refused submissions; CPU ms/image gateway/broker/predictors/total $cpu"
cleanup

echo "== peer: the seed's app under gunicorn -w 2, synchronous, $conns connections"
start_gunicorn
read -r g_rps g_p50 g_p99 g_failed _ < <(gunicorn_wrk "$conns" "$duration")
echo "$g_rps req/s, p50 $g_p50 ms, p99 $g_p99 ms, $g_failed failed"

echo
printf '%-52s %10s %9s %9s\n' target "images/s" "p50 ms" "p99 ms"
printf '%-52s %10s %9s %9s\n' "project: async, pushed over SignalR ($clients x $per)" "$a_ips" "$a_p50" "$a_p99"
printf '%-52s %10s %9s %9s\n' "peer: gunicorn -w 2, sync ($conns connections)" "$g_rps" "$g_p50" "$g_p99"
awk -v a="$a_ips" -v g="$g_rps" 'BEGIN { printf "ratio: %.2fx gunicorn'"'"'s synchronous rate, in images/s\n", a / g }'
source bench/figures.sh
bench_figure async "images/s, $clients SignalR clients x $per (peer: gunicorn -w 2, sync, $conns connections)" "$a_ips" "$g_rps" "$(ratio "$a_ips" "$g_rps")"
bench_figure async "submit-to-push p99 ms (peer: its sync p99)" "$a_p99" "$g_p99" "$(ratio "$a_p99" "$g_p99")"
bench_figure async "CPU ms per image (gateway broker predictors total)" "$cpu"
