#!/usr/bin/env bash
# The whole system on the embedded default: the web UI, gateway, predictor and trainer worker in one process on
# the in-memory bus, on http://localhost:8080. With no model yet it trains one first (progress in the log and the UI).
# Ctrl-C stops it cleanly.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh
ensure_tools
./scripts/fetch-mnist.sh

dotnet build Services/AllInOne/AllInOne.csproj -c Release -nologo -clp:ErrorsOnly
export ModelVolume__ModelPath="${MNIST_MODEL_PATH:-models/mnist.pt}"
echo "Starting MnistEvents (model: $ModelVolume__ModelPath; Ctrl-C stops it); it prints the URL to open when it listens"
bin="$PWD/Services/AllInOne/bin/Release/net10.0"
exec "$bin/MnistEvents.AllInOne" --contentRoot "$bin" --urls "${URLS:-http://0.0.0.0:8080}"
