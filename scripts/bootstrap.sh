#!/usr/bin/env bash
# Installs what building, testing and running pcf need on Debian 12, and
# nothing that is already there, so a second run only checks and returns.
#
#   Debian packages: compiler toolchain, the -dev packages of the fixed
#   libraries (libcurl with OpenSSL, OpenSSL, libyaml, cJSON, Criterion),
#   a Java runtime for DynamoDB Local, Node and npm for dynalite, boto3 for
#   the benchmark baselines, valgrind and clang for the checks.
#   npm packages (into .servers/, git-ignored): DynamoDB Local as shipped in
#   amplify-dynamodb-simulator, and dynalite, both at pinned versions.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
servers="$here/.servers"

DDB_SIMULATOR_VERSION=2.9.30
DYNALITE_VERSION=4.0.0

packages=(
  build-essential cmake pkg-config git
  libcurl4-openssl-dev libssl-dev libyaml-dev libcjson-dev libcriterion-dev
  default-jre-headless nodejs npm
  python3 python3-boto3
  valgrind clang clang-format libclang-rt-14-dev
  openssl
)

say() { printf 'bootstrap: %s\n' "$*" >&2; }

missing=()
for p in "${packages[@]}"; do
  # npm may come from outside Debian (nodesource, nvm): a working npm counts.
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
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

want="amplify-dynamodb-simulator@$DDB_SIMULATOR_VERSION dynalite@$DYNALITE_VERSION"
stamp="$servers/.installed"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && [ -f "$servers/node_modules/amplify-dynamodb-simulator/emulator/DynamoDBLocal.jar" ] \
   && [ -f "$servers/node_modules/dynalite/cli.js" ]; then
  say "local DynamoDB servers present in .servers/"
else
  say "installing local DynamoDB servers into .servers/: $want"
  mkdir -p "$servers"
  [ -f "$servers/package.json" ] || printf '{"name":"pcf-local-servers","private":true}\n' >"$servers/package.json"
  (cd "$servers" && npm install --no-audit --no-fund --loglevel=error \
      "amplify-dynamodb-simulator@$DDB_SIMULATOR_VERSION" "dynalite@$DYNALITE_VERSION" >&2)
  printf '%s' "$want" >"$stamp"
fi
