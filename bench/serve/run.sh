#!/usr/bin/env bash
# bench/serve: synchronous POST /prediction (multipart field "file", the seed's contract) through the real broker
# path (gateway -> RabbitMQ -> 3 predictor processes), beside the seed's Flask app serving the pytorch/examples
# CNN (../shared/peer/), dev server and gunicorn -w 2, on the same 28x28 MNIST PNG, same wrk load, in one run.
# CONNECTIONS (32), DURATION (15 s) and WARMUP (10 s, before each target is measured) set the load.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
ensure_tools
ensure_apt wrk rabbitmq-server python3-flask python3-torch python3-torchvision python3-pil gunicorn
./scripts/fetch-mnist.sh >/dev/null
peer="$(cd "${PEER_DIR:-../shared/peer}" && pwd)"
conns="${CONNECTIONS:-32}"; duration="${DURATION:-15}"; amqp_port=5681
work="$PWD/bench/serve/.work"; mkdir -p "$work"
dotnet build MnistEvents.sln -c Release -nologo -clp:ErrorsOnly >/dev/null

# Models: ours from the seed's Job arguments, the peer's CNN from its own training script (both cached in .work).
[ -f "$work/mnist.pt" ] || Services/Trainer/bin/Release/net10.0/MnistEvents.Trainer --epochs 1 --log-interval 100000 --save-model --save-model-path "$work/mnist.pt" >/dev/null
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

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; scripts/rabbitmq.sh stop "$amqp_port" >/dev/null; }
trap cleanup EXIT
wait_http() { for _ in $(seq 1 150); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; echo "no answer from $1" >&2; return 1; }
# wrk's figures: requests/s, p50 ms, p99 ms, failed (non-2xx + socket errors)
measure() {
  # Warm-up: .NET compiles hot paths to optimised code over the first seconds; Python has no such phase.
  IMG="$work/digit.png" wrk -t1 -c"$conns" -d"${WARMUP:-10}s" -s "$peer/multipart.lua" "$1" >/dev/null
  IMG="$work/digit.png" wrk -t1 -c"$conns" -d"${duration}s" --latency -s "$peer/multipart.lua" "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 } / 50%/ { p50 = ms($2) } / 99%/ { p99 = ms($2) }
    /Non-2xx/ { failed += $NF } /Socket errors/ { gsub(/,/, ""); failed += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.1f %.1f %d\n", rps, p50, p99, failed }'
}

echo "== project: gateway -> RabbitMQ -> 3 predictors ($conns connections, ${duration}s)"
scripts/rabbitmq.sh start "$amqp_port" >/dev/null
export Bus__Transport=RabbitMQ Bus__RabbitMQ__Host=127.0.0.1 Bus__RabbitMQ__Port="$amqp_port" Predictor__ModelPath="$work/mnist.pt" Predictor__TorchThreads=1
for i in 0 1 2; do
  bin="$PWD/Services/Predictor/bin/Release/net10.0"
  POD_NAME="predictor-$i" ASPNETCORE_URLS="http://127.0.0.1:$((5690 + i))" Logging__LogLevel__Default=Warning \
    "$bin/MnistEvents.Predictor" --contentRoot "$bin" > "$work/predictor-$i.log" 2>&1 & pids+=($!)
done
bin="$PWD/Services/Gateway/bin/Release/net10.0"
# wrk is one client address: the per-client rate limit (which the peer does not have) would measure itself, not the path.
Gateway__PredictionRequestsPerSecondPerClient=0 Logging__LogLevel__Default=Warning "$bin/MnistEvents.Gateway" --contentRoot "$bin" --urls http://127.0.0.1:5680 > "$work/gateway.log" 2>&1 & pids+=($!)
for port in 5690 5691 5692 5680; do wait_http "http://127.0.0.1:$port/healthz/ready"; done
read -r p_rps p_p50 p_p99 p_failed < <(measure http://127.0.0.1:5680/prediction)
echo "$p_rps req/s, p50 $p_p50 ms, p99 $p_p99 ms, $p_failed failed"
cleanup; pids=()

echo "== peer: Flask dev server (threaded), pytorch/examples CNN"
(cd "$peer" && exec /usr/bin/python3 seed_app.py --model_path "$work/seed_cnn.pt" --arch cnn --port 5056 > "$work/flask.log" 2>&1) & pids+=($!)
wait_http http://127.0.0.1:5056/
read -r f_rps f_p50 f_p99 f_failed < <(measure http://127.0.0.1:5056/prediction)
echo "$f_rps req/s, p50 $f_p50 ms, p99 $f_p99 ms, $f_failed failed"
cleanup; pids=()

echo "== peer: the same app under gunicorn -w 2 (the stronger peer)"
(cd "$peer" && SEED_MODEL="$work/seed_cnn.pt" SEED_ARCH=cnn exec gunicorn -w 2 -b 127.0.0.1:5057 seed_wsgi:app > "$work/gunicorn.log" 2>&1) & pids+=($!)
wait_http http://127.0.0.1:5057/
read -r g_rps g_p50 g_p99 g_failed < <(measure http://127.0.0.1:5057/prediction)
echo "$g_rps req/s, p50 $g_p50 ms, p99 $g_p99 ms, $g_failed failed"

echo
printf '%-34s %10s %9s %9s %7s\n' target "req/s" "p50 ms" "p99 ms" failed
printf '%-34s %10s %9s %9s %7s\n' "project (RabbitMQ, 3 predictors)" "$p_rps" "$p_p50" "$p_p99" "$p_failed"
printf '%-34s %10s %9s %9s %7s\n' "peer: Flask dev server" "$f_rps" "$f_p50" "$f_p99" "$f_failed"
printf '%-34s %10s %9s %9s %7s\n' "peer: gunicorn -w 2" "$g_rps" "$g_p50" "$g_p99" "$g_failed"
awk -v p="$p_rps" -v g="$g_rps" -v f="$f_rps" -v pp="$p_p99" -v gp="$g_p99" 'BEGIN {
  printf "ratio: %.2fx gunicorn throughput (%.2fx Flask dev server); p99 %.1f ms vs %.1f ms\n", p / g, p / f, pp, gp }'
