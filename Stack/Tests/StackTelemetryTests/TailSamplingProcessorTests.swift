import Foundation
import OpenInferenceTelemetry
import StackTestSupport
import Testing
import Tracing

@Suite("Tail sampling")
struct TailSamplingProcessorTests {
    struct HeaderExtractor: Extractor {
        func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
    }

    /// A tracer whose ended spans pass the tail sampler into a recorder.
    static func pipeline(_ configuration: TailSamplingConfiguration) -> (StackTracer, TailSamplingProcessor<ContinuousClock>, InMemorySpanRecorder) {
        let recorder = InMemorySpanRecorder()
        let tail = TailSamplingProcessor(downstream: recorder, configuration: configuration)
        return (StackTracer(processor: tail), tail, recorder)
    }

    @Test("At a 0 % ratio, a trace with a failed span is kept whole and an ordinary one is dropped")
    func keepsErrors() {
        let (tracer, tail, recorder) = Self.pipeline(TailSamplingConfiguration(ratio: 0))
        let failing = tracer.startSpan("request", context: .topLevel)
        let tool = tracer.startSpan("tool", context: failing.context)
        tool.setStatus(SpanStatus(code: .error, message: "tool failed"))
        tool.end()
        failing.end()
        let ordinary = tracer.startSpan("request", context: .topLevel)
        tracer.startSpan("llm", context: ordinary.context).end()
        ordinary.end()

        #expect(recorder.spans.map(\.name).sorted() == ["request", "tool"])
        #expect(Set(recorder.spans.map(\.context.traceIDHex)) == [failing.context.spanContext!.traceIDHex])
        #expect(tail.statistics.keptForError == 1)
        #expect(tail.statistics.droppedTraces == 1)
        #expect(tail.pendingTraceCount == 0)
    }

    @Test("A root slower than the threshold is kept; a fast one is not")
    func keepsSlowTraces() async throws {
        let (tracer, tail, recorder) = Self.pipeline(TailSamplingConfiguration(ratio: 0, latencyThreshold: .milliseconds(30)))
        let slow = tracer.startSpan("slow", context: .topLevel)
        try await Task.sleep(for: .milliseconds(40))
        slow.end()
        tracer.startSpan("fast", context: .topLevel).end()
        #expect(recorder.spans.map(\.name) == ["slow"])
        #expect(tail.statistics.keptForLatency == 1)
    }

    @Test("A trace continued from a sampled upstream traceparent is always kept")
    func keepsUpstreamTraces() {
        let (tracer, tail, recorder) = Self.pipeline(TailSamplingConfiguration(ratio: 0))
        var context = ServiceContext.topLevel
        tracer.extract(["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"], into: &context, using: HeaderExtractor())
        tracer.startSpan("continued", context: context).end()
        #expect(recorder.spans.map(\.name) == ["continued"])
        #expect(tail.statistics.keptFromUpstream == 1)
    }

    @Test("The ratio decides ordinary traces by trace id: all at 1, none at 0")
    func ratio() {
        let (allTracer, _, all) = Self.pipeline(TailSamplingConfiguration(ratio: 1))
        let (noneTracer, _, none) = Self.pipeline(TailSamplingConfiguration(ratio: 0))
        for _ in 0..<50 {
            allTracer.startSpan("t", context: .topLevel).end()
            noneTracer.startSpan("t", context: .topLevel).end()
        }
        #expect(all.spans.count == 50)
        #expect(none.spans.isEmpty)
    }

    @Test("Pending memory is bounded: spans of traces beyond the limit are decided alone and counted")
    func boundedPendingTraces() async {
        let (tracer, tail, recorder) = Self.pipeline(TailSamplingConfiguration(ratio: 0, maxPendingTraces: 2))
        let roots = (0..<3).map { _ in tracer.startSpan("root", context: .topLevel) }
        for root in roots { tracer.startSpan("child", context: root.context).end() }
        #expect(tail.pendingTraceCount == 2)
        #expect(tail.statistics.overflowedSpans == 1)
        // An overflowing span that failed is still kept.
        let failed = tracer.startSpan("failed-child", context: roots[2].context)
        failed.setStatus(SpanStatus(code: .error))
        failed.end()
        #expect(recorder.spans.map(\.name) == ["failed-child"])
        #expect(tail.statistics.overflowedSpans == 2)
        for root in roots { root.end() }
        await tail.shutdown()
    }

    @Test("A trace whose root never ends is decided after the wait; later spans follow the decision")
    func decisionWait() async throws {
        let clock = ManualClock()
        let recorder = InMemorySpanRecorder()
        let tail = TailSamplingProcessor(
            downstream: recorder, configuration: TailSamplingConfiguration(ratio: 0, decisionWait: .milliseconds(20)), clock: clock
        )
        let tracer = StackTracer(processor: tail)
        let stuck = tracer.startSpan("stuck-root", context: .topLevel)
        let failed = tracer.startSpan("failed", context: stuck.context)
        failed.setStatus(SpanStatus(code: .error))
        failed.end()
        await tail.forceFlush()
        #expect(tail.statistics.timedOutTraces == 0)  // still within its wait
        clock.advance(by: .milliseconds(30))
        await tail.forceFlush()
        #expect(tail.statistics.timedOutTraces == 1)
        #expect(recorder.spans.map(\.name) == ["failed"])
        stuck.end()  // ends after the decision: kept, like the rest of its trace
        #expect(recorder.spans.map(\.name) == ["failed", "stuck-root"])
        #expect(tail.pendingTraceCount == 0)
    }

    @Test("Shutdown decides every pending trace before shutting the exporter down")
    func shutdownDecidesPending() async {
        let (tracer, tail, recorder) = Self.pipeline(TailSamplingConfiguration(ratio: 0))
        let root = tracer.startSpan("root", context: .topLevel)
        let failed = tracer.startSpan("failed", context: root.context)
        failed.setStatus(SpanStatus(code: .error))
        failed.end()
        #expect(recorder.spans.isEmpty)
        await tail.shutdown()
        #expect(recorder.spans.map(\.name) == ["failed"])
        root.end()
    }

    @Test("STACK_TAIL_SAMPLING variables configure the sampler, and bad values are reported")
    func environment() throws {
        let config = TelemetryConfiguration.fromEnvironment([
            "STACK_TAIL_SAMPLING": "true",
            "STACK_TAIL_SAMPLING_RATIO": "0.05",
            "STACK_TAIL_SAMPLING_LATENCY_MS": "2500",
            "STACK_TAIL_SAMPLING_MAX_TRACES": "many",
        ])
        let tail = try #require(config.tailSampling)
        #expect(tail.ratio == 0.05)
        #expect(tail.latencyThreshold == .milliseconds(2500))
        #expect(tail.maxPendingTraces == 10_000)
        #expect(config.diagnostics.contains { $0.contains("STACK_TAIL_SAMPLING_MAX_TRACES") })
        #expect(TelemetryConfiguration.fromEnvironment([:]).tailSampling == nil)
        let telemetry = try Telemetry(configuration: config)
        #expect(telemetry.tailSampler != nil)
    }
}
