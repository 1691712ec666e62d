#!/usr/bin/env bash
# `make bench`: runs the tracing benchmarks (the Benchmarks package, on ordo-one/benchmark, release build)
# beside the same span in Python's OpenTelemetry SDK on this machine, and the seed span on swift-otel's tracer
# (Stack/Benchmarks/SwiftOTel), then prints a table and the summary lines last. Every ratio compares figures
# of this one run. See docs/performance.md.
#
#   BENCH_SPANS (default 100000): spans for Python's and swift-otel's runs (the Swift benchmarks run for a
#   fixed time); BENCH_SOAK_SPANS (default 10000000): spans of the memory run; BENCH_OTEL=0 skips swift-otel.
#   BENCH_AGENT_ROUNDS (default 30) and BENCH_AGENT_ROUND_RUNS (default 40): the interleaved agent rounds
#   (Benchmarks/Sources/AgentRounds) the agent overhead by time comes from. BENCH_WIRE_ROUNDS (default 30)
#   and BENCH_WIRE_ROUND_CALLS (default 200): the wire recorder's rounds (Benchmarks/Sources/WireRounds:
#   wire_overhead_us_per_call, wire_first_chunk_delay_us). BENCH_INSTRUCTIONS=0 skips the
#   instruction counts under callgrind (scripts/instruction-counts.sh, with its own variables).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

spans="${BENCH_SPANS:-100000}"
export BENCH_SOAK_SPANS="${BENCH_SOAK_SPANS:-10000000}"

BENCH_VENV="$STACK_CACHE_DIR/bench-venv"
ensure_venv "$BENCH_VENV" opentelemetry-sdk
# valgrind for the instruction counts, objcopy (binutils) for the copy of the binary it can read.
[ "${BENCH_INSTRUCTIONS:-1}" = 0 ] || ensure_debian_packages valgrind binutils

out="$(mktemp)"
results="$(mktemp)"
trap 'rm -f "$out" "$results"' EXIT

log "Swift benchmarks (ordo-one/benchmark; a first build compiles the Stack package in release, several minutes)"
swift package --package-path Benchmarks benchmark --no-progress --time-units nanoseconds \
  --format influx --path stdout | tee "$results" >&2
# Influx lines: target,host,cpu,cores,memory,kernel,metric,unit,test,percentile,value,average,iterations,…
python3 - "$results" >>"$out" <<'PY'
import csv
import sys
p50 = {}
for fields in csv.reader(open(sys.argv[1])):
    if len(fields) < 13 or fields[0] != "TracingBenchmarks":
        continue
    metric, test, percentile, value = fields[6], fields[8], fields[9], fields[10]
    if float(percentile) == 50.0:
        p50[(test, metric)] = float(value)
def get(test, metric):
    if (test, metric) not in p50:
        sys.exit(f"bench: no p50 of {metric} for benchmark {test!r} in the benchmark output")
    return p50[(test, metric)]
per_span = 1000  # the span benchmarks record 1 000 spans an iteration
print(f"swift_ns_per_llm_span: {get('LLM span', 'Time(wallclock)') / per_span:.0f}")
print(f"swift_ns_per_noop_span: {get('LLM span with the no-op tracer', 'Time(wallclock)') / per_span:.0f}")
print(f"swift_allocations_per_llm_span: {get('LLM span', 'Malloc(total)') / per_span:.2f}")
print(f"bytes_per_queued_span: {get('Queued span memory', 'bytesperqueuedspan'):.0f}")
batch = get('Export of a 512-span batch', 'Time(wallclock)')
print(f"export_spans_per_s: {512 / (batch / 1e9):.0f}")
traced = get('Agent run traced', 'Time(wallclock)')
untraced = get('Agent run untraced', 'Time(wallclock)')
print(f"agent_traced_us_per_run: {traced / 1000:.1f}")
print(f"agent_untraced_us_per_run: {untraced / 1000:.1f}")
# The two benchmarks run one after the other: this difference moves with the machine's load between
# them. agent_tracing_overhead_pct comes from the interleaved rounds below.
print(f"agent_tracing_overhead_sequential_pct: {(traced - untraced) / untraced * 100:.2f}")
print(f"soak_rss_growth_after_first_tenth_mb: {get('Memory over a long run', 'RSSgrowthafterthefirsttenth(KB)') / 1024:.1f}")
print(f"soak_rss_end_mb: {get('Memory over a long run', 'RSSattheend(KB)') / 1024:.1f}")
print(f"soak_dropped: {get('Memory over a long run', 'spansdropped'):.0f}")
PY
echo "soak_spans: $BENCH_SOAK_SPANS" >>"$out"

log "agent tracing overhead from interleaved rounds of traced and untraced runs"
swift build --package-path Benchmarks -c release --product AgentRounds >&2
"$(swift build --package-path Benchmarks -c release --show-bin-path)/AgentRounds" \
  "${BENCH_AGENT_ROUNDS:-30}" "${BENCH_AGENT_ROUND_RUNS:-40}" | tee -a "$out" >&2

