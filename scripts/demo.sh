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

# Starts what is missing; the stack command finds what the scripts started through their run folders.
if [ -z "${PHOENIX_COLLECTOR_ENDPOINT:-}" ]; then
  log "Phoenix: $(scripts/phoenix.sh start) (stop it with: scripts/phoenix.sh stop)"
fi
if [ -z "${OPENAI_BASE_URL:-}" ]; then
  log "model server: $(scripts/model-server.sh start) (stop it with: scripts/model-server.sh stop)"
fi

swift build --package-path Stack -q --product stack
"$(swift build --package-path Stack --show-bin-path)/stack" demo
