#!/usr/bin/env bash
# Checks `stack prompt push` / `stack prompt pull` and STACK_PROMPT against the model server at $1 and the
# Phoenix at $2, as a user runs them: a template file is pushed and tagged, pulled back byte for byte,
# then `stack ask` runs with STACK_PROMPT=name:tag and the run's LLM spans in Phoenix must carry the
# template and the pushed version.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
model_url="${1:?usage: $0 MODEL_URL PHOENIX_URL}"
phoenix_url="${2:?usage: $0 MODEL_URL PHOENIX_URL}"
name="check-prompt-$(date +%s)-$$"
project="prompt-check-$(date +%s)-$$"
work="$(mktemp -d "${TMPDIR:-/tmp}/stack-prompts.XXXXXX")"
trap 'rm -rf "$work"' EXIT

swift build --package-path Stack -q --product stack
stack_bin="$(swift build --package-path Stack --show-bin-path)/stack"
export PHOENIX_COLLECTOR_ENDPOINT="$phoenix_url" OPENAI_BASE_URL="$model_url" OPENAI_MODEL=smollm2 \
  OPENAI_EMBEDDING_MODEL=smollm2-embed PHOENIX_PROJECT_NAME="$project" OTEL_BSP_SCHEDULE_DELAY=200

printf 'You are terse & exact. Tools: {{tools}}.\nAnswer in one sentence.\n' > "$work/system.mustache"
pushed="$("$stack_bin" prompt push "$name" --file "$work/system.mustache" --tag production)"
version="${pushed##* version }"; version="${version%% *}"
[ -n "$version" ] || die "stack prompt push printed no version: $pushed"
"$stack_bin" prompt pull "$name" --tag production > "$work/pulled.mustache" 2>/dev/null
cmp -s "$work/system.mustache" "$work/pulled.mustache" || die "stack prompt pull did not return the pushed template"
if "$stack_bin" prompt push "$name" --file "$work/missing.txt" 2>/dev/null; then die "pushing a missing file succeeded"; fi
log "stack prompt push/pull round-tripped $name version $version"

STACK_PROMPT="$name:production" "$stack_bin" ask "Say hello." --max-iterations 1 --index "$work/no-index.sqlite" --no-waterfall \
  > "$work/ask.log" 2>&1 || { cat "$work/ask.log" >&2; die "stack ask with STACK_PROMPT failed"; }
trace_id="$(sed -n 's/^trace_id: //p' "$work/ask.log")"
[ -n "$trace_id" ] || { cat "$work/ask.log" >&2; die "stack ask printed no trace id"; }
grep -q "system prompt from Phoenix: $name:production (version $version)" "$work/ask.log" \
  || { cat "$work/ask.log" >&2; die "stack ask did not say it used the prompt from Phoenix"; }
for _ in $(seq 1 60); do
  if python3 - "$phoenix_url" "$project" "$trace_id" "$version" "$work/system.mustache" <<'PY'
import json, sys, urllib.request
url, project, trace, version, template_file = sys.argv[1:]
with urllib.request.urlopen(f"{url}/v1/projects/{project}/spans?trace_id={trace}&limit=100") as answer:
    spans = json.load(answer)["data"]
llm = [s for s in spans if s["span_kind"] == "LLM"]
if not llm:
    sys.exit(1)
attributes = llm[0]["attributes"]
template = open(template_file).read()
assert attributes.get("llm.prompt_template.template") == template, attributes.get("llm.prompt_template.template")
assert attributes.get("llm.prompt_template.version") == version, attributes.get("llm.prompt_template.version")
assert attributes.get("prompt.vendor") == "phoenix"
PY
  then log "stack ask with STACK_PROMPT: the LLM span in Phoenix carries the template and version $version"; exit 0; fi
  sleep 0.5
done
die "the LLM span of trace $trace_id never showed the prompt template and version $version"
