#!/usr/bin/env bash
# Builds the six service images (tag below, the one k8s/ names) from the repository root and, where minikube is
# installed, loads them into it: `scripts/images.sh` then `kubectl apply -k k8s/`. Needs a Docker engine, and network
# access for the base images (mcr.microsoft.com, Docker Hub) and for NuGet and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
tag=0.1.0
services=(gateway predictor trainer web launcher controller)

command -v docker >/dev/null || { echo "images.sh needs docker (a Docker engine) to build the images" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "images.sh: the docker client is here but no Docker engine answers" >&2; exit 1; }

for service in "${services[@]}"; do
  project="$(tr '[:lower:]' '[:upper:]' <<< "${service:0:1}")${service:1}"
  echo "building mnistevents/$service:$tag"
  docker build -f "Services/$project/Dockerfile" -t "mnistevents/$service:$tag" .
done

if command -v minikube >/dev/null; then
  for service in "${services[@]}"; do
    echo "loading mnistevents/$service:$tag into minikube"
    minikube image load "mnistevents/$service:$tag"
  done
else
  echo "minikube not found: push mnistevents/*:$tag to a registry your cluster pulls from (and adjust k8s/'s image names)"
fi
