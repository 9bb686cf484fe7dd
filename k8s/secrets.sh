#!/bin/sh
# Writes the deployment's secrets, each a fresh random value, into k8s/base/run-k8s-secrets.sh-first/ (git-ignored),
# which kustomize turns into the Secrets: run it once before the first `kubectl apply -k`. A file already there is kept,
# so running it again changes nothing a deployment uses; delete a file to have it written anew (then re-apply: the
# Secret's name changes with its content and the pods that read it roll). For production, keep them in a secret
# manager instead (docs/kubernetes.md, "Secrets": SOPS, External Secrets).
set -eu
dir="$(cd "$(dirname "$0")" && pwd)/base/run-k8s-secrets.sh-first"
mkdir -p "$dir"
umask 077

# Letters and digits only: the broker's init script puts passwords into JSON unescaped, and refuses anything else.
random() { LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$1"; }

write() {
  file="$dir/$1"
  shift
  if [ -e "$file" ]; then
    echo "kept    $file"
    return
  fi
  for entry in "$@"; do printf '%s\n' "$entry"; done >"$file.tmp"
  mv "$file.tmp" "$file"
  echo "written $file"
}

write broker-credentials.env \
  "admin-password=$(random 32)" \
  "gateway-password=$(random 32)" \
  "predictor-password=$(random 32)" \
  "trainer-password=$(random 32)" \
  "launcher-password=$(random 32)" \
  "controller-password=$(random 32)" \
  "monitoring-username=monitoring" \
  "monitoring-password=$(random 32)" \
  "retrainer-password=$(random 32)" \
  "watcher-password=$(random 32)"
write rabbitmq-erlang-cookie.env "erlang-cookie=$(random 64)"
write gateway-secrets.env "admin-token=$(random 40)"
