#!/usr/bin/env bash
# Installs what building, testing and running pcf need on Debian 12, and
# nothing that is already there, so a second run only checks and returns.
#
#   Debian packages: compiler toolchain, the -dev packages of the fixed
#   libraries (libcurl with OpenSSL, OpenSSL, libyaml, cJSON, Criterion),
#   Node and npm for dynalite, Python with boto3 for the benchmark baselines
#   and pip for moto, valgrind and clang for the checks.
#   npm packages (into .servers/, git-ignored), at pinned versions: dynoxide
#   (a static binary, shipped as @dynoxide/linux-x64) and dynalite.
#   moto's server: used from this Python when `import moto.server` works,
#   otherwise installed with pip.
# The three local servers are open source; see the README's server table.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
servers="$here/.servers"

DYNOXIDE_VERSION=1.2.1
DYNALITE_VERSION=4.0.0

packages=(
  build-essential cmake pkg-config git
  libcurl4-openssl-dev libssl-dev libyaml-dev libcjson-dev libcriterion-dev
  nodejs npm
  python3 python3-boto3 python3-pip
  valgrind clang clang-format libclang-rt-14-dev
  openssl curl
)

say() { printf 'bootstrap: %s\n' "$*" >&2; }

missing=()
for p in "${packages[@]}"; do
  # npm and pip may come from outside Debian (nodesource, nvm, venv): a
  # working command counts.
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
  if [ "$p" = python3-pip ] && python3 -m pip --version >/dev/null 2>&1; then continue; fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "Debian packages present"
fi

# dynoxide's npm package for this platform holds the binary itself.
want="@dynoxide/linux-x64@$DYNOXIDE_VERSION dynalite@$DYNALITE_VERSION"
stamp="$servers/.installed"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && [ -x "$servers/node_modules/@dynoxide/linux-x64/dynoxide" ] \
   && [ -f "$servers/node_modules/dynalite/cli.js" ]; then
  say "dynoxide and dynalite present in .servers/"
else
  say "installing local DynamoDB servers into .servers/: $want"
  mkdir -p "$servers"
  # A package.json of its own keeps npm from walking up into the repository.
  printf '{"name":"pcf-local-servers","private":true}\n' >"$servers/package.json"
  rm -f "$servers/package-lock.json"
  (cd "$servers" && npm install --no-audit --no-fund --loglevel=error \
      "@dynoxide/linux-x64@$DYNOXIDE_VERSION" "dynalite@$DYNALITE_VERSION" >&2)
  chmod +x "$servers/node_modules/@dynoxide/linux-x64/dynoxide"
  printf '%s' "$want" >"$stamp"
fi

if python3 -c 'import moto.server' 2>/dev/null; then
  say "moto server present ($(python3 -c 'import moto; print(moto.__version__)'))"
else
  say "moto is missing from python3: installing moto[server] with pip"
  # Debian's Python refuses system-wide pip installs unless told; a user
  # install keeps the system's packages untouched.
  if ! python3 -m pip install --user --quiet --break-system-packages 'moto[server]' >&2 \
     && ! python3 -m pip install --user --quiet 'moto[server]' >&2; then
    say "could not install moto[server] with pip (no network to PyPI?)."
    say "install it by hand (pip install 'moto[server]') and run this again;"
    say "the integration tests that need moto cannot run without it."
    exit 1
  fi
  python3 -c 'import moto.server' || { say "moto installed but 'import moto.server' fails"; exit 1; }
fi
