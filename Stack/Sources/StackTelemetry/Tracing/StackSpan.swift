import Synchronization
import OpenInference
import Tracing
import W3CTraceContext

/// The span ``StackTracer`` creates. Thread-safe; ends once; hands a ``FinishedSpan`` to the
/// tracer's processor when it ends, unless it was not sampled.
public final class StackSpan: Tracing.Span, SpanAttributeBatchRecording {
    private struct State {
        var operationName: String
        var attributes: SpanAttributes = {
            var attributes = SpanAttributes()
            attributes.reserveCapacity(48)
            return attributes
        }()
        var events: [SpanEvent] = []
        var links: [SpanLink] = []
        var status: SpanStatus?
        var ended = false
    }

    public let context: InstrumentationContext
    /// The span's own identity.
    public let spanContext: SpanContext
    public let isRecording: Bool
    private let parent: SpanContext?
    private let kind: SpanKind
    private let startNanoseconds: UInt64
    private let processor: any SpanProcessor
    private let state: Mutex<State>

    init(
        operationName: String,
        kind: SpanKind,
        spanContext: SpanContext,
        parent: SpanContext?,
        context: InstrumentationContext,
        startNanoseconds: UInt64,
        isRecording: Bool,
        processor: any SpanProcessor
    ) {
        self.spanContext = spanContext
        self.parent = parent
        self.kind = kind
        self.context = context
        self.startNanoseconds = startNanoseconds
        self.isRecording = isRecording
        self.processor = processor
        self.state = Mutex(State(operationName: operationName))
    }

    public var operationName: String {
        get { state.withLock { $0.operationName } }
        set { state.withLock { $0.operationName = newValue } }
    }

    public var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set {
            guard isRecording else { return }
            state.withLock { if !$0.ended { $0.attributes = newValue } }
        }
    }

    public func recordAttributes(_ pairs: [(key: String, value: SpanAttribute)]) {
        guard isRecording else { return }
        state.withLock { state in
            guard !state.ended else { return }
            for pair in pairs { state.attributes.set(pair.key, value: pair.value) }
        }
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
            return FinishedSpan(
                context: spanContext,
                parentSpanID: parent?.traceContext.spanID,
                parentIsRemote: parent?.isRemote ?? false,
                name: state.operationName,
                kind: kind,
                startNanoseconds: startNanoseconds,
                endNanoseconds: instant().nanosecondsSinceEpoch,
                attributes: state.attributes,
                events: state.events,
                links: state.links,
                status: state.status
            )
        }
        if let finished {
            processor.onEnd(finished)
        }
    }
}
