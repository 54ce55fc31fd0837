#!/usr/bin/env bash
# Bootstraps the machine, builds pcf twice (plain with warnings as errors,
# then with AddressSanitizer + UndefinedBehaviorSanitizer) and runs every
# test in both builds: unit tests, integration tests against dynoxide,
# dynalite and moto (each started once per ctest run), a valgrind leak
# check of the unit tests and a short fuzz run of the definitions loader.
# Each step says when it starts (seconds since the script began). Ends with
# ctest's summary of the sanitized run and one line totalling both runs.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc 2>/dev/null || echo 2)
step() { printf '\n==> %s (at %ds)\n' "$*" "$SECONDS" >&2; }
passed=0
failed=0

step "bootstrap (packages and local DynamoDB servers)"
scripts/bootstrap.sh

build() {
  local dir=$1; shift
  step "configure $dir ($*)"
  cmake -S . -B "$dir" -DPCF_WERROR=ON "$@" >/dev/null
  step "build $dir"
  if ! cmake --build "$dir" -j"$jobs" >"$dir/build.log" 2>&1; then
    grep -vE '^\[ *[0-9]+%\] (Building|Linking|Built)' "$dir/build.log" >&2
    echo "build failed in $dir" >&2
    exit 1
  fi
}

run_tests() {
  local dir=$1 log rc=0
  step "test $dir"
  log="$dir/ctest.log"
  (cd "$dir" && ctest -j"$jobs" --output-on-failure --timeout 900) 2>&1 | tee "$log" || rc=1
  local total fails
  total=$(sed -nE 's/.* tests failed out of ([0-9]+).*/\1/p' "$log" | tail -n 1)
  fails=$(sed -nE 's/.*, ([0-9]+) tests failed out of.*/\1/p' "$log" | tail -n 1)
  total=${total:-0}
  fails=${fails:-0}
  passed=$((passed + total - fails))
  failed=$((failed + fails))
  if [ "$rc" -ne 0 ] || [ "$total" -eq 0 ]; then
    echo "tests: $passed passed, $failed failed"
    exit 1
  fi
}

step "format: every C file as .clang-format says"
if ! git ls-files '*.c' '*.h' | xargs clang-format --dry-run -Werror; then
  echo "format check failed: run clang-format -i on the files above" >&2
  exit 1
fi

build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
run_tests build
step "valgrind: unit tests leak-free"
scripts/valgrind.sh build
if [ -x scripts/fuzz.sh ]; then
  step "fuzz the definitions loader for a fixed short time"
  scripts/fuzz.sh 30
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
build build-sanitize -DCMAKE_BUILD_TYPE=Debug -DPCF_SANITIZE=ON -DPCF_BUILD_BENCH=OFF
run_tests build-sanitize

step "done"
echo "tests: $passed passed, $failed failed"
