#!/usr/bin/env bash
# `make test`: installs and starts a private Phoenix, runs every Swift test (unit and integration)
# against it, runs the README quick start and checks its trace, and stops Phoenix again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

run_dir="$(mktemp -d "${TMPDIR:-/tmp}/stack-test.XXXXXX")"
cleanup() { scripts/phoenix.sh stop "$run_dir" || true; rm -rf "$run_dir"; }
trap cleanup EXIT

phoenix_url="$(scripts/phoenix.sh start "$run_dir")"
log "Phoenix for this run: $phoenix_url"

export STACK_PHOENIX_URL="$phoenix_url"
export STACK_REQUIRE_PHOENIX=1
swift test
scripts/check-quickstart.sh "$phoenix_url"
