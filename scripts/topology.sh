#!/usr/bin/env bash
# The real topology on one machine, each part its own process: a private rabbitmq-server node, the gateway on
# :8080 (the Open Inference Protocol's gRPC service on :8001), three predictor replicas (:8081-8083), the trainer worker (:8084), the web UI (Services/Web, :8085, which
# forwards the API and the SignalR hub to the gateway) and the controller (:8086, the lifecycle's one owner). With no
# model yet, the trainer CLI trains one the way the Kubernetes Job does (--epochs 1 --save-model) and announces it on
# the bus; the controller serves it.
# Each service connects as its own broker user with only the permissions it needs: the definitions k8s/ deploys
# (k8s/base/rabbitmq/), rendered with passwords made for this run. Logs: $TOPOLOGY_LOGS (default
# /tmp/mnistevents-topology). Ctrl-C stops everything, the broker included.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source scripts/services.sh
ensure_tools
./scripts/fetch-mnist.sh
dotnet build MnistEvents.sln -c Release -nologo -clp:ErrorsOnly

amqp_port="${AMQP_PORT:-5679}"
logs="${TOPOLOGY_LOGS:-/tmp/mnistevents-topology}"
model="$PWD/${MNIST_MODEL_PATH:-models/mnist.pt}"
mkdir -p "$logs" "$(dirname "$model")"
services_broker "$amqp_port" "$logs"
export ModelVolume__ModelPath="$model" Predictor__TorchThreads=1 Trainer__DataDirectory="$PWD/data/mnist"
export Gateway__AdminToken="${Gateway__AdminToken:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export Web__GatewayUrl=http://127.0.0.1:8080

pids=()
stop() {
  trap - INT TERM EXIT
  echo "stopping..."
  services_stop "$amqp_port"
}
trap stop INT TERM EXIT

start() { # NAME PORT PROJECT USER [ARGS...]
  local name=$1 port=$2 project=$3 user=$4; shift 4
  services_start "$name" "http://127.0.0.1:$port" "$project" "$user" "$logs/$name.log" "$@"
  echo "$name on :$port (log $logs/$name.log)"
}

# Services/Web reaches the gateway from 127.0.0.1: the gateway takes its X-Forwarded-For as the browser's address, so
# each browser keeps its own share (clients from other addresses are taken at their word of nothing).
Proxies__Trusted__0=127.0.0.1 start gateway 8080 Gateway gateway --urls "http://0.0.0.0:8080"
for i in 0 1 2; do start "predictor-$i" "$((8081 + i))" Predictor predictor; done
start trainer 8084 Trainer trainer worker
start controller 8086 Controller controller
start web 8085 Web none --urls "http://0.0.0.0:8085"

if [ ! -f "$model" ]; then
  echo "No model at $model: training one as the Kubernetes Job would, then announcing it (the controller serves it)"
  as_user trainer Services/Trainer/bin/Release/net10.0/MnistEvents.Trainer --epochs 1 --log-interval 200 --save-model --save-model-path "$model"
fi
echo "Open http://localhost:8085 in a browser (the UI, through Services/Web); the API is on http://localhost:8080,"
echo "the Open Inference Protocol's gRPC service on localhost:8001 (examples/oip_grpc_client.py)."
echo "Admin token: $Gateway__AdminToken. Ctrl-C stops everything."
echo "Ask for a retrain and follow it, as k8s/'s retrainer user (another shell, from this directory):"
echo "  Bus__Transport=RabbitMQ Bus__RabbitMQ__Port=$amqp_port Bus__RabbitMQ__VirtualHost=mnist Bus__RabbitMQ__Username=retrainer Bus__RabbitMQ__Password=$RETRAINER_PASSWORD \\"
echo "    Services/Trainer/bin/Release/net10.0/MnistEvents.Trainer request-retrain --epochs 1 --limit 5000 --wait"
wait
