"""The seed LLM span with the Python OpenTelemetry SDK, as an OpenInference instrumentation records it.

Same work as `stack-bench llm-span`: kind, model, invocation parameters, 10 input messages of about
150 characters flattened, one output message, three token counts; started, ended and handed to a
BatchSpanProcessor whose exporter discards. Prints `python_ns_per_llm_span: N`.

`otel_llm_span.py instructions N` records a fixed warm-up then N spans, untimed and silent, for callgrind:
scripts/bench.sh counts the instructions of a run with N and one with 0, and divides the difference by N
(the interpreter's start-up, the imports and the warm-up cancel).
"""
import json
import sys
import time

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult


class DiscardingExporter(SpanExporter):
    def export(self, spans):
        return SpanExportResult.SUCCESS

    def shutdown(self):
        pass


BASE = "compare Postgres and SQLite for a small Django app, covering concurrency, backups, deployment and cost. "
MESSAGES = []
for index in range(10):
    role = "system" if index == 0 else ("assistant" if index % 2 == 0 else "user")
    MESSAGES.append({"role": role, "content": (f"Message {index}: " + BASE)[:150]})
PARAMETERS = {"temperature": 0.2, "max_tokens": 512, "top_p": 1}
OUTPUT = {"role": "assistant", "content": "SQLite suits one machine; Postgres suits many writers. " * 3}


def record(tracer):
    with tracer.start_as_current_span("chat") as span:
        attributes = {
            "openinference.span.kind": "LLM",
            "llm.model_name": "gpt-4o-mini",
            "llm.request.model_name": "gpt-4o-mini",
            "llm.system": "openai",
            "llm.invocation_parameters": json.dumps(PARAMETERS, sort_keys=True, separators=(",", ":")),
        }
        for index, message in enumerate(MESSAGES):
            attributes[f"llm.input_messages.{index}.message.role"] = message["role"]
            attributes[f"llm.input_messages.{index}.message.content"] = message["content"]
        span.set_attributes(attributes)
        span.set_attributes({
            "llm.output_messages.0.message.role": OUTPUT["role"],
            "llm.output_messages.0.message.content": OUTPUT["content"],
            "output.value": OUTPUT["content"],
            "output.mime_type": "text/plain",
            "llm.token_count.prompt": 412,
            "llm.token_count.completion": 38,
            "llm.token_count.total": 450,
        })


def pipeline():
    provider = TracerProvider()
    processor = BatchSpanProcessor(DiscardingExporter(), max_queue_size=65536, schedule_delay_millis=5, max_export_batch_size=512)
    provider.add_span_processor(processor)
    return provider, provider.get_tracer("bench")


def instructions(count):
    provider, tracer = pipeline()
    for _ in range(200 + count):  # the same warm-up as the Swift InstructionCounts
        record(tracer)
    provider.shutdown()


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "instructions":
        instructions(int(sys.argv[2]))
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    provider, tracer = pipeline()
    for _ in range(min(count, 2000)):
        record(tracer)
    start = time.perf_counter_ns()
    for _ in range(count):
        record(tracer)
    elapsed = time.perf_counter_ns() - start
    provider.shutdown()
    print(f"python_ns_per_llm_span: {elapsed // count}")


if __name__ == "__main__":
    main()
