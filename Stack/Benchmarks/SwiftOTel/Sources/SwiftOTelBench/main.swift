import InMemoryTracing
import Logging
import OTel
import OpenInference
import ServiceLifecycle
import Tracing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The seed LLM span on swift-otel 1.6.0's tracer and batch span processor, with its `.none` exporter
// (spans are recorded, batched and discarded), as a user who already runs swift-otel would adopt
// OpenInference. `make bench` runs it beside the Swift benchmarks and prints the summary lines.
//
// Usage: SwiftOTelBench [both|helper|direct|direct-batched|check] [count]
//   both            (default) the three ways below, taking turns in rounds so drift hits all alike
//   helper          the OpenInference helpers (`withLLMSpan`, `recordOutput(messages:)`, `recordTokenUsage`)
//   direct          each attribute set with `span.attributes[key] = value`, no helper
//   direct-batched  the same attributes in three `updateAttributes` calls, one per recording step
//   check           only the check below
// Every mode first records the span once each way on swift-distributed-tracing's InMemoryTracer and
// exits 1 if a direct way records anything (name, kind, status, attributes) the helpers do not.

/// The seed span of the Swift benchmarks (Benchmarks/Benchmarks/TracingBenchmarks/SeedSpan.swift); keep the two in step.
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

    /// With the OpenInference helpers, exactly as the Swift benchmarks record it.
    static func record() async {
        await withLLMSpan(model: "gpt-4o-mini", system: "openai", messages: messages, parameters: parameters) { span in
            span.recordOutput(messages: [output])
            span.recordTokenUsage(usage)
        }
    }

    // What the direct path sets, prepared once as a hand-written instrumentation would: the keys of the
    // flattened messages and the message texts. The invocation parameters are encoded per span, as the
    // helper does (a caller holds them as a value, not as text).
    static let inputKeys = (0..<messages.count).map {
        (role: "llm.input_messages.\($0).message.role", content: "llm.input_messages.\($0).message.content")
    }
    static let inputRoles = messages.map(\.role)
    static let inputContents = messages.map { $0.content ?? "" }
    static let outputRole = output.role
    static let outputContent = output.content ?? ""
    static let promptTokens = usage.prompt ?? 0
    static let completionTokens = usage.completion ?? 0
    static let totalTokens = usage.total ?? 0

    /// The same span with no helper: each attribute set with `span.attributes[key] = value` on the
    /// tracer's span, started, scoped, marked OK and ended as `withLLMSpan` does.
    static func recordDirect() async {
        let span = InstrumentationSystem.tracer.startSpan(
            "chat",
            context: InstrumentationContext.current ?? .topLevel,
            ofKind: .client,
            at: DefaultTracerClock.now,
            function: #function,
            file: #fileID,
            line: #line
        )
        defer { span.end() }
        span.attributes["openinference.span.kind"] = "LLM"
        span.attributes["llm.model_name"] = "gpt-4o-mini"
        span.attributes["llm.request.model_name"] = "gpt-4o-mini"
        span.attributes["llm.system"] = "openai"
        span.attributes["llm.invocation_parameters"] = parameters.jsonString
        for index in inputKeys.indices {
            span.attributes[inputKeys[index].role] = inputRoles[index]
            span.attributes[inputKeys[index].content] = inputContents[index]
        }
        await InstrumentationContext.$current.withValue(span.context) { () async in
            span.attributes["llm.output_messages.0.message.role"] = outputRole
            span.attributes["llm.output_messages.0.message.content"] = outputContent
            span.attributes["output.value"] = outputContent
            span.attributes["output.mime_type"] = "text/plain"
            span.attributes["llm.token_count.prompt"] = promptTokens
            span.attributes["llm.token_count.completion"] = completionTokens
            span.attributes["llm.token_count.total"] = totalTokens
        }
        span.setStatus(SpanStatus(code: .ok))
    }

    /// The same span set directly but in three `updateAttributes` calls, one per recording step of the
    /// helpers (start, output, token counts): the least a hand-written instrumentation with the helpers'
    /// structure costs, since each `span.attributes[key] = value` above copies everything set so far.
    static func recordDirectBatched() async {
        let span = InstrumentationSystem.tracer.startSpan(
            "chat",
            context: InstrumentationContext.current ?? .topLevel,
            ofKind: .client,
            at: DefaultTracerClock.now,
            function: #function,
            file: #fileID,
            line: #line
        )
        defer { span.end() }
        span.updateAttributes { attributes in
            attributes["openinference.span.kind"] = "LLM"
            attributes["llm.model_name"] = "gpt-4o-mini"
            attributes["llm.request.model_name"] = "gpt-4o-mini"
            attributes["llm.system"] = "openai"
            attributes["llm.invocation_parameters"] = parameters.jsonString
            for index in inputKeys.indices {
                attributes[inputKeys[index].role] = inputRoles[index]
                attributes[inputKeys[index].content] = inputContents[index]
            }
        }
        await InstrumentationContext.$current.withValue(span.context) { () async in
            span.updateAttributes { attributes in
                attributes["llm.output_messages.0.message.role"] = outputRole
                attributes["llm.output_messages.0.message.content"] = outputContent
                attributes["output.value"] = outputContent
                attributes["output.mime_type"] = "text/plain"
            }
            span.updateAttributes { attributes in
                attributes["llm.token_count.prompt"] = promptTokens
                attributes["llm.token_count.completion"] = completionTokens
                attributes["llm.token_count.total"] = totalTokens
            }
        }
        span.setStatus(SpanStatus(code: .ok))
    }
}

