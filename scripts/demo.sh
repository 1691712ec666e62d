#!/usr/bin/env bash
# `make demo`: builds the `stack` CLI, makes sure a model server and Phoenix are running (starting
# local ones if needed and leaving them up so you can open the UI), ingests the demo corpus, and runs
# the traced agent on the seed question: answer, terminal waterfall, trace id and Phoenix URL.
#
# With OPENAI_BASE_URL set (and OPENAI_API_KEY, OPENAI_MODEL, OPENAI_EMBEDDING_MODEL as needed) that
# server is used; otherwise SmolLM2-135M runs locally under llama.cpp. PHOENIX_COLLECTOR_ENDPOINT
# likewise selects an existing Phoenix.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

if [ -z "${PHOENIX_COLLECTOR_ENDPOINT:-}" ]; then
  PHOENIX_COLLECTOR_ENDPOINT="$(scripts/phoenix.sh start)"
  log "Phoenix: $PHOENIX_COLLECTOR_ENDPOINT (stop it with: scripts/phoenix.sh stop)"
fi
export PHOENIX_COLLECTOR_ENDPOINT
if [ -z "${OPENAI_BASE_URL:-}" ]; then
  OPENAI_BASE_URL="$(scripts/model-server.sh start)"
  export OPENAI_MODEL="${OPENAI_MODEL:-smollm2}" OPENAI_EMBEDDING_MODEL="${OPENAI_EMBEDDING_MODEL:-smollm2-embed}"
  log "model server: $OPENAI_BASE_URL (stop it with: scripts/model-server.sh stop)"
fi
export OPENAI_BASE_URL
export STACK_INDEX_PATH="${STACK_INDEX_PATH:-$STACK_CACHE_DIR/demo-index-${OPENAI_EMBEDDING_MODEL:-default}.sqlite}"

swift build --package-path Stack -q --product stack
"$(swift build --package-path Stack --show-bin-path)/stack" demo --corpus Stack/Examples/corpus
