#!/usr/bin/env bash
# Checks `stack eval` against the model server at $1 and the Phoenix at $2: one `stack ask` run is traced
# into a fresh project, `stack eval --project P --since 1h` evaluates it, and Phoenix then holds the code
# evaluators' annotations on the run's root span and their EVALUATOR spans in the project.
# Then online evaluation: `stack serve` with STACK_ONLINE_EVAL_RATIO=1 and an index of the demo corpus answers
# one question, evaluates the run in the background, and Phoenix holds the code evaluators' annotations on
# the run's root span and EVALUATOR spans naming that trace, the judges' among them; SIGTERM then stops it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
model_url="${1:?usage: $0 MODEL_URL PHOENIX_URL}"
phoenix_url="${2:?usage: $0 MODEL_URL PHOENIX_URL}"
project="eval-check-$(date +%s)-$$"
work="$(mktemp -d "${TMPDIR:-/tmp}/stack-eval.XXXXXX")"
serve_pid=""
cleanup() {
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then kill -KILL "$serve_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

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
  then log "stack eval: the root span of the run carries its annotations and the EVALUATOR spans are in $project"; evaluated=1; break; fi
  sleep 0.5
done
[ -n "${evaluated:-}" ] || die "Phoenix never showed stack eval's annotations and EVALUATOR spans in $project"

# Online evaluation in stack serve.
online="$project-online"
"$stack_bin" ingest Stack/Examples/corpus --index "$work/index.sqlite" > "$work/ingest.log" 2>&1 \
  || { cat "$work/ingest.log" >&2; die "stack ingest failed"; }
port="$(free_port)"
STACK_API_KEYS="sk-eval=user-eval" STACK_FEEDBACK_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  STACK_FEEDBACK_QUEUE="$work/feedback.sqlite" STACK_ONLINE_EVAL_RATIO=1 PHOENIX_PROJECT_NAME="$online" \
  "$stack_bin" serve --port "$port" --max-iterations 2 --index "$work/index.sqlite" > "$work/serve.log" 2>&1 &
serve_pid=$!
base="http://127.0.0.1:$port"
wait_http "$base/healthz" 60 "$serve_pid" || { cat "$work/serve.log" >&2; die "stack serve did not start"; }
answer=$(curl -s -D "$work/headers" "$base/v1/agent/runs" -H 'Authorization: Bearer sk-eval' -d '{"goal":"How do I back up SQLite?"}')
trace_id=$(tr -d '\r' <"$work/headers" | sed -n 's/^[Xx]-[Tt]race-[Ii]d: //p')
[ -n "$trace_id" ] || die "the agent run answered without X-Trace-Id: $answer"
for _ in $(seq 1 120); do
  if python3 - "$phoenix_url" "$online" "$trace_id" <<'PY' 2>"$work/online.err"
import json, sys, urllib.request
url, project, trace_id = sys.argv[1:]
spans = json.load(urllib.request.urlopen(f"{url}/v1/projects/{project}/spans?limit=1000"))["data"]
run = [s for s in spans if s["context"]["trace_id"] == trace_id]
root = [s for s in run if s["parent_id"] is None][0]
evaluations = [s for s in spans if s["span_kind"] == "EVALUATOR" and s["attributes"].get("metadata.evaluated_trace_id") == trace_id]
assert all(s["context"]["trace_id"] != trace_id for s in evaluations), "an evaluation inside the evaluated trace"
names = {s["name"] for s in evaluations}
wanted = {"evaluate non_empty", "evaluate cites_retrieved_passage", "evaluate groundedness"}
if any(s["span_kind"] == "RETRIEVER" for s in run):
    wanted.add("evaluate relevance")
assert wanted <= names, f"EVALUATOR spans {sorted(names)}, want {sorted(wanted)}"
query = f"{url}/v1/projects/{project}/span_annotations?span_ids={root['context']['span_id']}"
annotations = {a["name"]: a for a in json.load(urllib.request.urlopen(query))["data"]}
assert {"non_empty", "cites_retrieved_passage"} <= annotations.keys(), annotations.keys()
assert annotations["non_empty"]["annotator_kind"] == "CODE"
PY
  then
    # The run counts as evaluated once its last annotation is written.
    metrics=$(curl -s "$base/metrics")
    if ! grep -q '^stack_online_eval_evaluated_total 1' <<<"$metrics"; then
      echo "/metrics: $(grep stack_online_eval <<<"$metrics" || echo 'no stack_online_eval_* counter')" >"$work/online.err"
      sleep 0.5
      continue
    fi
    log "stack serve: the online evaluation of trace $trace_id is on its root span, its EVALUATOR spans in $online"
    kill -TERM "$serve_pid"
    for _ in $(seq 1 60); do kill -0 "$serve_pid" 2>/dev/null || exit 0; sleep 0.25; done
    die "stack serve did not exit within 15 s of SIGTERM"
  fi
  sleep 0.5
done
cat "$work/online.err" >&2
grep -i "online" "$work/serve.log" >&2 || true
die "Phoenix never showed the online evaluation of trace $trace_id in $online"
