#!/usr/bin/env bash
# A private RabbitMQ node with its own data directory and ports, for the broker tests, the local topology
# and bench/serve: `scripts/rabbitmq.sh start [PORT]` (waits until it accepts AMQP), `scripts/rabbitmq.sh stop [PORT]`,
# `scripts/rabbitmq.sh import PORT DEFINITIONS.json` (virtual hosts, users and permissions, as k8s/ deploys them).
# Installs Debian's rabbitmq-server if needed; never touches the system's own node.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
cmd="${1:?usage: scripts/rabbitmq.sh start|stop [PORT] | import PORT FILE}"
port="${2:-5679}"
dir="${RABBITMQ_DIR:-/tmp/mnistevents-rabbitmq-$port}"
export RABBITMQ_NODENAME="mnistevents$port@localhost"
export RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/pid"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" RABBITMQ_DIST_PORT="$((port + 20000))" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"

# RabbitMQ reads a bare LOGS (and other short names) from the environment as its own settings.
unset LOGS
# The wrapper in /usr/sbin runs as the rabbitmq user with its own Erlang cookie; this node is ours.
ctl=/usr/lib/rabbitmq/bin/rabbitmqctl

case "$cmd" in
  start)
    ensure_apt rabbitmq-server
    if timeout 20 "$ctl" -n "$RABBITMQ_NODENAME" -q status >/dev/null 2>&1; then echo "RabbitMQ $RABBITMQ_NODENAME already running on :$port"; exit 0; fi
    mkdir -p "$dir/log" && echo "[]." > "$RABBITMQ_ENABLED_PLUGINS_FILE"
    setsid /usr/lib/rabbitmq/bin/rabbitmq-server > "$dir/server.log" 2>&1 < /dev/null &
    if ! timeout 90 "$ctl" -n "$RABBITMQ_NODENAME" -q wait "$RABBITMQ_PID_FILE" --timeout 85 >/dev/null 2>&1; then
      echo "RabbitMQ did not start; see $dir/server.log and $dir/log" >&2; tail -20 "$dir/server.log" >&2; exit 1
    fi
    echo "RabbitMQ $RABBITMQ_NODENAME accepting AMQP on :$port"
    ;;
  stop)
    [ -f "$RABBITMQ_PID_FILE" ] || exit 0
    pid=$(cat "$RABBITMQ_PID_FILE")
    timeout 30 "$ctl" -n "$RABBITMQ_NODENAME" -q stop >/dev/null 2>&1 || true
    # Gone, or a zombie nobody reaps: either way it serves nothing. Past 30 s it is killed.
    for _ in $(seq 1 60); do
      state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo gone)
      [ "$state" = gone ] || [ "$state" = Z ] && break
      sleep 0.5
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$RABBITMQ_PID_FILE"
    # The node's epmd outlives it when no other Erlang node is left; stop it then.
    if ! pgrep -f 'beam.smp.*rabbit' >/dev/null; then pkill -x epmd 2>/dev/null || true; fi
    ;;
  import)
    "$ctl" -n "$RABBITMQ_NODENAME" -q import_definitions "${3:?usage: scripts/rabbitmq.sh import PORT FILE}"
    ;;
  *) echo "usage: scripts/rabbitmq.sh start|stop [PORT] | import PORT FILE" >&2; exit 2 ;;
esac
