#!/usr/bin/env bash
# Transport benchmark: client-side cost per request of pcf_aws_call next
# to boto3 (Debian's python3-boto3), same request mix, same local server
# (dynoxide, whose answers take microseconds, so that the client's own cost
# shows), same run. Prints BENCH lines (see bench/run.sh): CPU
# time per request and requests per second on one thread, then requests
# per second with 16 in flight (pcf_aws_call_many on one thread; boto3
# with 16 threads sharing a client).
#
# Needs $PCF_BUILD (a configured and built tree). PCF_BENCH_AWS_REQUESTS
# sets the number of measured requests per client (default 3000).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${PCF_BUILD:?set PCF_BUILD to a pcf build directory}"
requests=${PCF_BENCH_AWS_REQUESTS:-3000}
bench="$PCF_BUILD/bench/aws/bench_aws_transport"
[ -x "$bench" ] || cmake --build "$PCF_BUILD" --target bench_aws_transport >/dev/null

# The inner script runs with the server's endpoint in AWS_ENDPOINT_URL_DYNAMODB.
inner='
set -euo pipefail
table="pcf-bench-aws-$$"
pcf=$("$1" "$AWS_ENDPOINT_URL_DYNAMODB" "$table" "$3")
boto=$(/usr/bin/python3 "$2" "$AWS_ENDPOINT_URL_DYNAMODB" "$table" "$3")
value() { printf "%s\n" "$1" | sed -n "s/^$2=//p"; }
awk -v pc="$(value "$pcf" cpu_us_per_request)" -v bc="$(value "$boto" cpu_us_per_request)" \
    -v pr="$(value "$pcf" requests_per_second)" -v br="$(value "$boto" requests_per_second)" \
    -v pm="$(value "$pcf" many_requests_per_second)" -v bm="$(value "$boto" many_requests_per_second)" \
    "BEGIN {
      printf \"BENCH aws_cpu_per_request %s us baseline=boto3 %s ratio=%.3f\n\", pc, bc, pc / bc
      printf \"BENCH aws_requests_per_second_1_thread %s req/s baseline=boto3 %s ratio=%.2f\n\", pr, br, pr / br
      printf \"BENCH aws_requests_per_second_16_in_flight %s req/s baseline=boto3_16_threads %s ratio=%.2f\n\", pm, bm, pm / bm
    }"
'
"$PCF_BUILD/tests/pcf-with-server" --dynoxide -- \
  bash -c "$inner" inner "$bench" "$here/boto3_bench.py" "$requests"
