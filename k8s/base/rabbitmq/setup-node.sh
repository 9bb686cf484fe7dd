#!/bin/sh
# The node's own files, written by the init container where the node reads them, none on its volume:
# - the Erlang cookie, from its Secret, readable by its owner only: Erlang refuses a cookie its group can read, which
#   one kept on the volume becomes when the kubelet applies fsGroup to it (as RabbitMQ's Cluster Operator does it);
# - the configuration: this deployment's, and the memory the node may use computed from its container's limit, since
#   the node would otherwise take the whole machine's RAM as its own and be OOM-killed before its memory alarm fires.
set -eu
home="${RABBITMQ_HOME:-/var/lib/rabbitmq}"
confd="${RABBITMQ_CONF_D:-/etc/rabbitmq/conf.d}"
cp "${ERLANG_COOKIE_SOURCE:-/secrets/erlang-cookie/erlang-cookie}" "$home/.erlang.cookie"
chmod 600 "$home/.erlang.cookie"
cp "${CONFIG:-/config}/20-mnist.conf" "$confd/20-mnist.conf"
limit="${MEMORY_LIMIT:?MEMORY_LIMIT is not set (the container's memory limit in bytes)}"
case "$limit" in
  '' | *[!0-9]*) echo "MEMORY_LIMIT must be a number of bytes, not '$limit'" >&2; exit 1 ;;
esac
# The Operator's headroom for the Erlang runtime: a fifth of the limit, at most 2 GiB.
gib=1073741824
if [ $((limit / 5)) -gt $((2 * gib)) ]; then usable=$((limit - 2 * gib)); else usable=$((limit - limit / 5)); fi
printf 'total_memory_available_override_value = %s\n' "$usable" >"$confd/30-memory.conf"
echo "wrote $home/.erlang.cookie (0600), $confd/20-mnist.conf, $confd/30-memory.conf ($usable of $limit bytes)"
