#!/usr/bin/env bash
# `make test`: installs and starts a private Phoenix and a local model server (llama.cpp serving
# SmolLM2-135M), runs every Swift test against them (unit and integration), compares our spans with
# Python's OpenInference for the same calls, runs the README quick start and checks its trace, drives
# `stack serve` over HTTP, drives its chat page in headless Chromium, checks `stack prompt` and STACK_PROMPT, `stack dataset`,
# `stack experiment` and `stack eval`, runs `stack ask` with its search tool over MCP (stdio and HTTP), runs the README's
# `stack` command lines as written after `make demo` on a fresh cache, attacks `stack serve` as issue 30 did
# (scripts/check-security.sh), fuzzes it against its OpenAPI document with schemathesis
# (scripts/check-openapi.sh), checks that each product adopted with its trait alone resolves only what it
# needs and builds (scripts/check-adopters.sh), builds the DocC documentation without a warning
# (scripts/docs.sh), and stops exactly the processes it started.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

run_dir="$(mktemp -d "${TMPDIR:-/tmp}/stack-test.XXXXXX")"
export PHASE_LOG="$run_dir/phases"
cleanup() {
  scripts/phoenix.sh stop "$run_dir/phoenix" || true
  scripts/model-server.sh stop "$run_dir/model" || true
  print_phases
  rm -rf "$run_dir"
}
trap cleanup EXIT

# The saved key list the library's SemanticConventionKeysTests read is the reference package's, exactly.
phase semconv-keys scripts/refresh-semconv-keys.sh --check
phase check-format scripts/format.sh check
# Installs (idempotent, under $STACK_CACHE_DIR) are phases of their own, so a slow one shows.
phase install-phoenix scripts/phoenix.sh install
phase install-model scripts/model-server.sh install
phoenix_url="$(phase start-phoenix scripts/phoenix.sh start "$run_dir/phoenix")"
log "Phoenix for this run: $phoenix_url"
model_url="$(phase start-model scripts/model-server.sh start "$run_dir/model")"
log "model server for this run: $model_url"

export STACK_PHOENIX_URL="$phoenix_url"
export STACK_MODEL_URL="$model_url"
export STACK_REQUIRE_PHOENIX=1
# The Python MCP peers of the cross-language MCP tests (Stack/Tests/StackMCPIntegrationTests).
STACK_MCP_PYTHON="$(phase install-mcp-peers scripts/mcp-venv.sh)"
export STACK_MCP_PYTHON
phase build swift build --build-tests
phase test-library swift test --skip-build
# Every product's DocC catalog and doc comments, all traits on: no DocC warning (make docs).
phase check-docs scripts/docs.sh
# A scratch adopter per product, each enabling only its trait: resolves only what it needs, and builds.
phase check-adopters scripts/check-adopters.sh "$STACK_CACHE_DIR/adopters"
phase build-stack swift build --package-path Stack --build-tests
phase test-stack swift test --package-path Stack --skip-build
phase conformance scripts/conformance.sh "$model_url" "$phoenix_url"
phase check-quickstart scripts/check-quickstart.sh "$phoenix_url"
phase check-serve scripts/check-serve.sh "$model_url" "$phoenix_url"
phase check-page scripts/check-page.sh "$model_url" "$phoenix_url"
phase check-prompts scripts/check-prompts.sh "$model_url" "$phoenix_url"
phase check-experiments scripts/check-experiments.sh "$model_url" "$phoenix_url"
phase check-eval scripts/check-eval.sh "$model_url" "$phoenix_url"
phase check-mcp scripts/check-mcp.sh "$model_url" "$phoenix_url"
phase check-sdk-disabled scripts/check-sdk-disabled.sh "$model_url"
scripts/phoenix.sh stop "$run_dir/phoenix"
scripts/model-server.sh stop "$run_dir/model"
# schemathesis against `stack serve`'s own /openapi.json (a scripted model of its own; no Phoenix).
phase check-openapi scripts/check-openapi.sh
# Issue 30's attacks on the real `stack serve` (an echoing model server and an OTLP sink of its own).
phase check-security scripts/check-security.sh
# Nothing lost (about 8 minutes): its own Phoenix frozen for 60 s, then killed and restarted, under 50
# requests a second, and stack serve killed on its spool during an outage.
phase check-outage scripts/check-outage.sh
# The README's commands on a fresh cache, with the demo's own Phoenix and model server.
phase check-readme scripts/check-readme.sh
