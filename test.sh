#!/usr/bin/env bash
# Every test of the project: installs what it needs, fetches MNIST, builds once, runs all suites.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh
ensure_tools
ensure_browser
# An AMQP client no one here wrote: the RabbitMQ suite asks for a retrain with it, as an outside publisher would.
ensure_apt python3-pika
# A gRPC client no one here wrote: the Open Inference Protocol's, its stubs compiled from the protocol's .proto by grpcio-tools.
ensure_apt python3-grpcio python3-grpc-tools
./scripts/fetch-mnist.sh

dotnet build MnistEvents.sln -c Release -warnaserror -nologo -clp:ErrorsOnly
log=$(mktemp)
status=0
# One test assembly at a time: the suites start processes that each want both cores.
# Detailed: what tests measured (the drawn digit's time to the screen) is printed with their names.
dotnet test MnistEvents.sln -c Release --no-build --nologo -m:1 --logger "console;verbosity=detailed" 2>&1 | tee "$log" || status=$?

# One plain closing line over every test project's summary ("Total tests: 60 / Passed: 58 / Failed: 2").
awk '/^ *Passed: +[0-9]+ *$/ { p += $2 } /^ *Failed: +[0-9]+ *$/ { f += $2 } /^ *Skipped: +[0-9]+ *$/ { s += $2 }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
# A CI log is often read from its tail only: name every failed test there, and any test run that never finished.
# A test's result line is two spaces, the verdict and the test's full name (every test lives in MnistEvents.*): a log
# line that happens to start with "Failed" ("Failed to stop bus…") is not one.
awk '/^  Failed MnistEvents\./ { n = 25; sub(/^ +/, "FAILED: ") } /^  Passed MnistEvents\./ { n = 0 } n-- > 0' "$log"
grep -E 'Test Run Aborted|The active test run was aborted' "$log" | sed 's/^ */ABORTED: /' || true
rm -f "$log"
exit $status
