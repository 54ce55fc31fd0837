#!/usr/bin/env bash
# Bootstraps the machine, builds pcf twice (plain with warnings as errors,
# then with AddressSanitizer + UndefinedBehaviorSanitizer) and runs every
# test in both builds: unit tests, integration tests against DynamoDB Local
# and dynalite, and the short fuzz run. Ends with ctest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc 2>/dev/null || echo 2)
step() { printf '\n==> %s\n' "$*" >&2; }

step "bootstrap (packages and local DynamoDB servers)"
scripts/bootstrap.sh

run_suite() {
  local dir=$1; shift
  step "configure $dir ($*)"
  cmake -S . -B "$dir" -DPCF_WERROR=ON "$@" >/dev/null
  step "build $dir"
  cmake --build "$dir" -j"$jobs" 2>&1 | grep -vE '^\[ *[0-9]+%\] (Building|Linking|Built)' || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "build failed in $dir" >&2; exit 1; }
  step "test $dir"
  (cd "$dir" && ctest -j"$jobs" --output-on-failure --timeout 900)
}

run_suite build -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ -x scripts/valgrind.sh ]; then
  step "valgrind: unit tests leak-free"
  scripts/valgrind.sh build
fi
# ASan wants no ptrace-style interference and a clean leak report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
run_suite build-sanitize -DCMAKE_BUILD_TYPE=Debug -DPCF_SANITIZE=ON -DPCF_BUILD_BENCH=OFF
if [ -x scripts/fuzz.sh ]; then
  step "fuzz the definitions loader for a fixed short time"
  scripts/fuzz.sh 30
fi
step "all suites passed"
# The last ctest summary above is the sanitized run; both runs must pass to get here.
