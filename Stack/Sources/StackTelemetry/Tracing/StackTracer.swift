import Tracing
import W3CTraceContext

/// A swift-distributed-tracing `Tracer` that records spans, samples them at the head, propagates
/// W3C trace context (`traceparent`, `tracestate`), and hands ended spans to a ``SpanProcessor``.
///
/// Most applications get one from ``Telemetry``; tests can build one over an ``InMemorySpanRecorder``
/// and scope it with `withTracer(_:_:)`:
///
/// ```swift
/// let recorder = InMemorySpanRecorder()
/// let tracer = StackTracer(processor: recorder)
/// await withTracer(tracer) { await withSpan("work") { _ in } }
/// #expect(recorder.spans.count == 1)
/// ```
public struct StackTracer: Tracing.Tracer {
    public typealias Span = StackSpan

    /// Where ended, sampled spans go.
    public let processor: any SpanProcessor
    /// Decides at a span's start whether it is recorded.
    public let sampler: any Sampler

    /// String attribute values are cut to this many UTF-8 bytes as they are recorded
    /// (`OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`); `nil` for no limit.
    public var attributeValueLengthLimit: Int? { limits.valueLengthLimit == .max ? nil : limits.valueLengthLimit }
    private let limits: SpanRecordingLimits

    public init(
        processor: any SpanProcessor,
        sampler: any Sampler = ParentBasedSampler(root: AlwaysOnSampler()),
        attributeValueLengthLimit: Int? = nil
    ) {
        self.processor = processor
        self.sampler = sampler
        self.limits = SpanRecordingLimits(valueLengthLimit: attributeValueLengthLimit ?? .max, sizeHint: SpanSizeHint())
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> InstrumentationContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> StackSpan {
        var ids = IDGenerator.Handle()
        var childContext = context()
        let parent = childContext.spanContext
        let traceID = parent?.traceContext.traceID ?? TraceID.random(using: &ids)
        let decision = sampler.shouldSample(traceID: traceID, parent: parent, operationName: operationName, kind: kind)
        let spanContext = SpanContext(
            traceContext: TraceContext(
                traceID: traceID,
                spanID: SpanID.random(using: &ids),
                flags: decision == .recordAndSample ? .sampled : [],
                state: parent?.traceContext.state ?? TraceState()
            ),
            isRemote: false
        )
        childContext.spanContext = spanContext
        return StackSpan(
            operationName: operationName,
            kind: kind,
            spanContext: spanContext,
            parent: parent,
            context: childContext,
            startNanoseconds: instant().nanosecondsSinceEpoch,
            isRecording: decision == .recordAndSample,
            processor: processor,
            limits: limits
        )
    }

    public func forceFlush() {
        // Flushing is asynchronous; callers await ``SpanProcessor/forceFlush()`` or ``Telemetry/forceFlush()``.
    }

    public func extract<Carrier, Extract>(
        _ carrier: Carrier,
        into context: inout InstrumentationContext,
        using extractor: Extract
    ) where Extract: Extractor, Extract.Carrier == Carrier {
        guard let traceParent = extractor.extract(key: "traceparent", from: carrier) else { return }
        let traceState = extractor.extract(key: "tracestate", from: carrier)
        // An invalid header is ignored, as W3C Trace Context requires: the request starts a new trace.
        guard
            let traceContext = try? TraceContext(
                traceParentHeaderValue: traceParent,
                traceStateHeaderValue: traceState
            )
        else { return }
        context.spanContext = SpanContext(traceContext: traceContext, isRemote: true)
    }

    public func inject<Carrier, Inject>(
        _ context: InstrumentationContext,
        into carrier: inout Carrier,
        using injector: Inject
    ) where Inject: Injector, Inject.Carrier == Carrier {
        guard let spanContext = context.spanContext else { return }
        injector.inject(spanContext.traceContext.traceParentHeaderValue, forKey: "traceparent", into: &carrier)
        if let traceState = spanContext.traceContext.traceStateHeaderValue, !traceState.isEmpty {
            injector.inject(traceState, forKey: "tracestate", into: &carrier)
        }
    }
}
