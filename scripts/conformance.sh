#!/usr/bin/env bash
# Conformance with Python's OpenInference: the same OpenAI calls through Python's
# openinference-instrumentation-openai and through the Swift LLMClient, into one Phoenix, compared span
# by span (scripts/conformance/compare.py says what counts as a difference).
#
#   scripts/conformance.sh MODEL_URL PHOENIX_URL
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

model_url="$1"; phoenix_url="$2"
venv="$STACK_CACHE_DIR/conformance-venv"
ensure_venv "$venv" openai openinference-instrumentation-openai arize-phoenix-otel
run="conformance-$(date +%s)-$$"

log "Python's calls into project $run-python"
"$venv/bin/python" scripts/conformance/python_calls.py "$model_url" "$phoenix_url" "$run-python"
log "Swift's calls into project $run-swift"
swift build --package-path Stack -q --product ConformanceCalls
OPENAI_BASE_URL="$model_url" OPENAI_API_KEY=unused PHOENIX_COLLECTOR_ENDPOINT="$phoenix_url" \
  PHOENIX_PROJECT_NAME="$run-swift" "$(swift build --package-path Stack --show-bin-path)/ConformanceCalls"
"$venv/bin/python" scripts/conformance/compare.py "$phoenix_url" "$run-python" "$run-swift"
