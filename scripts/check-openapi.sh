#!/usr/bin/env bash
# Fuzzes the real `stack serve` against its own OpenAPI document (GET /openapi.json) with schemathesis:
# positive and negative requests to every operation (examples, coverage, fuzzing, and the stateful
# phase following the document's links: an agent run's X-Trace-Id and X-Feedback-Token into feedback),
# and fails on any 5xx, any status, content type, header (X-Trace-Id on every answer) or body the
# document does not declare, a request its security schemes should refuse that is answered (ignored_auth),
# a missing required header that is not refused, or an undeclared method not answered 405 with Allow.
# The model is `StackBench fake-model` (scripted, instant); Phoenix is a closed port, so spans are
# dropped and feedback is queued (202). Needs no Phoenix and no model.
# Bounded: at most SCHEMATHESIS_MAX_EXAMPLES (10) cases per operation and phase, SCHEMATHESIS_MAX_TIME
# (55) seconds in all (the fuzzing and stateful phases repeat until it is spent).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# The schemathesis this check was written against; its CLI flags change between major versions.
schemathesis_version="4.32.5"
venv="$STACK_CACHE_DIR/schemathesis-$schemathesis_version"
ensure_venv "$venv" "schemathesis==$schemathesis_version"

work="$(mktemp -d "${TMPDIR:-/tmp}/stack-openapi.XXXXXX")"
pids=()
stop() {
  stop_pids
  rm -rf "$work"
}
trap stop EXIT

swift build --package-path Stack -q --product stack
swift build --package-path Stack -q --product StackBench
bin="$(swift build --package-path Stack --show-bin-path)"

start_fake_model "$bin/StackBench" "$work/model.url"
pids+=("$model_pid")

client_key="sk-openapi-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
closed_port="$(free_port)"
port="$(free_port)"
base="http://127.0.0.1:$port"
STACK_API_KEYS="$client_key=fuzzer" STACK_FEEDBACK_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  STACK_FEEDBACK_QUEUE="$work/feedback.sqlite" \
  OPENAI_BASE_URL="$model_url" OPENAI_MODEL=scripted OPENAI_MAX_RETRIES=0 \
  PHOENIX_COLLECTOR_ENDPOINT="http://127.0.0.1:$closed_port" PHOENIX_PROJECT_NAME=openapi-check \
  "$bin/stack" serve --port "$port" --max-iterations 1 --index "$work/no-index.sqlite" >"$work/serve.log" 2>&1 &
serve_pid=$!
pids+=("$serve_pid")
wait_http "$base/healthz" 60 "$serve_pid" || { cat "$work/serve.log" >&2; die "stack serve did not start"; }

# schemathesis leaves out the operation that serves the document it reads, so that one is checked here:
# 200 without a key, JSON, its X-Trace-Id, and the document the resources hold.
curl -sf -D "$work/openapi.headers" "$base/openapi.json" -o "$work/openapi.json" || die "GET /openapi.json failed"
grep -qiE '^content-type: application/json' "$work/openapi.headers" || die "GET /openapi.json is not application/json"
grep -qiE '^x-trace-id: [0-9a-f]{32}' "$work/openapi.headers" || die "GET /openapi.json carries no X-Trace-Id"
cmp -s "$work/openapi.json" Stack/Sources/StackService/Resources/openapi/openapi.json \
  || die "GET /openapi.json is not Stack/Sources/StackService/Resources/openapi/openapi.json; rebuild stack"

start=$SECONDS
status=0
# Run from the scratch folder: schemathesis keeps a .schemathesis folder in its working directory.
(cd "$work" && "$venv/bin/schemathesis" run "$base/openapi.json" \
  --header "Authorization: Bearer $client_key" \
  --checks "${SCHEMATHESIS_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,ignored_auth,missing_required_header,unsupported_method}" \
  --mode all \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-10}" \
  --max-time "${SCHEMATHESIS_MAX_TIME:-55}" \
  --workers 2 \
  --request-timeout 20 \
  --seed "${SCHEMATHESIS_SEED:-29}" \
  --generation-database none \
  --warnings off \
  >"$work/schemathesis.log" 2>&1) || status=$?
sed -n '/^=* SUMMARY =*$/,$p' "$work/schemathesis.log" >&2
alive "$serve_pid" || { tail -n 40 "$work/serve.log" >&2; die "stack serve died while being fuzzed"; }
if [ "$status" != 0 ]; then
  cat "$work/schemathesis.log" >&2
  die "schemathesis found answers that break the OpenAPI document (above); fix the server or the document"
fi
cases="$(grep -Eo '[0-9]+ generated' "$work/schemathesis.log" | tail -n 1 | tr -dc 0-9)"
operations="$(grep -Eo 'Tested: [0-9]+' "$work/schemathesis.log" | tail -n 1 | tr -dc 0-9)"
log "schemathesis $schemathesis_version: no server error and every answer as documented (${cases:-?} cases over ${operations:-?} operations in $(( SECONDS - start )) s)"
