#!/usr/bin/env bash
# Starts `stack serve` against the model server at $1 and the Phoenix at $2, drives its API with
# curl as a user would, checks the answers and that the run's trace (X-Trace-Id) reached Phoenix
# with the user and session on its root, that feedback is taken from that user with the answer's
# X-Feedback-Token and refused (403) to another key, and that feedback sent at once to a second replica
# (same secret, its own queue), which did not answer the trace, becomes the trace's annotation in
# Phoenix; then stops both servers with SIGTERM and waits for them to exit.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
model_url="${1:?usage: $0 MODEL_URL PHOENIX_URL}"
phoenix_url="${2:?usage: $0 MODEL_URL PHOENIX_URL}"
project="serve-check-$(date +%s)-$$"
work="$(mktemp -d "${TMPDIR:-/tmp}/stack-serve.XXXXXX")"
port="$(free_port)"

swift build --package-path Stack -q --product stack
swift build --package-path Stack -q --product StackChecks
stack_bin="$(swift build --package-path Stack --show-bin-path)/stack"
checks="$(swift build --package-path Stack --show-bin-path)/StackChecks"
# A fresh feedback secret each run: 32 random bytes as hex.
feedback_secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# Replica $1 on port $2, with its own feedback queue; the replicas share the keys and the secret.
start_replica() {
  STACK_API_KEYS="sk-check=user-check,sk-other=user-other" STACK_FEEDBACK_SECRET="$feedback_secret" \
    STACK_FEEDBACK_QUEUE="$work/feedback-$1.sqlite" \
    OPENAI_BASE_URL="$model_url" OPENAI_MODEL=smollm2 OPENAI_EMBEDDING_MODEL=smollm2-embed \
    PHOENIX_COLLECTOR_ENDPOINT="$phoenix_url" PHOENIX_PROJECT_NAME="$project" OTEL_BSP_SCHEDULE_DELAY=200 \
    "$stack_bin" serve --port "$2" --max-iterations 1 --index "$work/no-index.sqlite" >"$work/serve-$1.log" 2>&1 &
}
other_port="$(free_port)"
start_replica a "$port"
pid=$!
start_replica b "$other_port"
other_pid=$!
stop() {
  for p in $pid $other_pid; do if kill -0 "$p" 2>/dev/null; then kill -TERM "$p"; fi; done
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || kill -0 "$other_pid" 2>/dev/null || break; sleep 0.25; done
  for p in $pid $other_pid; do
    if kill -0 "$p" 2>/dev/null; then kill -KILL "$p"; rm -rf "$work"; die "stack serve did not exit within 10 s of SIGTERM"; fi
  done
  rm -rf "$work"
}
trap stop EXIT
base="http://127.0.0.1:$port"
other="http://127.0.0.1:$other_port"
wait_http "$base/healthz" 60 "$pid" || { cat "$work/serve-a.log" >&2; die "stack serve did not start"; }
wait_http "$other/healthz" 60 "$other_pid" || { cat "$work/serve-b.log" >&2; die "the second stack serve did not start"; }

status=$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/agent/runs" -d '{"goal":"hi"}')
[ "$status" = 401 ] || die "a request without a key got $status, expected 401"
status=$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/agent/runs" -H 'Authorization: Bearer sk-check' -d '{"goal":')
[ "$status" = 400 ] || die "a malformed body got $status, expected 400"

answer=$(curl -s -D "$work/headers" "$base/v1/agent/runs" -H 'Authorization: Bearer sk-check' \
  -H 'X-Session-Id: session-check' -d '{"goal":"Name one database."}')
trace_id=$(tr -d '\r' <"$work/headers" | sed -n 's/^[Xx]-[Tt]race-[Ii]d: //p')
[ -n "$trace_id" ] || die "the agent run answered without X-Trace-Id: $answer"
feedback_token=$(tr -d '\r' <"$work/headers" | sed -n 's/^[Xx]-[Ff]eedback-[Tt]oken: //p')
[ -n "$feedback_token" ] || die "the agent run answered without X-Feedback-Token: $answer"

# At once, to the replica that did not answer, likely before Phoenix holds the trace: taken all the same.
feedback=$(curl -s -w ' %{http_code}' "$other/v1/feedback" -H 'Authorization: Bearer sk-check' \
  -H "X-Feedback-Token: $feedback_token" -d "{\"trace_id\":\"$trace_id\",\"label\":\"thumbs_down\",\"score\":0}")
case "$feedback" in
  *' 200' | *' 202') log "feedback accepted by the other replica: $feedback" ;;
  *) die "feedback was refused by the replica that did not answer: $feedback" ;;
esac

"$checks" serve "$phoenix_url" "$project" "$trace_id" "$answer"

# Another key may not annotate this user's trace, even with the token; the answer names no owner.
for token in "" "$feedback_token"; do
  refused=$(curl -s -w ' %{http_code}' "$base/v1/feedback" -H 'Authorization: Bearer sk-other' \
    ${token:+-H "X-Feedback-Token: $token"} -d "{\"trace_id\":\"$trace_id\",\"label\":\"thumbs_up\",\"score\":1}")
  case "$refused" in
    *' 403') ;;
    *) die "feedback from another key was not refused with 403: $refused" ;;
  esac
  ! grep -q 'user-check' <<<"$refused" || die "the 403 names the trace's owner: $refused"
done
"$checks" trace-annotation "$phoenix_url" "$project" "$trace_id" thumbs_down
metrics=$(curl -s "$base/metrics")
grep -q '^http_server_request_duration_seconds_count' <<<"$metrics" || die "/metrics has no request latency"
grep -q '^llm_tokens_total' <<<"$metrics" || die "/metrics has no token counts"
log "stack serve: 401, 400, agent run, feedback (owner's delivered through the other replica, other key 403) and /metrics answered as documented"
