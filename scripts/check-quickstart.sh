#!/usr/bin/env bash
# Runs the README's quick start against the Phoenix at $1 and checks, through Phoenix's REST API,
# that its trace arrived: an AGENT root with an LLM child carrying messages and token counts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
phoenix_url="${1:?usage: $0 PHOENIX_URL}"
project="quickstart-$(date +%s)-$$"

output=$(PHOENIX_COLLECTOR_ENDPOINT="$phoenix_url" PHOENIX_PROJECT_NAME="$project" swift run --package-path Stack -q QuickStart)
echo "$output"
trace_id=$(printf '%s\n' "$output" | sed -n 's/^trace_id: \([0-9a-f]\{32\}\)$/\1/p')
[ -n "$trace_id" ] || die "the quick start printed no trace id"

PYTHONPATH="$(dirname "$0")" python3 - "$phoenix_url" "$project" "$trace_id" <<'PY'
import sys
from phoenix_spans import wait_for_spans
base, project, trace_id = sys.argv[1:]
spans = wait_for_spans(base, project, trace_id=trace_id, at_least=2)
kinds = {span["span_kind"]: span for span in spans}
assert set(kinds) == {"AGENT", "LLM"}, f"expected AGENT and LLM spans, Phoenix has {sorted(kinds)}"
agent, llm = kinds["AGENT"], kinds["LLM"]
assert agent["parent_id"] is None, "the AGENT span should be the root"
assert llm["parent_id"] == agent["context"]["span_id"], "the LLM span should be the AGENT's child"
attributes = llm["attributes"]
assert attributes["llm.input_messages.1.message.content"] == "What is SQLite?", attributes
assert attributes["llm.token_count.total"] == 33, attributes
assert agent["attributes"]["output.value"].startswith("SQLite is"), agent["attributes"]
print(f"quickstart trace {trace_id}: AGENT > LLM with {attributes['llm.token_count.total']} tokens, read back from Phoenix")
PY
