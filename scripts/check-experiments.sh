#!/usr/bin/env bash
# Checks `stack dataset upload` and `stack experiment run` against the model server at $1 and the Phoenix
# at $2: a malformed file is refused naming its line (and nothing is uploaded), the demo dataset uploads,
# an experiment runs the agent on every example, and Phoenix's record of it has a trace id and at least
# one evaluation on every run, with the traces in the experiment's project; a second run with --baseline
# prints the comparison (with the model judging correctness too: a verdict or an evaluation error).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
model_url="${1:?usage: $0 MODEL_URL PHOENIX_URL}"
phoenix_url="${2:?usage: $0 MODEL_URL PHOENIX_URL}"
dataset="check-dataset-$(date +%s)-$$"
work="$(mktemp -d "${TMPDIR:-/tmp}/stack-experiments.XXXXXX")"
trap 'rm -rf "$work"' EXIT

swift build --package-path Stack -q --product stack
stack_bin="$(swift build --package-path Stack --show-bin-path)/stack"
export PHOENIX_COLLECTOR_ENDPOINT="$phoenix_url" OPENAI_BASE_URL="$model_url" OPENAI_MODEL=smollm2 \
  OPENAI_EMBEDDING_MODEL=smollm2-embed OTEL_BSP_SCHEDULE_DELAY=200

printf '{"input": "a?", "expected": "A."}\n{"input": "b?", "expected": }\n' > "$work/bad.jsonl"
if "$stack_bin" dataset upload "$work/bad.jsonl" --name "$dataset-bad" > "$work/bad.log" 2>&1; then die "a malformed dataset uploaded"; fi
grep -q "line 2 of the dataset file" "$work/bad.log" || { cat "$work/bad.log" >&2; die "the error did not name line 2"; }
curl -fsS "$phoenix_url/v1/datasets?name=$dataset-bad" | grep -q '"data":\[\]' || die "a malformed file left a dataset behind"

"$stack_bin" dataset upload Stack/Examples/datasets/demo-questions.jsonl --name "$dataset"
run() {
  "$stack_bin" experiment run --dataset "$dataset" --max-iterations 1 --index "$work/no-index.sqlite" "$@" 2>"$work/err.log" \
    || { cat "$work/err.log" >&2; return 1; }
}
run --name "$dataset-a" > "$work/a.log" || die "stack experiment run failed"
cat "$work/a.log"
experiment_id="$(sed -n 's/^experiment .* (\(.*\)): .*/\1/p' "$work/a.log")"
project="$(sed -n 's/.*traces in project \(.*\)$/\1/p' "$work/a.log")"
[ -n "$experiment_id" ] && [ -n "$project" ] || die "stack experiment run did not name its experiment and project"
for _ in $(seq 1 60); do
  if python3 - "$phoenix_url" "$experiment_id" "$project" <<'PY'
import json, sys, urllib.request
url, experiment, project = sys.argv[1:]
runs = json.load(urllib.request.urlopen(f"{url}/v1/experiments/{experiment}/json"))
assert len(runs) == 4, f"{len(runs)} runs"
for run in runs:
    assert run["trace_id"], run
    assert run["annotations"], run
    names = {annotation["name"] for annotation in run["annotations"]}
    assert {"non_empty", "matches_expected", "cites_retrieved_passage"} <= names, names
    spans = json.load(urllib.request.urlopen(f"{url}/v1/projects/{project}/spans?trace_id={run['trace_id']}&limit=10"))["data"]
    assert any(s["span_kind"] == "AGENT" for s in spans), f"no AGENT span for trace {run['trace_id']} yet"
PY
  then ok=1; break; fi
  sleep 0.5
done
[ "${ok:-}" = 1 ] || die "experiment $experiment_id: not every run has a trace in $project and an evaluation"
log "experiment $experiment_id: 4 runs, each with its trace in $project and evaluations"

run --name "$dataset-b" --baseline "$dataset-a" --max-drop 1 --judge > "$work/b.log" || die "the run with --baseline failed"
cat "$work/b.log"
grep -q "$dataset-a" "$work/b.log" && grep -q "non_empty" "$work/b.log" || die "the run with --baseline printed no comparison"
log "stack experiment run --baseline printed the comparison"
