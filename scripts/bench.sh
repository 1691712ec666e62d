#!/usr/bin/env bash
# `make bench`: builds the Swift benchmarks in release mode, runs them beside the same work in Python's
# OpenTelemetry SDK on this machine, and prints a table and the summary lines last. The seed span is
# also recorded on swift-otel's tracer (Stack/Benchmarks/SwiftOTel, a benchmark-only package), with the
# OpenInference helpers and with its attributes set directly.
#
#   BENCH_SPANS (default 100000), BENCH_AGENT_RUNS (default 1000), BENCH_SOAK_SPANS (default 10000000),
#   BENCH_ALLOC=0 skips the allocation count.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

spans="${BENCH_SPANS:-100000}"
agent_runs="${BENCH_AGENT_RUNS:-1000}"
soak_spans="${BENCH_SOAK_SPANS:-10000000}"

BENCH_VENV="$STACK_CACHE_DIR/bench-venv"
ensure_venv "$BENCH_VENV" opentelemetry-sdk

log "building the benchmark (release)"
swift build --package-path Stack -c release --product StackBench >&2
bench="$(swift build --package-path Stack -c release --show-bin-path)/StackBench"
log "building the swift-otel benchmark (release; a first build compiles swift-otel, several minutes)"
otel_package=Stack/Benchmarks/SwiftOTel
swift build --package-path "$otel_package" -c release --product SwiftOTelBench >&2
otel_bench="$(swift build --package-path "$otel_package" -c release --show-bin-path)/SwiftOTelBench"

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
log "seed LLM span, traced and with the no-op tracer ($spans spans each)"
"$bench" llm-span "$spans" | tee -a "$out" >&2
"$bench" noop-span "$spans" | tee -a "$out" >&2
log "the same span on swift-otel's tracer, with the helpers and set directly ($spans spans each)"
"$otel_bench" both "$spans" | tee -a "$out" >&2
log "the same span in Python's OpenTelemetry SDK"
"$BENCH_VENV/bin/python" Stack/Benchmarks/python/otel_llm_span.py "$((spans / 5))" | tee -a "$out" >&2
log "agent runs of three model calls, traced and untraced ($agent_runs each)"
"$bench" agent "$agent_runs" | tee -a "$out" >&2
log "export throughput to a local OTLP sink"
"$bench" export "$spans" | tee -a "$out" >&2
if [ "${BENCH_ALLOC:-1}" != 0 ]; then
  log "allocations per span (an LD_PRELOAD counter: 2000 spans less 0)"
  counter="$STACK_CACHE_DIR/libmalloc_count.so"
  cc -O2 -shared -fPIC -o "$counter" Stack/Benchmarks/malloc-count/malloc_count.c -ldl
  allocs() { LD_PRELOAD="$counter" "$bench" alloc "$1" 2>&1 >/dev/null | sed -n 's/^malloc_count: //p'; }
  with="$(allocs 2000)"; without="$(allocs 0)"
  echo "swift_allocations_per_llm_span: $(( (with - without) / 2000 ))" | tee -a "$out" >&2
fi
log "memory over $soak_spans spans"
"$bench" soak "$soak_spans" | tee -a "$out" >&2

value() { sed -n "s/^$1: //p" "$out" | tail -n 1; }
swift_ns="$(value swift_ns_per_llm_span)"
python_ns="$(value python_ns_per_llm_span)"
ratio="$(python3 -c "print(f'{$python_ns / $swift_ns:.1f}')")"
otel_ns="$(value swift_otel_ns_per_llm_span)"
otel_direct_ns="$(value swift_otel_direct_ns_per_llm_span)"
otel_ratio="$(python3 -c "print(f'{$otel_ns / $swift_ns:.1f}')")"

printf '\n%-44s %s\n' "measure" "value"
printf '%-44s %s\n' "--------------------------------------------" "-----"
for key in swift_ns_per_llm_span swift_ns_per_noop_span swift_otel_ns_per_llm_span swift_otel_direct_ns_per_llm_span \
  swift_otel_direct_batched_ns_per_llm_span swift_otel_helper_overhead_pct swift_otel_helper_overhead_over_batched_pct \
  swift_otel_seed_span_attributes python_ns_per_llm_span swift_allocations_per_llm_span \
  agent_traced_us_per_run agent_untraced_us_per_run agent_tracing_overhead_pct export_batch_bytes export_spans_per_s \
  soak_spans soak_rss_mb_samples soak_rss_growth_after_first_tenth_mb soak_dropped swift_llm_span_dropped; do
  printf '%-44s %s\n' "$key" "$(value "$key")"
done
echo
echo "swift_ns_per_llm_span: $swift_ns"
echo "python_ns_per_llm_span: $python_ns"
echo "ratio_python_over_swift: $ratio"
echo "agent_tracing_overhead_pct: $(value agent_tracing_overhead_pct)"
echo "export_spans_per_s: $(value export_spans_per_s)"
echo "swift_otel_ns_per_llm_span: $otel_ns"
echo "swift_otel_direct_ns_per_llm_span: $otel_direct_ns"
echo "ratio_swift_otel_over_ours: $otel_ratio"
echo "swift_otel_helper_overhead_pct: $(value swift_otel_helper_overhead_pct)"
echo "swift_otel_direct_batched_ns_per_llm_span: $(value swift_otel_direct_batched_ns_per_llm_span)"
echo "swift_otel_helper_overhead_over_batched_pct: $(value swift_otel_helper_overhead_over_batched_pct)"
