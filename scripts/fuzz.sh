#!/usr/bin/env bash
# Fuzzes the definitions loader for a fixed time and fails on any crash,
# leak or sanitizer report.
#   scripts/fuzz.sh [SECONDS]     (default 30)
# Configures a clang build in build-fuzz (PCF_FUZZ_BUILD_DIR overrides),
# builds the libFuzzer target with ASan and UBSan, and runs it on the seed
# corpus in tests/fuzz/corpus/definitions. New inputs the fuzzer finds go to
# a scratch directory, so the committed corpus changes only by review; a
# crashing input is kept in BUILD/fuzz-artifacts/ and printed.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
dir=${PCF_FUZZ_BUILD_DIR:-build-fuzz}
corpus=tests/fuzz/corpus/definitions
jobs=$(nproc 2>/dev/null || echo 2)

command -v clang >/dev/null || { echo "fuzz.sh: clang is needed (scripts/bootstrap.sh installs it)" >&2; exit 1; }
CC=clang cmake -S . -B "$dir" -DPCF_FUZZ=ON -DPCF_BUILD_BENCH=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$dir" --target fuzz_definitions -j"$jobs" >/dev/null

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
artifacts="$dir/fuzz-artifacts"
mkdir -p "$artifacts"

status=0
"$dir/tests/fuzz/fuzz_definitions" \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -dict=tests/fuzz/definitions.dict -artifact_prefix="$artifacts/" -print_final_stats=1 \
  "$scratch" "$corpus" >"$scratch.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  tail -n 60 "$scratch.log" >&2
  echo "fuzz.sh: fuzz_definitions failed (exit $status); inputs kept in $artifacts" >&2
  rm -f "$scratch.log"
  exit 1
fi
grep -E '^stat::number_of_executed_units|^Done' "$scratch.log" >&2 || true
rm -f "$scratch.log"
echo "fuzz.sh: fuzz_definitions ran ${seconds}s without a crash" >&2
