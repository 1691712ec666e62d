import Foundation
import OpenInference
import StackAgent
import StackLLM
import StackTelemetry
import StackTestSupport
import Synchronization
import Tracing

// A release-built benchmark of tracing costs; `make bench` runs it beside the Python SDK.
// Usage: stack-bench <llm-span|noop-span|agent|export|soak|alloc> [count], stack-bench load URL SECONDS CONCURRENCY,
// or stack-bench fake-model (the scripted model of scripts/soak.sh)
// Each mode prints `key: value` lines that scripts/bench.sh collects.

/// The seed's LLM span: 10 input messages of about 150 characters, one output, three token counts.
enum SeedSpan {
    static let messages: [LLMMessage] = (0..<10).map { index in
        let text = String(
            "Message \(index): compare Postgres and SQLite for a small Django app, covering concurrency, backups, deployment and cost. "
                .prefix(150)
        )
        return index == 0 ? .system(text) : (index.isMultiple(of: 2) ? .assistant(text) : .user(text))
    }
    static let parameters: OpenInferenceJSON = ["temperature": 0.2, "max_tokens": 512, "top_p": 1]
    static let output = LLMMessage.assistant(String(repeating: "SQLite suits one machine; Postgres suits many writers. ", count: 3))
    static let usage = TokenUsage(prompt: 412, completion: 38)

    static func record() async {
        await withLLMSpan(model: "gpt-4o-mini", system: "openai", messages: messages, parameters: parameters) { span in
            span.recordOutput(messages: [output])
            span.recordTokenUsage(usage)
        }
    }
}

/// Accepts and forgets every batch.
struct DiscardingExporter: SpanExporter {
    func export(_ spans: [FinishedSpan]) async throws {}
}

/// Ends spans into nothing, to measure a span's own cost.
struct DiscardingProcessor: SpanProcessor {
    func onEnd(_ span: FinishedSpan) {}
    func forceFlush() async {}
    func shutdown() async {}
}

func residentBytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
        let pages = Int(statm.split(separator: " ")[1])
    else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

nonisolated(nonsending) func timed(_ body: nonisolated(nonsending) () async throws -> Void) async rethrows -> Duration {
    let start = ContinuousClock.now
    try await body()
    return ContinuousClock.now - start
}

func nanoseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
}

/// Runs `body` with a batch pipeline draining in the background into `exporter`.
nonisolated(nonsending) func withBatchPipeline(
    exporter: any SpanExporter,
    _ body: nonisolated(nonsending) (StackTracer, BatchSpanProcessor) async throws -> Void
) async throws {
    var configuration = BatchSpanProcessor.Configuration()
    configuration.scheduleDelay = .milliseconds(5)
    configuration.maxQueueSize = 1 << 16
    configuration.maxExportBatchSize = 512
    let processor = BatchSpanProcessor(exporter: exporter, configuration: configuration)
    let tracer = StackTracer(processor: processor)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await processor.run() }
        try await body(tracer, processor)
        await processor.shutdown()
        try await group.waitForAll()
    }
}

func spanLoop(_ count: Int) async {
    for _ in 0..<count { await SeedSpan.record() }
}

let arguments = CommandLine.arguments
let mode = arguments.count > 1 ? arguments[1] : "llm-span"
let count = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000

