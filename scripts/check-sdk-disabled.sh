#!/usr/bin/env bash
# OTEL_SDK_DISABLED=true, the standard kill switch, turns tracing off and nothing else: `stack serve`
# starts against the model server at $1, answers a chat completion and an agent run with status 200,
# and exits 0 on SIGTERM; `stack ask` answers and exits 0. No Phoenix is involved: nothing is exported.
# Then a masking variable that cannot be read: `stack serve` refuses to start and names it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
model_url="${1:?usage: $0 MODEL_URL}"
work="$(mktemp -d "${TMPDIR:-/tmp}/stack-disabled.XXXXXX")"
port="$(free_port)"
pid=""
cleanup() {
  if [ -n "$pid" ] && alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

swift build --package-path Stack -q --product stack
stack_bin="$(swift build --package-path Stack --show-bin-path)/stack"
export OTEL_SDK_DISABLED=true OPENAI_BASE_URL="$model_url" OPENAI_MODEL=smollm2 OPENAI_EMBEDDING_MODEL=smollm2-embed
# A collector address nobody listens on: with tracing off, nothing may try it.
export PHOENIX_COLLECTOR_ENDPOINT="http://127.0.0.1:$(free_port)"

STACK_API_KEYS="sk-check=user-check" STACK_FEEDBACK_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  STACK_FEEDBACK_QUEUE="$work/feedback.sqlite" \
  "$stack_bin" serve --port "$port" --max-iterations 1 --index "$work/no-index.sqlite" >"$work/serve.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
wait_http "$base/healthz" 60 "$pid" || { cat "$work/serve.log" >&2; die "stack serve with OTEL_SDK_DISABLED=true did not start"; }

status=$(curl -s -o "$work/chat.json" -w '%{http_code}' "$base/v1/chat/completions" -H 'Authorization: Bearer sk-check' \
  -H 'Content-Type: application/json' -d '{"model":"smollm2","max_tokens":8,"messages":[{"role":"user","content":"Say hi."}]}')
[ "$status" = 200 ] || { cat "$work/chat.json" >&2; die "a chat completion with tracing off got $status, expected 200"; }
status=$(curl -s -o "$work/run.json" -w '%{http_code}' "$base/v1/agent/runs" -H 'Authorization: Bearer sk-check' \
  -d '{"goal":"Name one database."}')
[ "$status" = 200 ] || { cat "$work/run.json" >&2; die "an agent run with tracing off got $status, expected 200"; }
alive "$pid" || { cat "$work/serve.log" >&2; die "stack serve with OTEL_SDK_DISABLED=true stopped"; }

kill -TERM "$pid"
code=0
wait "$pid" || code=$?
pid=""
[ "$code" = 0 ] || { cat "$work/serve.log" >&2; die "stack serve with tracing off exited $code on SIGTERM, expected 0"; }

output="$("$stack_bin" ask "Name one database." --no-waterfall --max-iterations 1 --index "$work/no-index.sqlite" 2>"$work/ask.err")" ||
  { cat "$work/ask.err" >&2; die "stack ask with OTEL_SDK_DISABLED=true failed"; }
grep -q '^trace_id: ' <<<"$output" || die "stack ask with tracing off printed no trace_id line: $output"
# A masking setting it cannot read stops stack serve at start, naming the variable (inputs would be in clear).
if refused="$(OPENINFERENCE_HIDE_INPUTS=maybe STACK_API_KEYS="sk-check=user-check" "$stack_bin" serve --port "$(free_port)" 2>&1)"; then
  die "stack serve started with OPENINFERENCE_HIDE_INPUTS=maybe"
fi
grep -q 'OPENINFERENCE_HIDE_INPUTS=maybe is not valid' <<<"$refused" || die "stack serve's refusal does not name the variable: $refused"
log "OTEL_SDK_DISABLED=true: stack serve answered chat and agent runs (200) and exited 0; stack ask answered"