log "the wire recorder's cost: interleaved rounds of plain and recorded AsyncHTTPClient calls over loopback"
swift build --package-path Benchmarks -c release --product WireRounds >&2
"$(swift build --package-path Benchmarks -c release --show-bin-path)/WireRounds" \
  "${BENCH_WIRE_ROUNDS:-30}" "${BENCH_WIRE_ROUND_CALLS:-200}" | tee -a "$out" >&2

log "the same span in Python's OpenTelemetry SDK"
"$BENCH_VENV/bin/python" Stack/Benchmarks/python/otel_llm_span.py "$((spans / 5))" | tee -a "$out" >&2

if [ "${BENCH_OTEL:-1}" != 0 ]; then
  log "the same span on swift-otel's tracer, with the helpers and set directly (a first build compiles swift-otel)"
  otel_package=Stack/Benchmarks/SwiftOTel
  swift build --package-path "$otel_package" -c release --product SwiftOTelBench >&2
  "$(swift build --package-path "$otel_package" -c release --show-bin-path)/SwiftOTelBench" both "$spans" | tee -a "$out" >&2
fi

if [ "${BENCH_INSTRUCTIONS:-1}" != 0 ]; then
  log "instruction counts under callgrind (Swift and Python, the same spans and agent runs)"
  bash scripts/instruction-counts.sh | tee -a "$out" >&2
fi

value() { sed -n "s/^$1: //p" "$out" | tail -n 1; }
swift_ns="$(value swift_ns_per_llm_span)"
python_ns="$(value python_ns_per_llm_span)"
ratio="$(python3 -c "print(f'{$python_ns / $swift_ns:.1f}')")"

printf '\n%-44s %s\n' "measure" "value"
printf '%-44s %s\n' "--------------------------------------------" "-----"
for key in swift_ns_per_llm_span swift_ns_per_noop_span python_ns_per_llm_span \
  swift_allocations_per_llm_span bytes_per_queued_span agent_traced_us_per_run agent_untraced_us_per_run \
  agent_tracing_overhead_sequential_pct agent_traced_us_per_run_interleaved agent_untraced_us_per_run_interleaved \
  agent_tracing_overhead_pct agent_tracing_overhead_pct_p25 agent_tracing_overhead_pct_p75 export_spans_per_s soak_spans soak_rss_growth_after_first_tenth_mb soak_rss_end_mb \
  soak_dropped swift_otel_ns_per_llm_span swift_otel_direct_ns_per_llm_span swift_otel_direct_batched_ns_per_llm_span \
  swift_otel_helper_overhead_pct swift_otel_helper_overhead_over_batched_pct swift_instructions_per_llm_span \
  python_instructions_per_llm_span swift_instructions_per_noop_span swift_instructions_per_no_tracer_span \
  swift_instructions_per_empty_noop_helper swift_instructions_per_empty_call \
  agent_traced_instructions_per_run agent_untraced_instructions_per_run wire_plain_us_per_call \
  wire_recorded_us_per_call wire_overhead_us_per_call_p25 wire_overhead_us_per_call_p75 wire_overhead_pct \
  wire_first_chunk_delay_us_p25 wire_first_chunk_delay_us_p75; do
  if [ -n "$(value "$key")" ]; then printf '%-44s %s\n' "$key" "$(value "$key")"; fi
done
echo
if [ "${BENCH_OTEL:-1}" != 0 ]; then
  echo "swift_otel_ns_per_llm_span: $(value swift_otel_ns_per_llm_span)"
  echo "ratio_swift_otel_over_ours: $(python3 -c "print(f'{$(value swift_otel_ns_per_llm_span) / $swift_ns:.1f}')")"
  echo "swift_otel_helper_overhead_pct: $(value swift_otel_helper_overhead_pct)"
fi
echo "bytes_per_queued_span: $(value bytes_per_queued_span)"
echo "swift_ns_per_llm_span: $swift_ns"
echo "python_ns_per_llm_span: $python_ns"
echo "ratio_python_over_swift: $ratio"
# The median of the interleaved rounds' paired differences, then their quartiles.
echo "agent_tracing_overhead_pct: $(value agent_tracing_overhead_pct)"
echo "agent_tracing_overhead_pct_p25_p75: $(value agent_tracing_overhead_pct_p25) $(value agent_tracing_overhead_pct_p75)"
echo "export_spans_per_s: $(value export_spans_per_s)"
echo "swift_allocations_per_llm_span: $(value swift_allocations_per_llm_span)"
echo "wire_overhead_us_per_call: $(value wire_overhead_us_per_call) ($(value wire_overhead_pct) % of the plain call)"
echo "wire_first_chunk_delay_us: $(value wire_first_chunk_delay_us)"
if [ "${BENCH_INSTRUCTIONS:-1}" != 0 ]; then
  for key in swift_instructions_per_llm_span python_instructions_per_llm_span ratio_python_over_swift_instructions \
    swift_instructions_per_noop_span agent_tracing_overhead_instructions_pct; do
    echo "$key: $(value "$key")"
  done
fi