switch mode {
case "llm-span":
    try await withBatchPipeline(exporter: DiscardingExporter()) { tracer, processor in
        await withTracer(tracer) { await spanLoop(min(count, 10_000)) }  // warm-up
        let elapsed = await timed { await withTracer(tracer) { await spanLoop(count) } }
        print("swift_ns_per_llm_span: \(Int(nanoseconds(elapsed) / Double(count)))")
        await processor.forceFlush()
        print("swift_llm_span_dropped: \(processor.droppedSpans)")
    }

case "noop-span":
    await withTracer(NoOpTracer()) { await spanLoop(min(count, 10_000)) }
    let elapsed = await timed { await withTracer(NoOpTracer()) { await spanLoop(count) } }
    print("swift_ns_per_noop_span: \(Int(nanoseconds(elapsed) / Double(count)))")

case "alloc":
    // Run under valgrind: the heap summary's allocation count, less a run with count 0, per span.
    await withTracer(StackTracer(processor: DiscardingProcessor())) { await spanLoop(count) }

case "agent":
    // Three model calls (two with a tool call, then an answer) against an in-process server that
    // answers at once; traced and untraced runs alternate in rounds so drift hits both alike.
    let toolCall = #"{"choices":[{"finish_reason":"tool_calls","message":{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"now","arguments":"{}"}}]}}],"usage":{"prompt_tokens":120,"completion_tokens":12,"total_tokens":132}}"#
    let answer = #"{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"Use SQLite for one machine."}}],"usage":{"prompt_tokens":180,"completion_tokens":9,"total_tokens":189}}"#
    let server = ScriptedHTTPServer([.json(toolCall), .json(toolCall), .json(answer)], cycle: true, recordRequests: false)
    let url = try await server.start()
    let agent = Agent(
        model: LLMClient(configuration: LLMClientConfiguration(baseURL: url, model: "scripted")),
        tools: ToolRegistry([NowTool()]),
        maxIterations: 3
    )
    try await withBatchPipeline(exporter: DiscardingExporter()) { tracer, _ in
        func runs(_ n: Int, traced: Bool) async throws -> Duration {
            try await timed {
                for _ in 0..<n {
                    if traced {
                        _ = try await withTracer(tracer) { try await agent.run(goal: "Compare the databases.") }
                    } else {
                        _ = try await withTracer(NoOpTracer()) { try await agent.run(goal: "Compare the databases.") }
                    }
                }
            }
        }
        _ = try await runs(50, traced: true)
        _ = try await runs(50, traced: false)
        var traced = Duration.zero
        var untraced = Duration.zero
        let rounds = max(1, count / 50)
        for _ in 0..<rounds {
            traced += try await runs(50, traced: true)
            untraced += try await runs(50, traced: false)
        }
        let total = Double(rounds * 50)
        let tracedRun = nanoseconds(traced) / total
        let untracedRun = nanoseconds(untraced) / total
        print("agent_runs_each: \(Int(total))")
        print("agent_traced_us_per_run: \(String(format: "%.1f", tracedRun / 1000))")
        print("agent_untraced_us_per_run: \(String(format: "%.1f", untracedRun / 1000))")
        print("agent_tracing_overhead_pct: \(String(format: "%.2f", (tracedRun - untracedRun) / untracedRun * 100))")
    }
    try await server.stop()

case "export":
    // Encode and POST pre-recorded seed spans to a local OTLP sink, batch after batch.
    let sink = ScriptedHTTPServer([.json("{}")], cycle: true, recordRequests: false)
    let url = try await sink.start()
    let recorder = InMemorySpanRecorder()
    await withTracer(StackTracer(processor: recorder)) { await spanLoop(512) }
    let batch = recorder.spans
    let exporter = OTLPHTTPSpanExporter(
        configuration: .init(endpoint: URL(string: url.absoluteString.replacingOccurrences(of: "/v1", with: "/v1/traces"))!),
        encoder: OTLPTraceEncoder(resource: ["service.name": "bench"])
    )
    try await exporter.export(batch)  // warm the connection
    let batches = max(1, count / batch.count)
    let elapsed = try await timed {
        for _ in 0..<batches { try await exporter.export(batch) }
    }
    let bytes = OTLPTraceEncoder(resource: ["service.name": "bench"]).encode(batch).count
    print("export_batch_bytes: \(bytes)")
    print("export_spans_per_s: \(Int(Double(batches * batch.count) / (nanoseconds(elapsed) / 1e9)))")
    try await sink.stop()

case "soak":
    // Memory over a long run: RSS sampled every tenth of the run.
    try await withBatchPipeline(exporter: DiscardingExporter()) { tracer, processor in
        let step = max(1, count / 10)
        var samples: [Int] = [residentBytes()]
        await withTracer(tracer) {
            var done = 0
            while done < count {
                await spanLoop(min(step, count - done))
                done += step
                samples.append(residentBytes())
            }
        }
        await processor.forceFlush()
        print("soak_spans: \(count)")
        print("soak_rss_mb_samples: \(samples.map { String(format: "%.1f", Double($0) / 1_048_576) }.joined(separator: " "))")
        print("soak_rss_growth_after_first_tenth_mb: \(String(format: "%.1f", Double(samples.last! - samples[1]) / 1_048_576))")
        print("soak_dropped: \(processor.droppedSpans)")
    }

case "load":
    // stack-bench load URL SECONDS CONCURRENCY, key in STACK_LOAD_API_KEY (scripts/soak.sh); with
    // STACK_LOAD_TRACE_IDS=FILE, the X-Trace-Id of every answered request is written there, one a line
    // with the answer's Unix time in milliseconds.
    guard arguments.count > 4, let seconds = Int(arguments[3]), let concurrency = Int(arguments[4]) else {
        FileHandle.standardError.write(Data("usage: StackBench load URL SECONDS CONCURRENCY\n".utf8))
        exit(2)
    }
    try await runLoad(
        baseURL: arguments[2],
        seconds: seconds,
        concurrency: concurrency,
        apiKey: ProcessInfo.processInfo.environment["STACK_LOAD_API_KEY"] ?? "",
        requestsPerSecond: ProcessInfo.processInfo.environment["STACK_LOAD_RPS"].flatMap(Double.init),
        traceIDsPath: ProcessInfo.processInfo.environment["STACK_LOAD_TRACE_IDS"]
    )

case "fake-model":
    // stack-bench fake-model: an OpenAI-compatible model that answers every request at once with the
    // same short completion (usage included), so a soak measures the service and its tracing, not a
    // model. Prints its API root, then serves until it is stopped (scripts/soak.sh stops it by pid).
    let answer = #"{"id":"chatcmpl-soak","object":"chat.completion","model":"scripted","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"SQLite suits one machine; Postgres suits many writers."}}],"usage":{"prompt_tokens":60,"completion_tokens":12,"total_tokens":72}}"#
    let server = ScriptedHTTPServer([.json(answer)], cycle: true, recordRequests: false)
    FileHandle.standardOutput.write(Data("\(try await server.start().absoluteString)\n".utf8))
    while true { try await Task.sleep(for: .seconds(3600)) }

default:
    FileHandle.standardError.write(Data("unknown mode '\(mode)'; use llm-span, noop-span, agent, export, soak, alloc, load or fake-model\n".utf8))
    exit(2)
}
