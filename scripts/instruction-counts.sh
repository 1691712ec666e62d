#!/usr/bin/env bash
# Instruction counts of the benchmarks' work under valgrind's callgrind (`make bench` runs this after the
# timed benchmarks; it also runs alone). Each workload runs twice, with 0 and with N repetitions after the
# same warm-up, and the difference of the two totals divided by N is the count of one repetition: start-up,
# imports, warm-up and teardown cancel. Every thread is counted (an export thread's work included, in
# Swift and in Python). Prints `key: value` lines; see docs/performance.md "Instruction counts".
#
#   BENCH_INSTRUCTION_SPANS (default 2000): spans per counted run, Swift and Python
#   BENCH_INSTRUCTION_AGENT_RUNS (default 20): agent runs per counted run
#   BENCH_CALLGRIND_DIR: keep the callgrind.out files there (for callgrind_annotate); a temporary
#   directory otherwise
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

spans="${BENCH_INSTRUCTION_SPANS:-2000}"
agent_runs="${BENCH_INSTRUCTION_AGENT_RUNS:-20}"
[ "$spans" -gt 0 ] && [ "$agent_runs" -gt 0 ] || die "BENCH_INSTRUCTION_SPANS and BENCH_INSTRUCTION_AGENT_RUNS must be positive"

command -v valgrind >/dev/null || ensure_debian_packages valgrind

BENCH_VENV="$STACK_CACHE_DIR/bench-venv"
ensure_venv "$BENCH_VENV" opentelemetry-sdk

if [ -n "${BENCH_CALLGRIND_DIR:-}" ]; then
  dir="$BENCH_CALLGRIND_DIR"
  mkdir -p "$dir"
else
  dir="$(mktemp -d)"
  trap 'rm -rf "$dir"' EXIT
fi

log "instruction counts: building InstructionCounts (release)"
swift build --package-path Benchmarks -c release --product InstructionCounts >&2
# Valgrind 3.19 (Debian 12) cannot read the DWARF 5 the C targets' debug information is in, and gives up
# on the binary: it runs a copy without debug information (the symbol table stays, so callgrind_annotate
# still names functions).
objcopy --strip-debug "$(swift build --package-path Benchmarks -c release --show-bin-path)/InstructionCounts" "$dir/InstructionCounts"

# total NAME COUNT COMMAND…: callgrind's instruction total of COMMAND, its output kept as NAME-COUNT.out.
total() {
  local name="$1" count="$2"; shift 2
  local file="$dir/$name-$count.out"
  valgrind --tool=callgrind --callgrind-out-file="$file" "$@" >/dev/null 2>"$dir/$name-$count.log" ||
    { cat "$dir/$name-$count.log" >&2; die "callgrind run of $name ($count) failed"; }
  # The summary line of the output file: "summary: N" (or "totals: N"), instructions only (no cache simulation).
  sed -n 's/^\(summary\|totals\): \([0-9]*\).*/\2/p' "$file" | tail -n 1
}

# per NAME COUNT COMMAND…: instructions of one repetition, (total(COUNT) − total(0)) / COUNT.
per() {
  local name="$1" count="$2"; shift 2
  log "instruction counts: $name, 0 and $count repetitions"
  local zero many
  zero="$(total "$name" 0 "$@" 0)"
  many="$(total "$name" "$count" "$@" "$count")"
  python3 -c "print(round(($many - $zero) / $count))"
}

swift_span="$(per llm-span "$spans" "$dir/InstructionCounts" llm-span)"
swift_noop="$(per noop-span "$spans" "$dir/InstructionCounts" noop-span)"
swift_no_tracer="$(per no-tracer-span "$spans" "$dir/InstructionCounts" no-tracer-span)"
swift_empty_span="$(per empty-span "$spans" "$dir/InstructionCounts" empty-span)"
swift_empty_call="$(per empty-call "$spans" "$dir/InstructionCounts" empty-call)"
agent_traced="$(per agent-traced "$agent_runs" "$dir/InstructionCounts" agent-traced)"
agent_untraced="$(per agent-untraced "$agent_runs" "$dir/InstructionCounts" agent-untraced)"
python_span="$(per python-span "$spans" "$BENCH_VENV/bin/python" Stack/Benchmarks/python/otel_llm_span.py instructions)"

echo "swift_instructions_per_llm_span: $swift_span"
echo "python_instructions_per_llm_span: $python_span"
echo "ratio_python_over_swift_instructions: $(python3 -c "print(f'{$python_span / $swift_span:.1f}')")"
echo "swift_instructions_per_noop_span: $swift_noop"
echo "swift_instructions_per_no_tracer_span: $swift_no_tracer"
# The helper alone with no tracer (no arguments, an empty body), and the same loop calling the body
# through a generic async function that does nothing else.
echo "swift_instructions_per_empty_noop_helper: $swift_empty_span"
echo "swift_instructions_per_empty_call: $swift_empty_call"
echo "agent_traced_instructions_per_run: $agent_traced"
echo "agent_untraced_instructions_per_run: $agent_untraced"
echo "agent_tracing_overhead_instructions_pct: $(python3 -c "print(f'{($agent_traced - $agent_untraced) / $agent_untraced * 100:.2f}')")"