/// Records the span once with the helpers and once each direct way on an InMemoryTracer; returns the
/// number of attributes, or nil (after saying why) when a direct way differs from the helpers in anything
/// but ids and times.
func checkSameSpan() async -> Int? {
    let tracer = InMemoryTracer()
    await withTracer(tracer) { await SeedSpan.record() }
    await withTracer(tracer) { await SeedSpan.recordDirect() }
    await withTracer(tracer) { await SeedSpan.recordDirectBatched() }
    let spans = tracer.finishedSpans
    guard spans.count == 3 else {
        print("check: expected 3 finished spans, got \(spans.count)")
        return nil
    }
    let helper = spans[0]
    var same = true
    for (way, direct) in zip(["direct", "direct batched"], spans.dropFirst()) {
        func differ(_ what: String, _ a: Any, _ b: Any) {
            print("check: \(what) differs: helper \(a), \(way) \(b)")
            same = false
        }
        if helper.operationName != direct.operationName { differ("name", helper.operationName, direct.operationName) }
        if helper.kind != direct.kind { differ("kind", helper.kind, direct.kind) }
        if helper.status != direct.status { differ("status", String(describing: helper.status), String(describing: direct.status)) }
        var keys = Set<String>()
        helper.attributes.forEach { key, _ in keys.insert(key) }
        direct.attributes.forEach { key, _ in keys.insert(key) }
        for key in keys.sorted() where helper.attributes.get(key) != direct.attributes.get(key) {
            differ(key, String(describing: helper.attributes.get(key)), String(describing: direct.attributes.get(key)))
        }
    }
    return same ? helper.attributes.count : nil
}

nonisolated(nonsending) func timed(_ body: nonisolated(nonsending) () async throws -> Void) async rethrows -> Duration {
    let start = ContinuousClock.now
    try await body()
    return ContinuousClock.now - start
}

func nanoseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
}

/// How much more `value` is than `base`, in percent with one decimal.
func percent(_ value: Double, over base: Double) -> Double {
    ((value - base) / base * 1000).rounded() / 10
}

func helperLoop(_ count: Int) async {
    for _ in 0..<count { await SeedSpan.record() }
}

