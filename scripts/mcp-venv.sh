#!/usr/bin/env bash
# Makes (once) the venv of the Python MCP peers used by `make test`: the `mcp` SDK, OpenInference's MCP
# instrumentation (trace context in each request's `_meta`) and Phoenix's OTel exporter. Prints the
# venv's python; the MCP integration tests read it from STACK_MCP_PYTHON.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
venv="$STACK_CACHE_DIR/mcp-venv"
ensure_venv "$venv" mcp openinference-instrumentation-mcp arize-phoenix-otel
printf '%s\n' "$venv/bin/python"
