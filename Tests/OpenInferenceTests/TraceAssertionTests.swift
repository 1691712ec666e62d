import InMemoryTracing
import OpenInference
import OpenInferenceTesting
import Testing
import Tracing

@Suite("Trace assertions and the trace id under any tracer")
struct TraceAssertionTests {
    @Test("Recorded spans answer kind, parent, children and tree questions")
    func navigation() async throws {
        let spans = await recordSpans {
            await withAgentSpan(agentName: "a", goal: "g") { _ in
                await withLLMSpan("chat m", model: "m") { _ in }
                await withToolSpan(tool: "search") { _ in
                    await withRetrieverSpan(query: "q") { _ in }
                }
            }
        }
        let agent = try spans.only(kind: .agent)
        let tool = try spans.only(kind: .tool)
        #expect(spans.roots.map(\.operationName) == [agent.operationName])
        #expect(spans.children(of: agent).map(\.operationName).sorted() == ["chat m", "search"])
        #expect(try spans.parent(of: spans.only(kind: .retriever)).spanID == tool.spanID)
        #expect(spans.tree == "AGENT \(agent.operationName)\n  LLM chat m\n  TOOL search\n    RETRIEVER retrieve")
    }

    @Test("A lookup that finds the wrong number of spans throws, naming what it expected and what it saw")
    func failingLookupSaysWhatItSaw() async throws {
        let spans = await recordSpans {
            await withLLMSpan("first", model: "m") { _ in }
            await withLLMSpan("second", model: "m") { _ in }
        }
        let error = #expect(throws: SpanExpectationError.self) { try spans.only(kind: .llm) }
        #expect(error?.description == "expected one LLM span, found 2; recorded spans:\nLLM first\nLLM second")
        #expect(throws: SpanExpectationError.self) { try spans.only(kind: .tool) }
        #expect(throws: SpanExpectationError.self) { try spans.parent(of: spans[0]) }
    }

    @Test("The trace id is read through any tracer that propagates W3C trace context")
    func traceIDUnderAForeignTracer() async throws {
        let tracer = W3CInMemoryTracer()
        let seen: String? = await withTracer(tracer) {
            await withChainSpan("request") { _ in TraceParent.current?.traceID }
        }
        let span = try #require(tracer.inner.finishedSpans.first)
        #expect(seen == span.traceID)
        #expect(TraceParent.current == nil)
    }

    @Test(
        "traceparent values parse only when valid",
        arguments: [
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true),
            ("00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-00", true),
            ("00-00000000000000000000000000000000-00f067aa0ba902b7-01", false),
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", false),
            ("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false),
            ("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", false),
            ("not a header", false),
        ]
    )
    func traceParentParsing(header: String, valid: Bool) {
        let parsed = TraceParent(header: header)
        #expect((parsed != nil) == valid)
        if let parsed { #expect(parsed.header == header.lowercased()) }
    }
}

/// A foreign tracer for the test: swift-distributed-tracing's in-memory tracer, made to inject W3C
/// `traceparent` as OpenTelemetry tracers do.
struct W3CInMemoryTracer: Tracer {
    let inner = InMemoryTracer(
        idGenerator: .init(
            nextTraceID: { String((0..<32).map { _ in "0123456789abcdef".randomElement()! }) },
            nextSpanID: { String((0..<16).map { _ in "0123456789abcdef".randomElement()! }) }
        )
    )

    func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> InstrumentationContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> InMemorySpan {
        inner.startSpan(operationName, context: context(), ofKind: kind, at: instant(), function: function, file: fileID, line: line)
    }

    func forceFlush() {}

    func inject<Carrier, Inject: Injector>(_ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject)
    where Carrier == Inject.Carrier {
        guard let span = context.inMemorySpanContext else { return }
        injector.inject("00-\(span.traceID)-\(span.spanID)-01", forKey: "traceparent", into: &carrier)
    }

    func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract)
    where Carrier == Extract.Carrier {
        guard let header = extractor.extract(key: "traceparent", from: carrier), let parent = TraceParent(header: header) else { return }
        context.inMemorySpanContext = InMemorySpanContext(traceID: parent.traceID, spanID: parent.spanID, parentSpanID: nil)
    }
}
