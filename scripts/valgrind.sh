#!/usr/bin/env bash
# Runs every unit test binary of a build under valgrind (memcheck, children
# traced, since Criterion runs each test in a child process) and fails if
# any process reports an error or a definite/indirect leak. Criterion's
# worker exit codes do not reach the runner, so the logs are what count.
#   scripts/valgrind.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: scripts/valgrind.sh BUILD_DIR}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0
# Every request runs many times slower under valgrind: the tests' own
# timeouts and time bounds scale by this (tests/support/fake_answers.h).
export PCF_TEST_TIME_SCALE=${PCF_TEST_TIME_SCALE:-10}
for t in "$build"/tests/unit_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  found=0
  valgrind -q --trace-children=yes --leak-check=full \
    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
    --log-file="$logs/$name.%p.log" "$t" --jobs 1 -q >/dev/null 2>&1 || {
      echo "valgrind: $name failed its tests under valgrind" >&2; status=1; }
  # -q leaves a log empty unless something was found.
  for log in "$logs/$name".*.log; do
    if [ -s "$log" ]; then
      echo "valgrind: $name reported problems:" >&2
      cat "$log" >&2
      found=1
    fi
  done
  if [ $found -eq 0 ]; then echo "valgrind: $name clean" >&2; else status=1; fi
done
exit $status
