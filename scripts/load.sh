#!/usr/bin/env bash
# `make load` (not part of `make test`): stack serve's chat completions pass-through at saturation.
# wrk (Debian) at each connection count in LOAD_CONNECTIONS against
#   1. `stack serve`, traced (every span to a private Phoenix, with an export spool);
#   2. the same with tracing off (OTEL_SDK_DISABLED=true);
#   3. the scripted model server alone (`StackBench fake-model`, which both servers front);
# then LOAD_RSS_SECONDS (600) of traced load at the middle connection count, sampling the server's RSS
# every 10 s. Prints, per target and connection count, requests a second, p50/p99/p99.9 and errors
# (non-2xx and socket errors); then the ratios the targets in docs/reliability.md are stated in, and the
# traced run's spans: ended (answered requests × spans per request), exported, spooled, dropped,
# failed, and what Phoenix holds. Stops exactly the processes it started.
#
#   LOAD_CONNECTIONS (default "8 32 128"), LOAD_SECONDS (per run, default 20), LOAD_THREADS (wrk, 2),
#   LOAD_RSS_SECONDS (default 600; 0 skips it), STACK_BIN_DIR (release-built stack, StackBench and
#   StackChecks to use instead of building them here)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

connections="${LOAD_CONNECTIONS:-8 32 128}"
seconds="${LOAD_SECONDS:-20}"
threads="${LOAD_THREADS:-2}"
rss_seconds="${LOAD_RSS_SECONDS:-600}"
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/stack-load.XXXXXX")"
pids=()
cleanup() {
  stop_pids
  scripts/phoenix.sh stop "$run_dir/phoenix" >/dev/null 2>&1 || true
  rm -rf "$run_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v wrk >/dev/null || ensure_debian_packages wrk
if [ -n "${STACK_BIN_DIR:-}" ]; then
  bin="$STACK_BIN_DIR"
else
  log "building stack, StackBench and StackChecks (release)"
  for product in stack StackBench StackChecks; do swift build --package-path Stack -c release -q --product "$product" >&2; done
  bin="$(swift build --package-path Stack -c release --show-bin-path)"
fi
for b in stack StackBench StackChecks; do [ -x "$bin/$b" ] || die "no $b in $bin"; done

phoenix_url="$(scripts/phoenix.sh start "$run_dir/phoenix")"
start_fake_model "$bin/StackBench" "$run_dir/model-url"
pids+=("$model_pid")

key="sk-load-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
body='{"model":"scripted","messages":[{"role":"user","content":"Compare Postgres and SQLite."}],"max_tokens":32}'
# wrk's script: one POST, and a last line with the counts and the percentiles wrk --latency leaves out.
cat >"$run_dir/post.lua" <<EOF
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("LOAD %d %.1f %.2f %.2f %.2f %d\n", summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, errors))
end
EOF

port="$(free_port)"
serve_pid=""
start_serve() {  # $1: label; the rest: extra environment
  local label="$1"; shift
  env "$@" STACK_API_KEYS="$key=load-user" STACK_FEEDBACK_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    STACK_FEEDBACK_QUEUE="$run_dir/feedback-$label.sqlite" OPENAI_BASE_URL="$model_url" OPENAI_MODEL=scripted \
    "$bin/stack" serve --port "$port" --max-iterations 1 --index "$run_dir/no-index.sqlite" \
    >>"$run_dir/serve-$label.log" 2>&1 &
  serve_pid=$!
  pids+=("$serve_pid")
  wait_http "http://127.0.0.1:$port/healthz" 60 "$serve_pid" || { tail -20 "$run_dir/serve-$label.log" >&2; die "stack serve ($label) did not start"; }
}
stop_serve() {
  kill -TERM "$serve_pid" 2>/dev/null || true
  wait "$serve_pid" 2>/dev/null || true
  for _ in $(seq 1 40); do port_free "$port" && break; sleep 0.25; done
}
# Runs wrk against $2 with $3 connections for $4 seconds; prints "target connections rps p50 p99 p99.9 errors".
measure() {
  local out
  out="$(wrk -t"$threads" -c"$3" -d"$4s" --timeout 10s -s "$run_dir/post.lua" "$2" | sed -n 's/^LOAD //p')"
  [ -n "$out" ] || die "wrk printed no result for $1"
  read -r requests rps p50 p99 p999 errors <<<"$out"
  printf '%-10s %5d %10s %8s %8s %8s %7s\n' "$1" "$3" "$rps" "$p50" "$p99" "$p999" "$errors" | tee -a "$run_dir/table"
  echo "$requests $errors" >"$run_dir/last"
}

printf '%-10s %5s %10s %8s %8s %8s %7s\n' target conns "req/s" "p50 ms" "p99 ms" "p99.9 ms" errors | tee "$run_dir/table"
project="load-$(date +%s)-$$"
start_serve traced PHOENIX_COLLECTOR_ENDPOINT="$phoenix_url" PHOENIX_PROJECT_NAME="$project" STACK_SPOOL_DIR="$run_dir/spool"
# Spans per answered request, from the exporter's count around one request. Every GET /metrics is a
# request span of its own (one), so each scrape is counted in `scrapes` and among the spans ended.
scrape() { curl -s "http://127.0.0.1:$port/metrics" >"$run_dir/metrics"; scrapes=$((scrapes + 1)); }
metric() { awk -v name="$1" '$1 == name || index($1, name "{") == 1 { sum += $2 } END { printf "%d\n", sum }' "$run_dir/metrics"; }
scrapes=0
sleep 12  # past the schedule delay (5 s by default): what the server ended at start has left
scrape; before="$(metric stack_telemetry_spans_exported_total)"
curl -sf -o /dev/null -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "$body" \
  "http://127.0.0.1:$port/v1/chat/completions" || die "the first traced request failed"
