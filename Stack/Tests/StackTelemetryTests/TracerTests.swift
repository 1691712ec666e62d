import OpenInferenceTelemetry
import Testing
import Tracing
import W3CTraceContext

@Suite("Tracer, sampling and propagation")
struct TracerTests {
    @Test("An incoming traceparent continues the caller's trace and outgoing calls carry it on")
    func traceparentRoundTrip() async throws {
        let recorder = InMemorySpanRecorder()
        let tracer = StackTracer(processor: recorder)
        var context = InstrumentationContext.topLevel
        let incoming = ["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate": "vendor=x"]
        tracer.extract(incoming, into: &context, using: DictionaryCarrier())
        var outgoing: [String: String] = [:]
        tracer.withSpan("handle", context: context) { span in
            tracer.inject(span.context, into: &outgoing, using: DictionaryCarrier())
        }
        let span = try #require(recorder.spans.first)
        #expect(span.context.traceIDHex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(span.parentSpanID?.description == "00f067aa0ba902b7")
        #expect(span.parentIsRemote)
        #expect(span.isLocalRoot)
        let header = try #require(outgoing["traceparent"])
        #expect(header.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-\(span.context.spanIDHex)-01"))
        #expect(outgoing["tracestate"] == "vendor=x")
    }

    @Test("An invalid traceparent is ignored and a new trace starts")
    func invalidTraceparentStartsNewTrace() throws {
        let recorder = InMemorySpanRecorder()
        let tracer = StackTracer(processor: recorder)
        var context = InstrumentationContext.topLevel
        tracer.extract(["traceparent": "00-zz-not-valid"], into: &context, using: DictionaryCarrier())
        #expect(context.spanContext == nil)
        tracer.withSpan("handle", context: context) { _ in }
        #expect(recorder.spans.first?.parentSpanID == nil)
    }

    @Test("ParentBased follows an unsampled parent and propagates it as unsampled")
    func parentBasedFollowsParent() throws {
        let recorder = InMemorySpanRecorder()
        let tracer = StackTracer(processor: recorder, sampler: ParentBasedSampler(root: AlwaysOnSampler()))
        var context = InstrumentationContext.topLevel
        tracer.extract(
            ["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"],
            into: &context,
            using: DictionaryCarrier()
        )
        var outgoing: [String: String] = [:]
        tracer.withSpan("handle", context: context) { span in
            #expect(!span.isRecording)
            tracer.inject(span.context, into: &outgoing, using: DictionaryCarrier())
        }
        #expect(recorder.spans.isEmpty)
        #expect(outgoing["traceparent"]?.hasSuffix("-00") == true)
    }

    @Test("Trace-id ratio sampling keeps about the configured share, and 0 and 1 are exact")
    func ratioSampling() {
        func keptShare(_ ratio: Double) -> Double {
            let sampler = TraceIDRatioSampler(ratio: ratio)
            let kept = (0..<10_000).filter { _ in
                sampler.shouldSample(traceID: .random(), parent: nil, operationName: "x", kind: .internal) == .recordAndSample
            }
            return Double(kept.count) / 10_000
        }
        #expect(keptShare(0) == 0)
        #expect(keptShare(1) == 1)
        let quarter = keptShare(0.25)
        #expect(quarter > 0.2 && quarter < 0.3)
    }

    @Test("The same trace id gets the same decision in every process")
    func ratioDecisionIsDeterministic() {
        let sampler = TraceIDRatioSampler(ratio: 0.5)
        let low = TraceID(bytes: (1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 1))
        let high = TraceID(bytes: (1, 2, 3, 4, 5, 6, 7, 8, 0xFF, 0, 0, 0, 0, 0, 0, 1))
        #expect(sampler.shouldSample(traceID: low, parent: nil, operationName: "", kind: .internal) == .recordAndSample)
        #expect(sampler.shouldSample(traceID: high, parent: nil, operationName: "", kind: .internal) == .drop)
    }

    @Test("The current trace id reads as 32 hex characters inside a span and nil outside")
    func currentTraceID() throws {
        let tracer = StackTracer(processor: InMemorySpanRecorder())
        #expect(Telemetry.currentTraceID == nil)
        let inside = withTracer(tracer) {
            withSpan("x") { _ in Telemetry.currentTraceID }
        }
        let id = try #require(inside)
        #expect(id.count == 32)
        #expect(id.allSatisfy { $0.isHexDigit })
    }

    @Test("A span ends once; later changes are ignored")
    func spanEndsOnce() {
        let recorder = InMemorySpanRecorder()
        let tracer = StackTracer(processor: recorder)
        let span = tracer.startSpan("once")
        span.end()
        span.attributes["late"] = "x"
        span.end()
        #expect(recorder.spans.count == 1)
        #expect(recorder.spans.first?.attributes.get("late") == nil)
    }
}

struct DictionaryCarrier: Extractor, Injector {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}
