#!/usr/bin/env bash
# Conformance with Python's OpenInference: the same OpenAI calls through Python's
# openinference-instrumentation-openai, through the Swift LLMClient, and as the same request bodies
# through each HTTP seam of the wire recorder (`stack call --via urlsession|openapi|asynchttpclient`,
# bodies in scripts/conformance/wire/), into one Phoenix, each compared with Python's span by span
# (scripts/conformance/compare.py says what counts as a difference). Then the APIs no local server speaks,
# OpenAI Responses, Anthropic Messages and Gemini, against a canned server: scripts/conformance-wire-apis.sh.
#
#   scripts/conformance.sh MODEL_URL PHOENIX_URL
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

model_url="$1"; phoenix_url="$2"
venv="$STACK_CACHE_DIR/conformance-venv"
ensure_venv "$venv" openai openinference-instrumentation-openai arize-phoenix-otel \
  anthropic google-genai openinference-instrumentation-anthropic openinference-instrumentation-google-genai
run="conformance-$(date +%s)-$$"

log "Python's calls into project $run-python"
"$venv/bin/python" scripts/conformance/python_calls.py "$model_url" "$phoenix_url" "$run-python"
log "Swift's calls into project $run-swift"
swift build --package-path Stack -q --product ConformanceCalls
OPENAI_BASE_URL="$model_url" OPENAI_API_KEY=unused PHOENIX_COLLECTOR_ENDPOINT="$phoenix_url" \
  PHOENIX_PROJECT_NAME="$run-swift" "$(swift build --package-path Stack --show-bin-path)/ConformanceCalls"
"$venv/bin/python" scripts/conformance/compare.py "$phoenix_url" "$run-python" "$run-swift"

stack="$(swift build --package-path Stack --show-bin-path)/stack"
for seam in urlsession openapi asynchttpclient; do
  project="$run-wire-$seam"
  log "the same requests through the wire recorder's $seam seam into project $project"
  for body in scripts/conformance/wire/*.json; do
    path=chat/completions
    case "$body" in *embeddings*) path=embeddings ;; esac
    status=0
    PHOENIX_COLLECTOR_ENDPOINT="$phoenix_url" "$stack" call "$model_url/$path" --body "$body" --via "$seam" \
      --project "$project" --header "Authorization: Bearer unused" >"$STACK_CACHE_DIR/conformance-call.out" 2>&1 || status=$?
    case "$body" in
      *refused*) [ "$status" = 1 ] || { cat "$STACK_CACHE_DIR/conformance-call.out" >&2; die "$seam: $body was not refused (exit $status)"; } ;;
      *) [ "$status" = 0 ] || { cat "$STACK_CACHE_DIR/conformance-call.out" >&2; die "$seam: $body failed (exit $status)"; } ;;
    esac
  done
  "$venv/bin/python" scripts/conformance/compare.py "$phoenix_url" "$run-python" "$project"
done

scripts/conformance-wire-apis.sh "$phoenix_url"
