#!/usr/bin/env bash
# Checks `stack eval` against the model server at $1 and the Phoenix at $2: one `stack ask` run is traced
# into a fresh project, `stack eval --project P --since 1h` evaluates it, and Phoenix then holds the code
# evaluators' annotations on the run's root span and their EVALUATOR spans in the project.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
model_url="${1:?usage: $0 MODEL_URL PHOENIX_URL}"
phoenix_url="${2:?usage: $0 MODEL_URL PHOENIX_URL}"
project="eval-check-$(date +%s)-$$"
work="$(mktemp -d "${TMPDIR:-/tmp}/stack-eval.XXXXXX")"
trap 'rm -rf "$work"' EXIT

swift build --package-path Stack -q --product stack
stack_bin="$(swift build --package-path Stack --show-bin-path)/stack"
export PHOENIX_COLLECTOR_ENDPOINT="$phoenix_url" OPENAI_BASE_URL="$model_url" OPENAI_MODEL=smollm2 \
  OPENAI_EMBEDDING_MODEL=smollm2-embed PHOENIX_PROJECT_NAME="$project" OTEL_BSP_SCHEDULE_DELAY=200

"$stack_bin" ask "Say hello." --max-iterations 1 --index "$work/no-index.sqlite" > "$work/ask.log" 2>&1 \
  || { cat "$work/ask.log" >&2; die "stack ask failed"; }
if "$stack_bin" eval --project "$project" --since 2x > /dev/null 2>&1; then die "--since 2x was accepted"; fi
"$stack_bin" eval --project "$project" --since 1h > "$work/eval.log" 2>&1 || { cat "$work/eval.log" >&2; die "stack eval failed"; }
grep -q "evaluated 1 traces in project $project: 2 annotations written" "$work/eval.log" \
  || { cat "$work/eval.log" >&2; die "stack eval did not write the 2 code annotations"; }
for _ in $(seq 1 60); do
  if python3 - "$phoenix_url" "$project" <<'PY'
import json, sys, urllib.request
url, project = sys.argv[1:]
spans = json.load(urllib.request.urlopen(f"{url}/v1/projects/{project}/spans?limit=1000"))["data"]
root = [s for s in spans if s["span_kind"] == "AGENT" and s["parent_id"] is None][0]
evaluators = [s for s in spans if s["span_kind"] == "EVALUATOR"]
assert len(evaluators) >= 2, f"{len(evaluators)} EVALUATOR spans"
query = f"{url}/v1/projects/{project}/span_annotations?span_ids={root['context']['span_id']}"
names = {a["name"]: a for a in json.load(urllib.request.urlopen(query))["data"]}
assert {"non_empty", "cites_retrieved_passage"} <= names.keys(), names.keys()
assert names["non_empty"]["annotator_kind"] == "CODE"
PY
  then log "stack eval: the root span of the run carries its annotations and the EVALUATOR spans are in $project"; exit 0; fi
  sleep 0.5
done
die "Phoenix never showed stack eval's annotations and EVALUATOR spans in $project"
