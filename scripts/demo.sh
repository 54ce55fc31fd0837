#!/usr/bin/env bash
# Bootstraps the machine, builds pcf, starts dynoxide (an open-source local
# DynamoDB that starts in milliseconds) on a free loopback port and runs the
# demo in examples/ against it; the server is stopped when the demo ends,
# however it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc 2>/dev/null || echo 2)
step() { printf '\n==> %s\n' "$*" >&2; }

step "bootstrap (packages and local DynamoDB servers)"
scripts/bootstrap.sh
step "configure and build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs" --target pcf pcf-with-server >/dev/null
step "run the demo against dynoxide"
PCF="$PWD/build/pcf" build/tests/pcf-with-server --dynoxide -- examples/demo/run.sh