sleep 12
scrape; per_request=$(($(metric stack_telemetry_spans_exported_total) - before - 1))  # less the first scrape's span
[ "$per_request" -gt 0 ] || die "the first traced request's spans were not exported"
at_start="$before"
answered=1
for c in $connections; do
  measure traced "http://127.0.0.1:$port/v1/chat/completions" "$c" "$seconds"
  read -r requests errors <"$run_dir/last"
  answered=$((answered + requests - errors))
done
if [ "$rss_seconds" -gt 0 ]; then
  middle="$(echo "$connections" | awk '{ print $(int((NF + 1) / 2)) }')"
  ( while kill -0 "$serve_pid" 2>/dev/null; do "$bin/StackChecks" rss "$serve_pid" 2>/dev/null || true; sleep 10; done ) >"$run_dir/rss" &
  sampler=$!
  pids+=("$sampler")
  measure traced-rss "http://127.0.0.1:$port/v1/chat/completions" "$middle" "$rss_seconds"
  read -r requests errors <"$run_dir/last"
  answered=$((answered + requests - errors))
  kill "$sampler" 2>/dev/null || true
fi
# Spans still queued leave as fast as the collector takes them: wait (up to LOAD_DRAIN_SECONDS, 300)
# until every ended span is counted somewhere, or the counts stop moving for 20 s.
deadline=$((SECONDS + ${LOAD_DRAIN_SECONDS:-300})); last=-1; still=0
while :; do
  scrape
  exported="$(metric stack_telemetry_spans_exported_total)"
  failed="$(metric stack_telemetry_spans_failed_total)"
  dropped="$(metric stack_telemetry_spans_dropped_total)"
  spooled="$(metric stack_telemetry_spans_spooled_total)"
  counted=$((exported + failed + dropped + spooled))
  ended=$((at_start + answered * per_request + scrapes - 1))  # the last scrape's span has not ended yet
  [ "$counted" -ge "$ended" ] || [ "$SECONDS" -ge "$deadline" ] && break
  if [ "$counted" = "$last" ]; then still=$((still + 2)); [ "$still" -ge 20 ] && break; else still=0; fi
  last="$counted"
  sleep 2
done
drain_seconds=$((SECONDS + ${LOAD_DRAIN_SECONDS:-300} - deadline))
spool_dropped="$(metric stack_telemetry_spool_dropped_spans_total)"
held="$("$bin/StackChecks" phoenix-count "$phoenix_url" "$project" 0)"
stop_serve

start_serve untraced OTEL_SDK_DISABLED=true
for c in $connections; do measure untraced "http://127.0.0.1:$port/v1/chat/completions" "$c" "$seconds"; done
stop_serve
for c in $connections; do measure model "$model_url/chat/completions" "$c" "$seconds"; done

best() { awk -v t="$1" '$1 == t && $3 > max { max = $3 } END { printf "%.1f\n", max }' "$run_dir/table"; }
traced="$(best traced)"; untraced="$(best untraced)"; model="$(best model)"
echo
echo "saturation_rps_traced: $traced"
echo "saturation_rps_untraced: $untraced"
echo "saturation_rps_model: $model"
awk -v a="$traced" -v b="$untraced" 'BEGIN { printf "traced_over_untraced: %.3f   (target >= 0.95)\n", a / b }'
awk -v a="$untraced" -v b="$model" 'BEGIN { printf "service_over_model: %.3f   (target >= 0.5)\n", a / b }'
echo "errors_total: $(awk 'NR > 1 { sum += $7 } END { print sum + 0 }' "$run_dir/table")   (target 0)"
echo "spans_per_request: $per_request"
echo "spans_ended: $ended   (answered traced requests x spans per request, $scrapes scrapes of /metrics, $at_start exported before the first request)"
echo "spans_exported: $exported   spans_spooled: $spooled   spans_dropped_from_queue: $dropped   spans_failed: $failed   spool_evicted: $spool_dropped"
# wrk stops counting at its deadline while the server still answers what was in flight: up to one
# request per connection of each run, which the server's counts include and `answered` does not.
in_flight=0
for c in $connections; do in_flight=$((in_flight + c)); done
[ "$rss_seconds" -gt 0 ] && in_flight=$((in_flight + middle))
echo "spans_unaccounted: $((ended - exported - spooled - dropped - failed))   (target 0, within -$((in_flight * per_request)) for requests in flight when wrk stopped; counted ${drain_seconds} s after the load stopped)"
echo "spans_phoenix_holds_at_end: $held"
if [ "$rss_seconds" -gt 0 ]; then
  "$bin/StackChecks" rss-summary "$(tr '\n' ' ' <"$run_dir/rss")"
  echo "rss_samples_mb: $(tr '\n' ' ' <"$run_dir/rss")"
fi
