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

swift build --package-path Stack -q --product StackChecks
"$(swift build --package-path Stack --show-bin-path)/StackChecks" quickstart "$phoenix_url" "$project" "$trace_id"
