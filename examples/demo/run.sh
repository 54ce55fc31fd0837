#!/usr/bin/env bash
# The demo: what a deployment pipeline does with pcf. Expects $PCF (the
# binary) and AWS_ENDPOINT_URL_DYNAMODB (a local server), as scripts/demo.sh
# sets them.
set -euo pipefail
cd "$(dirname "$0")"
: "${PCF:=pcf}"

show() { printf '\n$ pcf %s\n' "$*" >&2; "$PCF" "$@"; }

show --version
