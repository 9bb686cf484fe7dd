#!/usr/bin/env bash
# The whole system on the embedded default. For now: make sure a model exists (training one with the
# seed's Job arguments if not, with visible progress), report it, and serve the gateway on :8080.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh
ensure_tools
./scripts/fetch-mnist.sh

dotnet build MnistEvents.sln -c Release -nologo -clp:ErrorsOnly
model="${MNIST_MODEL_PATH:-models/mnist.pt}"
if [ ! -f "$model" ]; then
  echo "No model at $model yet: training one (the seed's Job: --epochs 1 --save-model)"
  Services/Trainer/bin/Release/net10.0/MnistEvents.Trainer --epochs 1 --log-interval 100 --save-model --save-model-path "$model"
fi
echo "Model: $(cat "$model.json" 2>/dev/null || echo "$model (no manifest)")"

echo "Gateway on http://localhost:8080 (Ctrl-C stops it)"
exec Services/Gateway/bin/Release/net10.0/MnistEvents.Gateway --urls "http://0.0.0.0:8080"
