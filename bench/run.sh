#!/usr/bin/env bash
# Runs every benchmark: builds pcf (Release), then each bench/<subject>/run.sh
# with $PCF_BUILD pointing at the build. Each prints lines of the form
#   BENCH <name> <value> <unit> baseline=<name> <value> ratio=<r>
# where the baseline (boto3 from Debian's python3-boto3, or a plain loop)
# is measured in the same run against the same local server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export PCF_BUILD="$PWD/build-bench"
cmake -S . -B "$PCF_BUILD" -DCMAKE_BUILD_TYPE=Release -DPCF_BUILD_TESTS=ON >/dev/null
cmake --build "$PCF_BUILD" -j"$(nproc)" >/dev/null
for script in bench/*/run.sh; do
  [ -x "$script" ] || continue
  printf '==> %s\n' "$script" >&2
  "$script"
done
