# Shared by bench/serve, bench/async, bench/swap, bench/shadow and bench/soak (source it from the repository root): the project's broker path
# (RabbitMQ, 3 predictor processes, the gateway) and the seed's stack under gunicorn, on this machine, torn down on exit.
source scripts/lib.sh
source scripts/services.sh
ensure_tools
ensure_apt wrk rabbitmq-server python3-flask python3-torch python3-torchvision python3-pil gunicorn
./scripts/fetch-mnist.sh >/dev/null
peer="$(cd "${PEER_DIR:-../shared/peer}" && pwd)"
amqp_port=5681
work="$PWD/bench/.work"; mkdir -p "$work"
dotnet build MnistEvents.sln -c Release -nologo -clp:ErrorsOnly >/dev/null
bench_tool="$PWD/bench/Bench/bin/Release/net10.0/MnistEvents.Bench"

# Models: ours from the seed's Job arguments, the peer's CNN from its own training script (both cached in bench/.work).
source bench/project-model.sh
project_model "$work/mnist.pt"
if [ ! -f "$work/seed_cnn.pt" ]; then
  mkdir -p "$work/root/MNIST/raw"; for f in data/mnist/*-ubyte; do ln -sf "$PWD/$f" "$work/root/MNIST/raw/"; done
  /usr/bin/python3 "$peer/seed_train.py" --arch cnn --data "$work/root" --save-model-path "$work/seed_cnn.pt"
fi
# The request: the first MNIST test digit (a 7) as a 28x28 PNG, which the seed's app can read as-is.
/usr/bin/python3 - "$work/digit.png" <<'PY'
import sys
from PIL import Image
raw = open("data/mnist/t10k-images-idx3-ubyte", "rb").read()[16:16 + 784]
Image.frombytes("L", (28, 28), raw).save(sys.argv[1])
PY

pids=(); predictor_pids=(); gateway_pid=; broker_pid=
cleanup() { services_stop "$amqp_port"; }
trap cleanup EXIT
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# Milliseconds from $2 (ms since epoch) until $1 answers 200.
wait_http() { for _ in $(seq 1 600); do curl -sf -o /dev/null "$1" && { echo $(( $(now_ms) - ${2:-$(now_ms)} )); return 0; }; sleep 0.05; done; echo "no answer from $1" >&2; return 1; }
cpu_ticks() { local sum=0 p; for p in "$@"; do sum=$(( sum + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done; echo "$sum"; }
tick_ms=$(( 1000 / $(getconf CLK_TCK) ))
# The project's CPU so far, in clock ticks: "gateway broker predictors" (after start_project).
cpu_snapshot() { echo "$(cpu_ticks "$gateway_pid") $(cpu_ticks "$broker_pid") $(cpu_ticks "${predictor_pids[@]}")"; }
# CPU ms per item between two snapshots: "gateway broker predictors total". Usage: cpu_per_item "$before" "$after" ITEMS
cpu_per_item() {
  awk -v n="$3" -v t="$tick_ms" -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ")
    g = y[1] - x[1]; m = y[2] - x[2]; p = y[3] - x[3]
    printf "%.3f %.3f %.3f %.3f", g * t / n, m * t / n, p * t / n, (g + m + p) * t / n }'
}
# wrk's figures: requests/s, p50 ms, p99 ms, failed (non-2xx + socket errors), requests completed. The request is the
# peer's multipart upload of $work/digit.png, or what WRK_SCRIPT makes.
wrk_run() {
  IMG="$work/digit.png" wrk -t1 -c"$1" -d"$2s" --latency -s "${WRK_SCRIPT:-$peer/multipart.lua}" "$3" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 } / 50%/ { p50 = ms($2) } / 99%/ { p99 = ms($2) } /requests in/ { n = $1 }
    /Non-2xx/ { failed += $NF } /Socket errors/ { gsub(/,/, ""); failed += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.1f %.1f %d %d\n", rps, p50, p99, failed, n }'
}

# A counter in seconds, summed over the services on the given local ports, in ms. Usage: metric_ms NAME PORT...
metric_ms() { local name=$1; shift; local port; for port in "$@"; do curl -sf "http://127.0.0.1:$port/metrics"; done |
  awk -v name="$name" 'index($0, name) == 1 { s += $NF } END { printf "%.0f", s * 1000 }'; }
# Milliseconds the project's .NET processes (gateway, 3 predictors) have spent in the JIT so far (System.Runtime's meter).
# JIT_PORTS: others' (the embedded default's 5670).
jit_ms() { metric_ms dotnet_jit_compilation_time_seconds_total ${JIT_PORTS:-5680 5690 5691 5692}; }
# CPU ms the predictors' forward passes have used so far (their inference threads' own clocks).
forward_cpu_ms() { metric_ms mnist_predictor_forward_cpu_seconds_total 5690 5691 5692; }

# Warm-up to the steady state a long-running server is in: runs "$@" (one round of load, ~5 s) until two rounds in a
# row each cost the JIT under 1% of the two cores' time (tiered compilation recompiles ~16,000 methods a process, and on
# 2 busy cores that takes the first minute or more; one quiet round alone once left 2.8 s of JIT to the first measured
# window), at most WARMUP_ROUNDS (36) rounds. Prints the rounds, seconds and JIT ms.
warm_until_jitted() {
  local rounds=0 quiet=0 start before after spent=0; start=$(now_ms)
  while [ "$rounds" -lt "${WARMUP_ROUNDS:-36}" ]; do
    before=$(jit_ms); local t0; t0=$(now_ms)
    "$@" >/dev/null
    after=$(jit_ms); rounds=$((rounds + 1)); spent=$((spent + after - before))
    if [ $(( (after - before) * 100 )) -lt $(( 2 * ($(now_ms) - t0) )) ]; then quiet=$((quiet + 1)); else quiet=0; fi
    [ "$quiet" -ge 2 ] && break
  done
  echo "$rounds rounds, $(( ($(now_ms) - start) / 1000 )) s, $spent ms of JIT"
}

# The predictors' batch-size histogram, summed over replicas (after start_project): "le count" lines, then "sum" and "count".
batch_buckets() { for port in 5690 5691 5692; do curl -sf "http://127.0.0.1:$port/metrics"; done |
  awk -F'[{}" ]+' '/^mnist_predictor_batch_size_bucket/ { for (i = 1; i <= NF; i++) if ($i ~ /le=$/) le = $(i + 1); n[le] += $NF }
                   /^mnist_predictor_batch_size_sum/ { s += $NF } /^mnist_predictor_batch_size_count/ { c += $NF }
                   END { for (le in n) print le, n[le]; print "sum", s; print "count", c }' | sort -g; }

# Batches run between two batch_buckets snapshots: their mean size, then how many fell in each bucket ("4.2 <=1:10 <=8:31").
batch_delta() {
  printf '%s\n' "$1" "---" "$2" | awk '
    $1 == "---" { second = 1; next } !second { was[$1] = $2; next } { now[$1] = $2 - was[$1]; order[++k] = $1 }
    END { for (i = 1; i <= k; i++) { le = order[i]; if (le == "sum" || le == "count") continue
            d = now[le] - prev; prev = now[le]; if (d > 0) out = out sprintf(" <=%s:%d", le, d) }
          printf "%.1f%s", now["count"] ? now["sum"] / now["count"] : 0, out }'
}

# The project, as scripts/topology.sh starts it (k8s/'s broker users and permissions): a private RabbitMQ node, 3 predictors on $served_model ($work/mnist.pt unless set; one torch thread each, as gunicorn's workers),
# the gateway on :5680 (the Open Inference Protocol's gRPC service on :5689). Sets predictor_ready (ms each, started at once), gateway_ready (ms), the pids.
# wrk and the async load are one client address: the per-client rate limit and decode share (which the peer does
# not have) would measure themselves, not the path, so the limit is off and the one client may use every decode slot. bench/async keeps ~2,800 results/s, past the 100,000 a gateway keeps for
# 15 minutes by default (then 503 by design), so the bench raises that bound.
start_project() {
  services_broker "$amqp_port" "$work"
  broker_pid=$(cat "/tmp/mnistevents-rabbitmq-$amqp_port/pid")
  export ModelVolume__ModelPath="${served_model:-$work/mnist.pt}" Predictor__TorchThreads=1
  local starts=() i
  predictor_pids=()
  for i in 0 1 2; do
    starts+=("$(now_ms)")
    Logging__LogLevel__Default=Warning services_start "predictor-$i" "http://127.0.0.1:$((5690 + i))" Predictor predictor "$work/predictor-$i.log"
    predictor_pids+=("$service_pid")
  done
  predictor_ready=()
  for i in 0 1 2; do predictor_ready+=("$(wait_http "http://127.0.0.1:$((5690 + i))/healthz/ready" "${starts[$i]}")"); done
  local start; start=$(now_ms)
  rm -rf "$(dirname "$ModelVolume__ModelPath")/async-results"
  Gateway__PredictionRequestsPerSecondPerClient=0 Gateway__MaxConcurrentDecodesPerClient=2 Gateway__MaxAsyncResults=1000000 \
    Gateway__MaxAsyncResultsPerClient=1000000 OpenInference__GrpcPort=5689 Logging__LogLevel__Default=Warning \
    services_start gateway http://127.0.0.1:5680 Gateway gateway "$work/gateway.log"
  gateway_pid=$service_pid
  gateway_ready=$(wait_http http://127.0.0.1:5680/healthz/ready "$start")
}

# The embedded default as ./run.sh starts it (one process: UI, gateway, predictor, controller and trainer worker on the
# in-memory bus) on :5670, serving a copy of $work/mnist.pt, with the per-client shares lifted as start_project lifts them.
# Sets embedded_pid and embedded_ready (ms from start to ready).
start_embedded() {
  rm -rf "$work/embedded"; mkdir -p "$work/embedded"
  cp -L "$work/mnist.pt" "$work/embedded/mnist.pt"; cp -L "$work/mnist.pt.json" "$work/embedded/mnist.pt.json"
  local start bin="$PWD/Services/AllInOne/bin/Release/net10.0"; start=$(now_ms)
  env -u Bus__Transport -u Bus__RabbitMQ__Host -u Bus__RabbitMQ__Port -u Bus__RabbitMQ__VirtualHost -u Predictor__TorchThreads \
    ModelVolume__ModelPath="$work/embedded/mnist.pt" Gateway__PredictionRequestsPerSecondPerClient=0 Gateway__MaxConcurrentDecodesPerClient=2 \
    Logging__LogLevel__Default=Warning "$bin/MnistEvents.AllInOne" --contentRoot "$bin" --urls http://127.0.0.1:5670 > "$work/embedded.log" 2>&1 &
  embedded_pid=$!; pids+=("$embedded_pid")
  embedded_ready=$(wait_http http://127.0.0.1:5670/healthz/ready "$start")
}

# The peer under wrk at $1 connections for $2 s, after 10 s of the same: wrk_run's figures.
gunicorn_wrk() {
  wrk_run "$1" 10 http://127.0.0.1:5057/prediction >/dev/null
  wrk_run "$1" "$2" http://127.0.0.1:5057/prediction
}

# The peer under gunicorn -w 2 at each of $conns_list connections for $duration s, each printed: g_line[C]="req/s p50 p99 failed".
gunicorn_series() {
  start_gunicorn
  declare -gA g_line
  local c rps p50 p99 failed
  for c in $conns_list; do
    read -r rps p50 p99 failed _ < <(gunicorn_wrk "$c" "$duration")
    g_line[$c]="$rps $p50 $p99 $failed"
    echo "$c connections: $rps req/s, p50 $p50 ms, p99 $p99 ms, $failed failed"
  done
}

# The seed's app under gunicorn -w 2 (one worker per core) on :5057.
start_gunicorn() {
  (cd "$peer" && SEED_MODEL="$work/seed_cnn.pt" SEED_ARCH=cnn exec gunicorn -w 2 -b 127.0.0.1:5057 seed_wsgi:app > "$work/gunicorn.log" 2>&1) & pids+=($!)
  wait_http http://127.0.0.1:5057/ >/dev/null
}
