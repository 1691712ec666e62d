#if Telemetry
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

    /// What the tracer holds, behind one reference: swift-distributed-tracing keeps the tracer in an
    /// `any Instrument` and casts it to `any Tracer` for every span, and a value wider than three words
    /// would be copied into a new heap box by each cast.
    private final class Storage: Sendable {
        let processor: any SpanProcessor
        let sampler: any Sampler
        let limits: SpanRecordingLimits

        init(processor: any SpanProcessor, sampler: any Sampler, limits: SpanRecordingLimits) {
            self.processor = processor
            self.sampler = sampler
            self.limits = limits
        }
    }

    private let storage: Storage

    /// Where ended, sampled spans go.
    public var processor: any SpanProcessor { storage.processor }
    /// Decides at a span's start whether it is recorded.
    public var sampler: any Sampler { storage.sampler }
    /// String attribute values are cut to this many UTF-8 bytes as they are recorded
    /// (`OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`); `nil` for no limit.
    public var attributeValueLengthLimit: Int? {
        storage.limits.valueLengthLimit == .max ? nil : storage.limits.valueLengthLimit
    }

    public init(
        processor: any SpanProcessor,
        sampler: any Sampler = ParentBasedSampler(root: AlwaysOnSampler()),
        attributeValueLengthLimit: Int? = nil
    ) {
        storage = Storage(
            processor: processor,
            sampler: sampler,
            limits: SpanRecordingLimits(valueLengthLimit: attributeValueLengthLimit ?? .max, sizeHint: SpanSizeHint())
        )
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
        let parentContext = context()
        let parent = parentContext.spanContext
        let traceID = parent?.traceContext.traceID ?? TraceID.random(using: &ids)
        let decision = storage.sampler.shouldSample(traceID: traceID, parent: parent, operationName: operationName, kind: kind)
        let spanContext = SpanContext(
            traceContext: TraceContext(
                traceID: traceID,
                spanID: SpanID.random(using: &ids),
                flags: decision == .recordAndSample ? .sampled : [],
                state: parent?.traceContext.state ?? TraceState()
            ),
            isRemote: false
        )
        return StackSpan(
            operationName: operationName,
            kind: kind,
            spanContext: spanContext,
            parent: parent,
            parentContext: parentContext,
            startNanoseconds: instant().nanosecondsSinceEpoch,
            isRecording: decision == .recordAndSample,
            processor: storage.processor,
            limits: storage.limits
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
#endif  // Telemetry
