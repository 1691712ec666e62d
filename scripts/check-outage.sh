#!/usr/bin/env bash
# Part of `make test`: `stack serve` with a durable export spool (STACK_SPOOL_DIR) under paced load
# (OUTAGE_RPS requests a second, default 50; three spans each) against a private Phoenix that fails:
#   1. frozen: SIGSTOP for OUTAGE_FREEZE_SECONDS (default 60), then SIGCONT;
#   2. killed: SIGKILL, then started again on the same port and data;
#   3. stopped, and `stack serve` itself killed with SIGKILL during that outage, then both started
#      again (the new server on the same spool).
# After each, every trace the server answered with an X-Trace-Id must be in Phoenix. In 2, Phoenix had
# acknowledged (HTTP 200) spans it had not yet written when it was killed (it answers before ingesting);
# the exporter's acknowledged window (STACK_SPOOL_ACK_WINDOW) spools those again when Phoenix stops
# answering, so they arrive once it is back. The traces answered from the kill on are counted apart too.
# Prints the figures (requests, traces found, spans spooled/replayed/rewound) and stops exactly the
# processes it started.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

rps="${OUTAGE_RPS:-50}"
freeze="${OUTAGE_FREEZE_SECONDS:-60}"
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/stack-outage.XXXXXX")"
model_pid=""; serve_pid=""; load_pid=""
cleanup() {
  phoenix_pid="$(cat "$run_dir/phoenix/pid" 2>/dev/null || true)"
  [ -n "$phoenix_pid" ] && kill -CONT "$phoenix_pid" 2>/dev/null || true
  for pid in $load_pid $serve_pid $model_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $load_pid $serve_pid $model_pid; do wait "$pid" 2>/dev/null || true; done
  scripts/phoenix.sh stop "$run_dir/phoenix" || true
  rm -rf "$run_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

swift build --package-path Stack -q --product stack
swift build --package-path Stack -q --product StackBench
swift build --package-path Stack -q --product StackChecks
bin="$(swift build --package-path Stack --show-bin-path)"

phoenix_url="$(scripts/phoenix.sh start "$run_dir/phoenix")"
phoenix_port="$(cat "$run_dir/phoenix/port")"
start_fake_model "$bin/StackBench" "$run_dir/model-url"

project="outage-$(date +%s)-$$"
port="$(free_port)"
base="http://127.0.0.1:$port"
secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
start_serve() {
  STACK_API_KEYS="sk-outage=outage-user" STACK_FEEDBACK_QUEUE="$run_dir/feedback.sqlite" STACK_FEEDBACK_SECRET="$secret" \
    OPENAI_BASE_URL="$model_url" OPENAI_MODEL=scripted \
    PHOENIX_COLLECTOR_ENDPOINT="$phoenix_url" PHOENIX_PROJECT_NAME="$project" OTEL_BSP_SCHEDULE_DELAY=1000 \
    STACK_SPOOL_DIR="$run_dir/spool" \
    "$bin/stack" serve --port "$port" --max-iterations 1 --index "$run_dir/no-index.sqlite" >>"$run_dir/serve.log" 2>&1 &
  serve_pid=$!
  wait_http "$base/healthz" 60 "$serve_pid" || { tail -20 "$run_dir/serve.log" >&2; die "stack serve did not start"; }
}
# Paced load in the background for $1 seconds; answered trace ids go to $2.
start_load() {
  STACK_LOAD_API_KEY=sk-outage STACK_LOAD_RPS="$rps" STACK_LOAD_TRACE_IDS="$2" \
    "$bin/StackBench" load "$base" "$1" 4 >"$2.load" &
  load_pid=$!
}
finish_load() {
  wait "$load_pid" || die "the load client failed: $(cat "$1.load")"
  load_pid=""
  grep -E '^load_(requests|errors)' "$1.load" | sed "s/^/$2_/"
}
spool_counts() { curl -s "$base/metrics" | "$bin/StackChecks" spool; }
# Bytes of acknowledged batches the exporter holds to send again should Phoenix die (the gauge).
window_bytes() { curl -s "$base/metrics" | awk '$1 == "stack_telemetry_spool_ack_window_bytes" { print int($2) }'; }
# The in-memory queue's counts: spans exported, failed and dropped (a full queue drops new spans).
queue_counts() { curl -s "$base/metrics" | "$bin/StackChecks" exported; }
# Phoenix on a busy machine ingests a backlog at a few dozen spans a second: allow it 10 minutes.
# On a miss, the server's queue counts and Phoenix's own errors say on which side the spans were lost.
check_traces() {
  "$bin/StackChecks" phoenix-traces "$phoenix_url" "$project" "$1" "${3:-600}" ${4:-} | sed "s/^/$2_/" && return 0
  echo "server (exported failed dropped): $(queue_counts); spool (spooled replayed dropped rewound): $(spool_counts)" >&2
  grep -iE "error|exception|fail" "$run_dir/phoenix/phoenix.log" | tail -20 >&2 || true
  return 1
}
now_ms() { date +%s%3N; }
restart_phoenix() {
  PHOENIX_PORT="$phoenix_port" scripts/phoenix.sh start "$run_dir/phoenix" >/dev/null
}

start_serve
started=$(date +%s)

log "1. Phoenix frozen (SIGSTOP) for $freeze s under $rps requests a second"
start_load $((freeze + 20)) "$run_dir/freeze"
sleep 10
kill -STOP "$(cat "$run_dir/phoenix/pid")"
sleep "$freeze"
kill -CONT "$(cat "$run_dir/phoenix/pid")"
finish_load "$run_dir/freeze" freeze
read -r exported failed queue_dropped <<<"$(queue_counts)"
echo "freeze_spans_exported: $exported"
echo "freeze_spans_failed: $failed"
echo "freeze_spans_dropped_from_queue: $queue_dropped"
check_traces "$run_dir/freeze" freeze
read -r spooled replayed dropped rewound <<<"$(spool_counts)"
echo "freeze_spans_spooled: $spooled"
echo "freeze_spans_replayed: $replayed"
echo "freeze_spans_rewound: $rewound"

log "2. Phoenix killed (SIGKILL) and started again on the same port and data under load"
start_load 60 "$run_dir/kill"
sleep 10
echo "kill_ack_window_bytes_at_the_kill: $(window_bytes)"
killed_at=$(now_ms)
kill -KILL "$(cat "$run_dir/phoenix/pid")"
# The killed Phoenix may stay a zombie until reaped (phoenix.sh's `alive` does not count it as running):
# wait for its port to close, then phoenix.sh starts a new one on the same port and data.
for _ in $(seq 1 100); do port_free "$phoenix_port" && break; sleep 0.2; done
restart_phoenix
echo "kill_phoenix_down_seconds: $(( ($(now_ms) - killed_at) / 1000 ))"
finish_load "$run_dir/kill" kill
awk -v t="$killed_at" '$2 >= t' "$run_dir/kill" >"$run_dir/kill-after"
check_traces "$run_dir/kill-after" kill_from_the_kill_on
# Also those answered before the kill, which the killed Phoenix had acknowledged and perhaps not written:
# the acknowledged window sent them again.
check_traces "$run_dir/kill" kill_all
read -r spooled replayed dropped rewound <<<"$(spool_counts)"
echo "kill_spans_spooled_total: $spooled"
echo "kill_spans_replayed_total: $replayed"
echo "kill_spans_rewound_total: $rewound"
[ "$dropped" = 0 ] || die "the spool dropped $dropped spans, expected none below its bound"

log "3. stack serve killed (SIGKILL) during an outage, then started again on its spool"
scripts/phoenix.sh stop "$run_dir/phoenix"
start_load 15 "$run_dir/serve-kill"
finish_load "$run_dir/serve-kill" serve_kill
sleep 3  # the last batches leave the in-memory queue (schedule delay 1 s) for the spool
read -r spooled replayed dropped rewound <<<"$(spool_counts)"
left=$(find "$run_dir/spool" -name '*.otlp' | wc -l)
[ "$left" -gt 0 ] || die "the spool is empty during the outage"
echo "serve_kill_spool_files: $left"
kill -KILL "$serve_pid"
wait "$serve_pid" 2>/dev/null || true
restart_phoenix
start_serve
check_traces "$run_dir/serve-kill" serve_kill
read -r spooled replayed dropped rewound <<<"$(spool_counts)"
echo "serve_kill_spans_replayed_by_new_process: $replayed"
echo "outage_check_seconds: $(( $(date +%s) - started ))"
log "every answered trace reached Phoenix through the freeze, the kill and the server's own SIGKILL"
