#!/usr/bin/env bash
# The engine's benchmark: converging 1, 10 and 100 independent tables on a
# dynalite that holds every new table CREATING for 2 s. Each figure is the
# wall time to converge divided by those 2 s (1.0 would be "as fast as the
# server allows"), beside the same ratio for boto3 creating the tables one
# after another with its table_exists waiter, measured in the same run on
# the same server. For more tables than --parallel (default 8) the engine
# also runs once with --parallel N.
#
#   bench/engine/run.sh               (builds into build-bench if PCF_BUILD is unset)
#   BENCH_QUICK=1 bench/engine/run.sh (1 and 10 tables only; the 100-table
#                                      boto3 baseline alone takes over 200 s)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
create_ms=2000
if [ -z "${PCF_BUILD:-}" ]; then
  export PCF_BUILD="$root/build-bench"
  cmake -S "$root" -B "$PCF_BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$PCF_BUILD" -j"$(nproc)" --target engine_bench pcf-with-server >/dev/null
fi
[ -x "$PCF_BUILD/bench/engine/engine_bench" ] ||
  cmake --build "$PCF_BUILD" --target engine_bench pcf-with-server >/dev/null

if [ "${1:-}" != "--inner" ]; then
  exec "$PCF_BUILD/tests/pcf-with-server" --dynalite --create-ms "$create_ms" -- "$0" --inner
fi

counts="1 10 100"
[ "${BENCH_QUICK:-0}" = 1 ] && counts="1 10"
bench="$PCF_BUILD/bench/engine/engine_bench"
seconds() {
  local v
  v=$(printf '%s\n' "$1" | sed -n 's/^seconds=//p')
  [ -n "$v" ] || { echo "bench/engine: a run printed no time" >&2; exit 1; }
  printf '%s\n' "$v"
}
run=$$

for n in $counts; do
  boto=$(seconds "$(/usr/bin/python3 "$here/boto3_serial.py" "$AWS_ENDPOINT_URL_DYNAMODB" \
    "$n" "bench-boto-$run-$n")")
  pcf=$(seconds "$("$bench" "$n" 8 "bench-pcf-$run-$n")")
  awk -v n="$n" -v p="$pcf" -v b="$boto" -v c="$create_ms" 'BEGIN {
    pr = p * 1000 / c; br = b * 1000 / c
    printf "BENCH engine_converge_%d_tables %.2f x_creating_time baseline=boto3_serial_waiter %.2f ratio=%.3f\n", n, pr, br, pr / br
  }'
  if [ "$n" -gt 8 ]; then
    pcfn=$(seconds "$("$bench" "$n" "$n" "bench-pcfn-$run-$n")")
    awk -v n="$n" -v p="$pcfn" -v b="$boto" -v c="$create_ms" 'BEGIN {
      pr = p * 1000 / c; br = b * 1000 / c
      printf "BENCH engine_converge_%d_tables_parallel_%d %.2f x_creating_time baseline=boto3_serial_waiter %.2f ratio=%.3f\n", n, n, pr, br, pr / br
    }'
  fi
done
