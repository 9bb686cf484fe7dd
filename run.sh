#!/usr/bin/env bash
# The whole system on the embedded default: gateway, predictor and trainer worker in one process on the
# in-memory bus, on http://localhost:8080. With no model yet it trains one first (progress in the log).
# Ctrl-C stops it cleanly.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh
ensure_tools
./scripts/fetch-mnist.sh

dotnet build Services/AllInOne/AllInOne.csproj -c Release -nologo -clp:ErrorsOnly
export Predictor__ModelPath="${MNIST_MODEL_PATH:-models/mnist.pt}" Trainer__ModelPath="${MNIST_MODEL_PATH:-models/mnist.pt}"
echo "MnistEvents on http://localhost:8080 (model: $Predictor__ModelPath; Ctrl-C stops it)"
bin="$PWD/Services/AllInOne/bin/Release/net10.0"
exec "$bin/MnistEvents.AllInOne" --contentRoot "$bin" --urls "${URLS:-http://0.0.0.0:8080}"
