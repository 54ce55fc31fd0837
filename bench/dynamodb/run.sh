#!/usr/bin/env bash
# The DynamoDB client's benchmark: single-thread GetItem and PutItem
# (requests per second and client CPU per request) and GetItem with many
# requests in flight from one thread, each beside boto3 (Debian's
# python3-boto3, /usr/bin/python3) measured in the same run against the
# same dynoxide (a fast server, so that the client's own cost shows).
# Prints BENCH lines; takes about a minute.
#
#   bench/dynamodb/run.sh            (builds into build-bench if PCF_BUILD is unset)
#   BENCH_SECONDS=5 BENCH_IN_FLIGHT=50 bench/dynamodb/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ -z "${PCF_BUILD:-}" ]; then
  export PCF_BUILD="$root/build-bench"
  cmake -S "$root" -B "$PCF_BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$PCF_BUILD" -j"$(nproc)" --target ddb_bench pcf-with-server >/dev/null
fi

if [ "${1:-}" != "--inner" ]; then
  exec "$PCF_BUILD/tests/pcf-with-server" --dynoxide -- "$0" --inner
fi

seconds=${BENCH_SECONDS:-5}
in_flight=${BENCH_IN_FLIGHT:-50}
table="bench-$$"
c="$PCF_BUILD/bench/dynamodb/ddb_bench"
py=/usr/bin/python3
"$c" setup "$table"
# Warm the server and the table first so that neither client pays for it.
"$c" get "$table" 2 >/dev/null

# measure NAME MODE [IN_FLIGHT]: runs pcf then boto3 and prints two BENCH lines.
measure() {
  local name=$1 mode=$2 n=${3:-}
  local ours theirs
  ours=$("$c" "$mode" "$table" "$seconds" $n | awk '/^RESULT/ {print $2, $3}')
  theirs=$("$py" "$here/boto3_bench.py" "$mode" "$table" "$seconds" $n | awk '/^RESULT/ {print $2, $3}')
  awk -v name="$name" -v o="$ours" -v t="$theirs" 'BEGIN {
    split(o, a, " "); split(t, b, " ");
    printf "BENCH %s_rps %s req/s baseline=boto3 %s ratio=%.2f\n", name, a[1], b[1], a[1] / b[1];
    printf "BENCH %s_cpu %s us/req baseline=boto3 %s ratio=%.2f\n", name, a[2], b[2], a[2] / b[2];
  }'
}

measure ddb_get_item get
measure ddb_put_item put
measure ddb_get_item_${in_flight}_in_flight many "$in_flight"
