# The project's services on a real broker, each its own process connecting as its own broker user with only the
# permissions k8s/ gives it. Shared by scripts/topology.sh and bench/lib.sh (source it from the repository root, after
# scripts/lib.sh); the C# suites' counterpart is tests/TestSupport/BrokerTopology.cs. Services started here are
# appended to the caller's `pids` array.

# services_broker PORT DIR: a private RabbitMQ node on PORT holding the definitions k8s/ deploys (k8s/base/rabbitmq/:
# virtual host mnist, one user per service), rendered with passwords made for this run (rendered in DIR, then
# removed); exports the bus settings every service reads.
services_broker() {
  local port=$1 dir=$2 user
  scripts/rabbitmq.sh start "$port" >/dev/null
  for user in ADMIN GATEWAY PREDICTOR TRAINER LAUNCHER CONTROLLER MONITORING RETRAINER WATCHER; do
    declare -g "${user}_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"; export "${user}_PASSWORD"
  done
  DEFINITIONS_TEMPLATE=k8s/base/rabbitmq/definitions.template.json DEFINITIONS="$dir/definitions.json" \
    sh k8s/base/rabbitmq/render-definitions.sh >/dev/null
  scripts/rabbitmq.sh import "$port" "$dir/definitions.json"
  rm -f "$dir/definitions.json"
  export Bus__Transport=RabbitMQ Bus__RabbitMQ__Host=127.0.0.1 Bus__RabbitMQ__Port="$port" Bus__RabbitMQ__VirtualHost=mnist
}

# as_user USER COMMAND...: runs COMMAND as broker USER (admin, gateway, predictor, trainer, launcher, controller, retrainer, watcher, or none): that
# user's password only, no other.
as_user() {
  broker_user "$1"; shift
  env "${broker_user_env[@]}" "$@"
}

# broker_user USER: sets broker_user_env to env(1)'s arguments for connecting as USER and as no one else.
broker_user() {
  local upper; upper=$(echo "$1" | tr '[:lower:]' '[:upper:]')
  broker_user_env=(-u ADMIN_PASSWORD -u GATEWAY_PASSWORD -u PREDICTOR_PASSWORD -u TRAINER_PASSWORD -u LAUNCHER_PASSWORD -u CONTROLLER_PASSWORD -u MONITORING_PASSWORD -u RETRAINER_PASSWORD -u WATCHER_PASSWORD
    Bus__RabbitMQ__Username="$1" Bus__RabbitMQ__Password="$(eval "echo \${${upper}_PASSWORD:-}")")
}

# services_start NAME URL PROJECT USER LOG [ARGS...]: Services/PROJECT's Release build in the background, as pod NAME
# listening on URL, connecting as broker USER, its output in LOG; its pid in service_pid. (A plain command, not a
# function, goes to the background, so the pid is the service's own and stopping it stops the service.)
services_start() {
  local name=$1 url=$2 project=$3 user=$4 log=$5; shift 5
  local bin="$PWD/Services/$project/bin/Release/net10.0"
  broker_user "$user"
  env "${broker_user_env[@]}" POD_NAME="$name" ASPNETCORE_URLS="$url" "$bin/MnistEvents.$project" "$@" --contentRoot "$bin" > "$log" 2>&1 &
  service_pid=$!
  pids+=("$service_pid")
}

# services_stop PORT: stops every service started (the caller's pids) and the broker on PORT.
services_stop() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
  scripts/rabbitmq.sh stop "$1" >/dev/null
}
