#!/usr/bin/env bash
# `make soak`: drives a release-built `stack serve` on loopback with concurrent agent runs against a
# scripted model for a bounded time, while a private Phoenix receives every trace (sampling 100 %),
# and reports requests served, errors, spans sent versus spans Phoenix holds, and the server's RSS
# over the run. Stops exactly the processes it started.
#
#   SOAK_SECONDS (default 60), SOAK_CONCURRENCY (default 4), SOAK_RPS (total requests a second;
#   default: as fast as the server answers), OTEL_BSP_MAX_QUEUE_SIZE (the server's span queue, 2048)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

seconds="${SOAK_SECONDS:-60}"
concurrency="${SOAK_CONCURRENCY:-4}"
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/stack-soak.XXXXXX")"
model_pid=""; serve_pid=""; sampler_pid=""
cleanup() {
  for pid in $sampler_pid $serve_pid $model_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $serve_pid $model_pid; do wait "$pid" 2>/dev/null || true; done
  scripts/phoenix.sh stop "$run_dir/phoenix" || true
  rm -rf "$run_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "building stack and the load client (release)"
swift build --package-path Stack -c release --product stack >&2
swift build --package-path Stack -c release --product StackBench >&2
swift build --package-path Stack -c release --product StackChecks >&2
bin="$(swift build --package-path Stack -c release --show-bin-path)"

phoenix_url="$(scripts/phoenix.sh start "$run_dir/phoenix")"
start_fake_model "$bin/StackBench" "$run_dir/model-url"

project="soak-$(date +%s)"
port="$(free_port)"
STACK_API_KEYS="sk-soak=soak-user" STACK_FEEDBACK_QUEUE="$run_dir/feedback.sqlite" \
  STACK_FEEDBACK_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  OPENAI_BASE_URL="$model_url" OPENAI_MODEL=scripted \
  PHOENIX_COLLECTOR_ENDPOINT="$phoenix_url" PHOENIX_PROJECT_NAME="$project" \
  OTEL_BSP_MAX_QUEUE_SIZE="${OTEL_BSP_MAX_QUEUE_SIZE:-2048}" OTEL_BSP_SCHEDULE_DELAY=1000 \
  "$bin/stack" serve --port "$port" --max-iterations 1 --index "$run_dir/no-index.sqlite" >"$run_dir/serve.log" 2>&1 &
serve_pid=$!
base="http://127.0.0.1:$port"
wait_http "$base/healthz" 60 "$serve_pid" || { tail -20 "$run_dir/serve.log" >&2; die "stack serve did not start"; }

# RSS of the server every 5 seconds, in MB.
( while kill -0 "$serve_pid" 2>/dev/null; do
    "$bin/StackChecks" rss "$serve_pid" 2>/dev/null || true
    sleep 5
  done ) >"$run_dir/rss" &
sampler_pid=$!

log "load: $concurrency clients for $seconds s against $base${SOAK_RPS:+ at $SOAK_RPS requests a second}"
STACK_LOAD_API_KEY=sk-soak STACK_LOAD_RPS="${SOAK_RPS:-}" "$bin/StackBench" load "$base" "$seconds" "$concurrency" | tee "$run_dir/load"

# The server's pipeline drains at Phoenix's pace: wait until its span counts stop moving. Every
# scrape of /metrics is itself a traced request, so a drained server still adds one span a scrape.
counts() { curl -s "$base/metrics" | "$bin/StackChecks" exported; }
log "waiting for the server's export queue to drain"
previous=-1; steady=0
for _ in $(seq 1 90); do
  read -r exported failed dropped <<<"$(counts)"
  total=$((exported + failed + dropped))
  if [ $((total - previous)) -le 1 ]; then steady=$((steady + 1)); else steady=0; fi
  [ "$steady" -ge 3 ] && break
  previous=$total
  sleep 2
done
read -r sent failed dropped <<<"$(counts)"
log "counting the spans Phoenix holds"
held="$("$bin/StackChecks" phoenix-count "$phoenix_url" "$project" "$sent")"
kill "$sampler_pid" 2>/dev/null || true
rss="$(tr '\n' ' ' <"$run_dir/rss")"

echo
echo "soak_seconds: $seconds"
echo "soak_concurrency: $concurrency"
echo "soak_target_rps: ${SOAK_RPS:-unpaced}"
grep '^load_' "$run_dir/load"
echo "spans_sent: $sent"
echo "spans_failed: $failed"
echo "spans_dropped: $dropped"
echo "spans_in_phoenix: $held"
echo "serve_rss_mb_samples: $rss"
"$bin/StackChecks" rss-summary "$rss"
