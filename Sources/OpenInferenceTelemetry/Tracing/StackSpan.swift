#if Telemetry
import OpenInference
import Synchronization
import Tracing
import W3CTraceContext

/// The span ``StackTracer`` creates. Thread-safe; ends once; hands a ``FinishedSpan`` to the
/// tracer's processor when it ends, unless it was not sampled.
///
/// Attributes are encoded as OTLP protobuf as they are recorded (`SpanAttributeBatchRecording`), into
/// one buffer that the finished span carries to the exporter; `attributes` decodes them when asked.
public final class StackSpan: Tracing.Span, SpanAttributeBatchRecording, SpanContextCarrier {
    private struct State {
        var operationName: String
        var attributes = EncodedAttributes()
        /// Whether the attribute buffer is out with a writer (``recordAttributes(config:_:)``).
        var attributesLent = false
        /// Set when the span ended while its buffer was out: the writer finishes the span.
        var pendingEndNanoseconds: UInt64?
        var events: [SpanEvent] = []
        var links: [SpanLink] = []
        var status: SpanStatus?
        var ended = false
    }

    /// The context the span was started in; ``context`` adds the span to it.
    private let parentContext: InstrumentationContext
    /// The span's own identity.
    public let spanContext: SpanContext
    public let isRecording: Bool
    private let parent: SpanContext?
    private let kind: SpanKind
    private let startNanoseconds: UInt64
    private let processor: any SpanProcessor
    private let limits: SpanRecordingLimits
    private let state: Mutex<State>

    init(
        operationName: String,
        kind: SpanKind,
        spanContext: SpanContext,
        parent: SpanContext?,
        parentContext: InstrumentationContext,
        startNanoseconds: UInt64,
        isRecording: Bool,
        processor: any SpanProcessor,
        limits: SpanRecordingLimits
    ) {
        self.spanContext = spanContext
        self.parent = parent
        self.kind = kind
        self.parentContext = parentContext
        self.startNanoseconds = startNanoseconds
        self.isRecording = isRecording
        self.processor = processor
        self.limits = limits
        self.state = Mutex(State(operationName: operationName))
    }

    /// The context of this span: the one it was started in, with this span as the active one. Built when
    /// asked (the span does not keep a context holding itself, which would be a reference cycle).
    public var context: InstrumentationContext {
        var context = parentContext
        context[SpanContextKey.self] = self
        return context
    }

    public var operationName: String {
        get { state.withLock { $0.operationName } }
        set { state.withLock { $0.operationName = newValue } }
    }

    /// The attributes recorded so far, decoded from their encoded form. Setting replaces them all.
    public var attributes: SpanAttributes {
        get { state.withLock { $0.attributes.attributes } }
        set {
            guard isRecording else { return }
            state.withLock { state in
                guard !state.ended else { return }
                state.attributes.replace(with: newValue, valueLengthLimit: limits.valueLengthLimit)
            }
        }
    }

    public var hasErrorStatus: Bool {
        state.withLock { $0.status?.code == .error }
    }

    public func recordAttributes(config: TraceConfig, _ write: (inout AttributeWriter) -> Void) {
        guard isRecording else { return }
        // The buffer is taken out of the lock while `write` runs, so the writer appends to it directly and
        // may itself record on this span (that writer gets a buffer of its own, merged after this one).
        // It is moved, never copied: a second reference would make the first append copy it.
        var buffer = ProtobufWriter()
        let isWhole: Bool? = state.withLock { state in
            guard !state.ended else { return nil }
            if state.attributesLent { return false }
            state.attributesLent = true
            state.attributes.lend(into: &buffer)
            return true
        }
        guard let isWhole else { return }
        if buffer.bytes.capacity == 0 { buffer.bytes.reserveCapacity(limits.sizeHint.bytes) }
        let start = buffer.count
        var writer = AttributeWriter(
            config: config,
            sink: OTLPAttributeSink(writer: consume buffer, valueLengthLimit: limits.valueLengthLimit)
        )
        write(&writer)
        // Always our own sink: the writer hands back what it was given.
        var written = (writer.takeSink() as? OTLPAttributeSink)?.writer ?? ProtobufWriter()
        let finished: FinishedSpan? = state.withLock { state in
            guard isWhole else {
                state.attributes.append(written)
                return nil
            }
            state.attributes.takeBack(&written, newFrom: start)
            state.attributesLent = false
            guard let end = state.pendingEndNanoseconds else { return nil }
            return finish(&state, endNanoseconds: end)
        }
        if let finished { processor.onEnd(finished) }
    }

    public func setStatus(_ status: SpanStatus) {
        guard isRecording else { return }
        state.withLock { state in
            guard !state.ended else { return }
            // OpenTelemetry: OK is final, and a status without a code change never downgrades ERROR to UNSET.
            if state.status?.code == .ok { return }
            state.status = status
        }
    }

    public func addEvent(_ event: SpanEvent) {
        guard isRecording else { return }
        state.withLock { if !$0.ended { $0.events.append(event) } }
    }

    public func recordError<Instant: TracerInstant>(
        _ error: any Error,
        attributes: SpanAttributes,
        at instant: @autoclosure () -> Instant
    ) {
        guard isRecording else { return }
        var eventAttributes = attributes
        eventAttributes.set("exception.type", value: .string(String(reflecting: type(of: error))))
        eventAttributes.set("exception.message", value: .string(String(describing: error)))
        addEvent(SpanEvent(name: "exception", at: instant(), attributes: eventAttributes))
    }

    public func addLink(_ link: SpanLink) {
        guard isRecording else { return }
        state.withLock { if !$0.ended { $0.links.append(link) } }
    }

    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let finished: FinishedSpan? = state.withLock { state in
            guard !state.ended else { return nil }
            state.ended = true
            guard isRecording else { return nil }
            let end = instant().nanosecondsSinceEpoch
            if state.attributesLent {
                // A writer holds the attributes: it ends the span when it gives them back.
                state.pendingEndNanoseconds = end
                return nil
            }
            return finish(&state, endNanoseconds: end)
        }
        if let finished { processor.onEnd(finished) }
    }

    private func finish(_ state: inout State, endNanoseconds: UInt64) -> FinishedSpan {
        let attributes = state.attributes.takeBytes()
        limits.sizeHint.record(attributes.count)
        return FinishedSpan(
            context: spanContext,
            parentSpanID: parent?.traceContext.spanID,
            parentIsRemote: parent?.isRemote ?? false,
            name: state.operationName,
            kind: kind,
            startNanoseconds: startNanoseconds,
            endNanoseconds: endNanoseconds,
            encodedAttributes: attributes,
            events: state.events,
            links: state.links,
            status: state.status
        )
    }
}
#endif  // Telemetry
