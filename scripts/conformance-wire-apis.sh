#!/usr/bin/env bash
# Conformance of the wire recorder with Python's OpenInference for the APIs no local server speaks: OpenAI
# Responses, Anthropic Messages and Gemini generateContent (plain and streamed). A canned server
# (scripts/conformance/canned_server.py) answers each call from scripts/conformance/canned/<api>/<case>.*
# and records the body it received. Python's SDKs make the calls through their instrumentors
# (scripts/conformance/python_wire_apis.py, project <run>-python-<api>); then the recorded bodies are
# replayed byte for byte, to the same path and query, through each seam of `stack call` (project
# <run>-wire-<seam>-<api>), and each project is compared with Python's (compare.py --api <api>, whose
# ALLOWANCES name the differences docs/wire-recorder.md keeps).
#
#   scripts/conformance-wire-apis.sh PHOENIX_URL
#
# Needs the conformance venv (scripts/conformance.sh makes it) and a built `stack`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

phoenix_url="$1"
venv="$STACK_CACHE_DIR/conformance-venv"
[ -x "$venv/bin/python" ] || die "no venv at $venv: run scripts/conformance.sh first"
stack="$(swift build --package-path Stack --show-bin-path)/stack"
[ -x "$stack" ] || die "no stack binary at $stack: swift build --package-path Stack --product stack"
apis=(responses anthropic gemini)
run="conformance-wire-apis-$(date +%s)-$$"
work="$(mktemp -d "$STACK_CACHE_DIR/conformance-wire-apis.XXXXXX")"
pids=()
cleanup() { stop_pids; rm -rf "$work"; }
trap cleanup EXIT

"$venv/bin/python" scripts/conformance/canned_server.py scripts/conformance/canned "$work/requests" >"$work/url" 2>"$work/server.log" &
pids+=($!)
for _ in $(seq 1 40); do [ -s "$work/url" ] && break; sleep 0.25; done
canned="$(head -n 1 "$work/url")"
[ -n "$canned" ] || { cat "$work/server.log" >&2; die "the canned server did not start"; }

log "Python's SDKs against the canned server $canned, into projects $run-python-<api>"
"$venv/bin/python" scripts/conformance/python_wire_apis.py "$canned" "$phoenix_url" "$run-python"

for seam in urlsession openapi asynchttpclient; do
  for api in "${apis[@]}"; do
    project="$run-wire-$seam-$api"
    log "the recorded $api requests through the wire recorder's $seam seam into project $project"
    count=0
    for body in "$work/requests/$api"/*.body; do
      target="$(cat "${body%.body}.target")"
      status=0
      PHOENIX_COLLECTOR_ENDPOINT="$phoenix_url" "$stack" call "$canned$target" --body "$body" --via "$seam" \
        --project "$project" --header "Authorization: Bearer unused" >"$work/call.out" 2>&1 || status=$?
      case "$body" in
        *-error.body) [ "$status" = 1 ] || { cat "$work/call.out" >&2; die "$seam: $api ${body##*/} was not refused (exit $status)"; } ;;
        *) [ "$status" = 0 ] || { cat "$work/call.out" >&2; die "$seam: $api ${body##*/} failed (exit $status)"; } ;;
      esac
      count=$((count + 1))
    done
    [ "$count" -gt 0 ] || die "the canned server recorded no $api request"
    "$venv/bin/python" scripts/conformance/compare.py "$phoenix_url" "$run-python-$api" "$project" \
      --expect "LLM=$count" --api "$api"
  done
done
