#!/usr/bin/env bash
# The engine's benchmark, every figure with the engine's default flags and
# beside a plain boto3 script measured in the same run on the same server
# (boto3_batch.py: send every call, then wait for each table, polling once
# a second). Times are ratios against the server's hold time, the
# physical limit (1.0 would be "as fast as the server allows").
#
#   create_200   200 tables, dynalite holding CREATING 2 s
#   s1_create_50 / s3_update_50 / s4_delete_50
#                50 tables created, their throughput changed, deleted, on a
#                dynalite holding CREATING / UPDATING / DELETING 500 ms;
#                also how late the end of the hold is noticed (mean, as a
#                fraction of the hold), requests per table and the server's own
#                bound: when the last change went out, plus the hold
#   create_1000  1000 tables on dynalite with 0 ms holds and on dynoxide:
#                wall seconds, requests per table, peak RSS, and of it
#                the run's own (less the shared libraries' pages)
#   noop_1000 / status_1000
#                a no-op apply and a status of those 1000 tables: wall and
#                requests per table (baseline: one DescribeTable each)
#
#   bench/engine/run.sh               (builds into build-bench if PCF_BUILD is unset)
#   BENCH_QUICK=1 bench/engine/run.sh (a tenth of the tables)
#   BENCH_ONLY="hold2 hold500 dynalite0 dynoxide" picks phases
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ -z "${PCF_BUILD:-}" ]; then
  export PCF_BUILD="$root/build-bench"
  cmake -S "$root" -B "$PCF_BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$PCF_BUILD" -j"$(nproc)" --target engine_bench pcf-with-server >/dev/null
fi
[ -x "$PCF_BUILD/bench/engine/engine_bench" ] ||
  cmake --build "$PCF_BUILD" --target engine_bench pcf-with-server >/dev/null
with="$PCF_BUILD/tests/pcf-with-server"
bench="$PCF_BUILD/bench/engine/engine_bench"
scale=1
[ "${BENCH_QUICK:-0}" = 1 ] && scale=10
phases=${BENCH_ONLY:-"hold2 hold500 dynalite0 dynoxide"}

if [ "${1:-}" != "--inner" ]; then
  for phase in $phases; do
    case $phase in
    hold2) "$with" --dynalite --create-ms 2000 -- "$0" --inner hold2 ;;
    hold500)
      "$with" --dynalite --create-ms 500 --update-ms 500 --delete-ms 500 -- "$0" --inner hold500
      ;;
    dynalite0) "$with" --dynalite --create-ms 0 --update-ms 0 --delete-ms 0 -- "$0" --inner dynalite0 ;;
    dynoxide) "$with" --dynoxide -- "$0" --inner dynoxide ;;
    *) echo "bench/engine: no phase $phase" >&2; exit 2 ;;
    esac
  done
  exit 0
fi

field() { # field NAME OUTPUT
  local v
  v=$(printf '%s\n' "$2" | sed -n "s/^$1=//p")
  [ -n "$v" ] || { echo "bench/engine: a run printed no $1" >&2; exit 1; }
  printf '%s\n' "$v"
}
# line NAME VALUE UNIT BASELINE_VALUE
line() {
  awk -v n="$1" -v v="$2" -v u="$3" -v b="$4" 'BEGIN {
    printf "BENCH %s %.3f %s baseline=boto3_batch %.3f ratio=%.3f\n", n, v, u, b, (b > 0 ? v / b : 0)
  }'
}
run=$$-$2
pcf() { "$bench" "$1" "$2" 0 "bench-pcf-$run" "$3"; }
boto() { /usr/bin/python3 "$here/boto3_batch.py" "$1" "$AWS_ENDPOINT_URL_DYNAMODB" "$2" "bench-boto-$run"; }
# held NAME MODE N HOLD_MS: wall / hold, for the engine and boto3
held() {
  local p b
  p=$(pcf "$2" "$3" "$4")
  b=$(boto "$2" "$3")
  line "engine_$1" "$(awk -v s="$(field seconds "$p")" -v h="$4" 'BEGIN { print s * 1000 / h }')" \
    x_hold "$(awk -v s="$(field seconds "$b")" -v h="$4" 'BEGIN { print s * 1000 / h }')"
  line "engine_$1_requests" "$(awk -v r="$(field requests "$p")" -v n="$3" 'BEGIN { print r / n }')" \
    requests_per_table "$(awk -v r="$(field requests "$b")" -v n="$3" 'BEGIN { print r / n }')"
  # What this server allows: the last change sent, then the hold.
  # No baseline measures this one: the format's baseline is "none 0".
  awk -v n="engine_$1_server_bound" -v c="$(field last_change_ms "$p")" -v h="$4" 'BEGIN {
    printf "BENCH %s %.3f x_hold baseline=none 0.000 ratio=0.000\n", n, (c + h) / h
  }'
  LAST_PCF=$p
}
# costs NAME MODE N: wall seconds, requests per table and peak RSS, engine and boto3
costs() {
  local p b
  p=$(pcf "$2" "$3" 0)
  b=$(boto "$2" "$3")
  line "engine_$1_wall" "$(field seconds "$p")" seconds "$(field seconds "$b")"
  line "engine_$1_requests" "$(awk -v r="$(field requests "$p")" -v n="$3" 'BEGIN { print r / n }')" \
    requests_per_table "$(awk -v r="$(field requests "$b")" -v n="$3" 'BEGIN { print r / n }')"
  line "engine_$1_peak_rss" "$(awk -v k="$(field maxrss_kb "$p")" 'BEGIN { print k / 1024 }')" MB \
    "$(awk -v k="$(field maxrss_kb "$b")" 'BEGIN { print k / 1024 }')"
  # Of that peak, the run's own: less the pages of the shared libraries
  # (libcrypto, libc, libcurl and theirs), which a one-table run has too.
  awk -v n="engine_$1_peak_rss_own" -v k="$(field maxrss_kb "$p")" -v f="$(field rss_file_kb "$p")" 'BEGIN {
    printf "BENCH %s %.3f MB baseline=none 0.000 ratio=0.000\n", n, (k - f) / 1024
  }'
}

case $2 in
hold2)
  held create_$((200 / scale))_tables_hold_2s create $((200 / scale)) 2000
  ;;
hold500)
  n=$((50 / scale))
  held s1_create_${n}_tables_hold_500ms create "$n" 500
  # No baseline measures this one: the format's baseline is "none 0".
  for k in mean max; do
    awk -v k="$k" -v l="$(field late_${k}_ms "$LAST_PCF")" 'BEGIN {
      printf "BENCH engine_s1_seen_late_%s %.3f x_hold baseline=none 0.000 ratio=0.000\n", k, l / 500
    }'
  done
  held s3_update_${n}_tables_hold_500ms update "$n" 500
  held s4_delete_${n}_tables_hold_500ms delete "$n" 500
  ;;
dynalite0 | dynoxide)
  n=$((1000 / scale))
  costs "create_${n}_tables_$2" create "$n"
  costs "noop_apply_${n}_tables_$2" noop "$n"
  p=$(pcf status "$n" 0)
  b=$(boto describe "$n")
  line "engine_status_${n}_tables_$2_wall" "$(field seconds "$p")" seconds "$(field seconds "$b")"
  line "engine_status_${n}_tables_$2_requests" \
    "$(awk -v r="$(field requests "$p")" -v n="$n" 'BEGIN { print r / n }')" requests_per_table \
    "$(awk -v r="$(field requests "$b")" -v n="$n" 'BEGIN { print r / n }')"
  ;;
esac
