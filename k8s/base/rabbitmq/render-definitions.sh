#!/bin/sh
# Renders definitions.json from the template and the broker-credentials Secret (env *_PASSWORD), so each password
# lives in one place: the Secret the services read too. Passwords are letters, digits, '-' and '_' only (JSON-safe).
set -eu
template="${DEFINITIONS_TEMPLATE:-/config/definitions.template.json}"
out="${DEFINITIONS:-/etc/rabbitmq/definitions/definitions.json}"
content=$(cat "$template")
for name in ADMIN GATEWAY PREDICTOR TRAINER LAUNCHER CONTROLLER MONITORING RETRAINER WATCHER; do
  eval "value=\${${name}_PASSWORD:?${name}_PASSWORD is not set}"
  case "$value" in
    *[!A-Za-z0-9_-]*) echo "${name}_PASSWORD may hold only letters, digits, '-' and '_'" >&2; exit 1 ;;
  esac
  content=$(printf '%s' "$content" | sed "s/\${${name}_PASSWORD}/${value}/g")
done
case "$content" in
  *'${'*) echo "$template names a password this script does not fill in" >&2; exit 1 ;;
esac
printf '%s\n' "$content" > "$out"
echo "rendered $out"