func directLoop(_ count: Int) async {
    for _ in 0..<count { await SeedSpan.recordDirect() }
}

func directBatchedLoop(_ count: Int) async {
    for _ in 0..<count { await SeedSpan.recordDirectBatched() }
}

/// Runs `body` with swift-otel's tracing backend running: its tracer, its batch span processor (batched
/// as the Swift benchmarks' pipeline is: every 5 ms, up to 512 spans a batch, 65 536 queued) and the `.none` exporter.
nonisolated(nonsending) func withSwiftOTel(_ body: nonisolated(nonsending) (any Tracer) async throws -> Void) async throws {
    var configuration = OTel.Configuration.default
    configuration.serviceName = "swift-otel-bench"
    configuration.diagnosticLogLevel = .error
    configuration.traces.exporter = .none
    configuration.traces.batchSpanProcessor.scheduleDelay = .milliseconds(5)
    configuration.traces.batchSpanProcessor.maxQueueSize = 1 << 16
    configuration.traces.batchSpanProcessor.maxExportBatchSize = 512
    let backend = try OTel.makeTracingBackend(configuration: configuration)
    let group = ServiceGroup(services: [backend.service], logger: Logger(label: "bench", factory: { SwiftLogNoOpLogHandler($0) }))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        try await body(backend.factory)
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}

let arguments = CommandLine.arguments
let mode = arguments.count > 1 ? arguments[1] : "both"
let count = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000

guard let attributeCount = await checkSameSpan() else { exit(1) }
print("swift_otel_seed_span_attributes: \(attributeCount)")

switch mode {
case "check":
    break

case "both":
    try await withSwiftOTel { tracer in
        let warmUp = min(count, 10_000)
        await withTracer(tracer) { await helperLoop(warmUp) }
        await withTracer(tracer) { await directLoop(warmUp) }
        await withTracer(tracer) { await directBatchedLoop(warmUp) }
        // Ten rounds of each, in turn, so the machine's drift and the pipeline's backlog hit all alike.
        let rounds = 10
        let perRound = max(1, count / rounds)
        var helper = Duration.zero
        var direct = Duration.zero
        var directBatched = Duration.zero
        for _ in 0..<rounds {
            helper += await timed { await withTracer(tracer) { await helperLoop(perRound) } }
            direct += await timed { await withTracer(tracer) { await directLoop(perRound) } }
            directBatched += await timed { await withTracer(tracer) { await directBatchedLoop(perRound) } }
        }
        let spans = Double(rounds * perRound)
        let helperNs = nanoseconds(helper) / spans
        let directNs = nanoseconds(direct) / spans
        let directBatchedNs = nanoseconds(directBatched) / spans
        print("swift_otel_spans_each: \(Int(spans))")
        print("swift_otel_ns_per_llm_span: \(Int(helperNs))")
        print("swift_otel_direct_ns_per_llm_span: \(Int(directNs))")
        print("swift_otel_direct_batched_ns_per_llm_span: \(Int(directBatchedNs))")
        print("swift_otel_helper_overhead_pct: \(percent(helperNs, over: directNs))")
        print("swift_otel_helper_overhead_over_batched_pct: \(percent(helperNs, over: directBatchedNs))")
    }

case "helper", "direct", "direct-batched":
    try await withSwiftOTel { tracer in
        let loop = mode == "helper" ? helperLoop : (mode == "direct" ? directLoop : directBatchedLoop)
        await withTracer(tracer) { await loop(min(count, 10_000)) }
        let elapsed = await timed { await withTracer(tracer) { await loop(count) } }
        let key = mode == "helper" ? "" : (mode == "direct" ? "direct_" : "direct_batched_")
        print("swift_otel_\(key)ns_per_llm_span: \(Int(nanoseconds(elapsed) / Double(count)))")
    }

default:
    print("unknown mode '\(mode)'; use both, helper, direct, direct-batched or check")
    exit(2)
}
