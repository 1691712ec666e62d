import InMemoryTracing
import OpenInference
import OpenInferenceTesting
import Synchronization
import Testing
import Tracing

/// withTracingSuppressed, withSpanContextCapture, AttributeMask and SpanExportFilter, on InMemoryTracing.
@Suite("Suppression, span capture, user masks and export filters")
struct TracingScopeTests {
    enum Starter: String, CaseIterable, Sendable { case helper, plainSpan, childTask }

    @Test("Nothing started inside withTracingSuppressed is recorded; spans before and after are", arguments: Starter.allCases)
    func suppressionRecordsNothing(starter: Starter) async throws {
        let spans = await recordSpans {
            await withChainSpan("before") { _ in }
            await withTracingSuppressed {
                switch starter {
                case .helper: await withLLMSpan(model: "m", messages: [.user("ping")]) { _ in }
                case .plainSpan: withSpan("plain") { _ in }
                case .childTask: await Task { await withToolSpan(tool: "t") { _ in } }.value
                }
            }
            await withChainSpan("after") { _ in }
        }
        #expect(spans.map(\.operationName) == ["before", "after"])
    }

    @Test("Inside withTracingSuppressed the enclosing span's trace stays current and propagates")
    func suppressionKeepsTheTraceContext() async throws {
        let tracer = W3CInMemoryTracer()
        let (outer, inner) = await withTracer(tracer) {
            await withChainSpan("outer") { _ in
                let outer = TraceParent.current
                let inner = await withTracingSuppressed { await withLLMSpan { _ in TraceParent.current } }
                return (outer, inner)
            }
        }
        #expect(outer != nil)
        #expect(inner == outer)
        #expect(tracer.inner.finishedSpans.map(\.operationName) == ["outer"])
    }

    @Test("A capture names the first and the last span started in its scope", arguments: [1, 2, 5])
    func captureNamesFirstAndLast(count: Int) async throws {
        let tracer = W3CInMemoryTracer()
        let capture = await withTracer(tracer) {
            await withSpanContextCapture { capture in
                await withAgentSpan("agent", goal: "g") { _ in
                    for index in 1..<count { await withToolSpan(tool: "tool \(index)") { _ in } }
                }
                return capture
            }
        }
        let finished = tracer.inner.finishedSpans
        #expect(capture.spans.count == count)
        #expect(capture.firstSpanID == finished.first { $0.operationName == "agent" }?.spanID)
        let last = count == 1 ? "agent" : "tool \(count - 1)"
        #expect(capture.lastSpanID == finished.first { $0.operationName == last }?.spanID)
        #expect(capture.spans.map(\.context.inMemorySpanContext?.spanID) == capture.spans.map(\.traceParent?.spanID))
    }

    @Test("An inner capture takes its spans for itself; nothing started means no ids")
    func nestedCaptures() async throws {
        let tracer = W3CInMemoryTracer()
        let (outer, inner, empty) = await withTracer(tracer) {
            await withSpanContextCapture { outer in
                await withChainSpan("a") { _ in }
                let inner = await withSpanContextCapture { inner in
                    await withChainSpan("b") { _ in }
                    return inner
                }
                let empty = await withSpanContextCapture { $0 }
                return (outer, inner, empty)
            }
        }
        #expect(outer.spans.count == 1)
        #expect(inner.spans.count == 1)
        #expect(outer.firstSpanID != inner.firstSpanID)
        #expect(empty.firstSpanID == nil && empty.lastSpanID == nil)
    }

    static let cardMask = AttributeMask { key, value in
        if key == SemanticConventions.Context.metadata { return nil }
        guard case .string(let text) = value else { return value }
        return .string(text.replacing(/\d{4}-\d{4}-\d{4}-\d{4}/, with: "[card]"))
    }

    static let masked: [(key: String, recorded: String?)] = [
        ("llm.input_messages.0.message.content", "pay with [card]"),
        ("input.value", "card [card]"),
        ("llm.model_name", "m"),
        ("metadata", nil),
    ]

    @Test("A user mask rewrites or drops what the helpers record", arguments: masked)
    func userMask(key: String, recorded: String?) async throws {
        var config = TraceConfig()
        config.attributeMask = Self.cardMask
        let span = try await recordSpans(config: config) {
            await withOpenInferenceContext(metadata: ["card": "1234-5678-9012-3456"]) {
                await withLLMSpan(model: "m", messages: [.user("pay with 1234-5678-9012-3456")]) { span in
                    span.recordInput("card 1234-5678-9012-3456")
                }
            }
        }.only(kind: .llm)
        #expect(span.attribute(key) == recorded)
    }

    @Test("A value the configuration hides never reaches the user mask")
    func userMaskRunsAfterTheRules() async throws {
        let seen = Mutex<[String]>([])
        var config = TraceConfig()
        config.hideInputs = true
        config.attributeMask = AttributeMask { key, value in
            seen.withLock { $0.append(key) }
            return value
        }
        let span = try await recordSpans(config: config) {
            await withLLMSpan(model: "m", messages: [.user("secret")]) { span in span.recordInput("secret") }
        }.only(kind: .llm)
        #expect(span.attribute("input.value") == TraceConfig.redacted)
        #expect(!seen.withLock { $0 }.contains { $0.hasPrefix("llm.input_messages") || $0 == "input.value" })
        #expect(seen.withLock { $0 }.contains("llm.model_name"))
    }

    @Test(
        "A span the export filter declines is not recorded and its children join its parent",
        arguments: [
            OpenInferenceSpanKind.retriever, .tool,
        ])
    func exportFilter(declined: OpenInferenceSpanKind) async throws {
        var config = TraceConfig()
        config.exportFilter = SpanExportFilter { $0.kind != declined }
        let spans = await recordSpans(config: config) {
            await withAgentSpan("agent", goal: "g") { _ in
                await withToolSpan(tool: "search") { _ in
                    await withRetrieverSpan(query: "q") { _ in
                        await withLLMSpan(model: "m") { _ in }
                    }
                }
            }
        }
        #expect(spans.spans(kind: declined).isEmpty)
        #expect(spans.count == 3)
        // The declined span's child hangs from the declined span's parent.
        let (child, parent): (OpenInferenceSpanKind, OpenInferenceSpanKind) = declined == .retriever ? (.llm, .tool) : (.retriever, .agent)
        #expect(try spans.parent(of: spans.only(kind: child)).openInferenceKind == parent)
    }

    @Test("The export filter is told the span's name, kind and module")
    func exportFilterCandidate() async throws {
        let seen = Mutex<[SpanExportCandidate]>([])
        var config = TraceConfig()
        config.exportFilter = SpanExportFilter { candidate in
            seen.withLock { $0.append(candidate) }
            return true
        }
        _ = await recordSpans(config: config) { await withChainSpan("step") { _ in } }
        let candidate = try #require(seen.withLock { $0 }.first)
        #expect(candidate.name == "step")
        #expect(candidate.kind == .chain)
        #expect(candidate.module == "OpenInferenceTests")
    }
}
