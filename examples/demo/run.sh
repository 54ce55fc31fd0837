#!/usr/bin/env bash
# The demo: what a deployment pipeline does with pcf. Expects $PCF (the
# binary) and AWS_ENDPOINT_URL_DYNAMODB (a local server), as scripts/demo.sh
# sets them. It creates the tables of definitions/ (users with two GSIs and TTL,
# orders with a stream, events on demand), shows they are in sync, changes
# two tables' throughputs in a copy of the definitions, plans and applies that,
# makes a change behind pcf's back and lets pcf undo it, and finally
# deletes the tables. Every command is printed before it runs.
#
# It runs on dynoxide (scripts/demo.sh), which ignores throughput updates of
# a global secondary index, so the demo changes table throughputs only: on
# an index pcf would stop and report that the update did not take.
set -euo pipefail
cd "$(dirname "$0")"
: "${PCF:=pcf}"
: "${AWS_ENDPOINT_URL_DYNAMODB:?set it to a local DynamoDB endpoint}"
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-demo}
export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-demo}
export AWS_REGION=${AWS_REGION:-us-east-1}

say() { printf '\n## %s\n' "$*" >&2; }
# show [-e STATUS] ARGS...: print and run `pcf ARGS`, expecting exit STATUS (default 0).
show() {
  local want=0 rc=0
  if [ "$1" = "-e" ]; then want=$2; shift 2; fi
  printf '\n$ pcf %s\n' "$*" >&2
  "$PCF" "$@" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "demo: 'pcf $*' exited $rc, expected $want" >&2
    exit 1
  fi
  [ "$want" -eq 0 ] || echo "(exit $rc, as expected)" >&2
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say "pcf $("$PCF" --version | cut -d' ' -f2) against $AWS_ENDPOINT_URL_DYNAMODB"
say "check the definitions (no network)"
show -f definitions validate
say "nothing exists yet: the plan creates three tables (exit 2: changes pending)"
show -e 2 -f definitions plan
say "create them; users first because orders names it as a parent"
show -f definitions apply
show -f definitions status
show tables

say "change the definitions: orders to 10 read units, users to 8 write units"
cp definitions/*.yml "$work/"
sed -i 's/ReadCapacityUnits: 5, WriteCapacityUnits: 5}/ReadCapacityUnits: 10, WriteCapacityUnits: 5}/' "$work/orders.yml"
sed -i 's/^  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}/  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 8}/' "$work/users.yml"
diff -u definitions "$work" >&2 || true
show -e 2 -f "$work" status
show -e 2 -f "$work" plan
show -f "$work" apply
show -f "$work" status -o json

say "someone sets orders back to 5 read units with another client (curl); pcf sees it and undoes it"
printf '$ curl %s UpdateTable demo-orders ReadCapacityUnits=5\n' "$AWS_ENDPOINT_URL_DYNAMODB" >&2
# Local servers check no signature, but dynoxide wants the headers' shape.
curl -sS --fail-with-body -o /dev/null -X POST "$AWS_ENDPOINT_URL_DYNAMODB" \
  -H 'Content-Type: application/x-amz-json-1.0' \
  -H 'X-Amz-Target: DynamoDB_20120810.UpdateTable' \
  -H "X-Amz-Date: $(date -u +%Y%m%dT%H%M%SZ)" \
  -H "Authorization: AWS4-HMAC-SHA256 Credential=$AWS_ACCESS_KEY_ID/20260101/$AWS_REGION/dynamodb/aws4_request, SignedHeaders=host, Signature=0" \
  -d '{"TableName":"demo-orders","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}'
show -e 2 -f "$work" status orders
show -f "$work" apply orders
show -f "$work" status

say "items in a particle's table, and a table exported back to a definition"
show -f "$work" item put orders --item '{"customer_id":"c1","order_id":"o1","total":42}'
show -f "$work" item get orders --key '{"customer_id":"c1","order_id":"o1"}'
show export demo-users

say "terminate refuses to delete data without --yes, then deletes with it"
show -e 1 -f "$work" terminate events
show -f "$work" terminate --yes
show tables
say "demo done"
