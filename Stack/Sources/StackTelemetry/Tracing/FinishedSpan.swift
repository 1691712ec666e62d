import Tracing
import W3CTraceContext

/// An ended span, as handed to a ``SpanProcessor`` and a ``SpanExporter``.
public struct FinishedSpan: Sendable {
    /// The span's trace id, span id, flags and trace state.
    public var context: SpanContext
    /// The id of the parent span, if any.
    public var parentSpanID: SpanID?
    /// Whether the parent lives in another process.
    public var parentIsRemote: Bool
    /// The operation name.
    public var name: String
    /// OpenTelemetry's span kind (client, server, internal, …).
    public var kind: SpanKind
    public var startNanoseconds: UInt64
    public var endNanoseconds: UInt64
    public var attributes: SpanAttributes
    public var events: [SpanEvent]
    public var links: [SpanLink]
    /// `nil` when the status was never set (OTLP's UNSET).
    public var status: SpanStatus?

    /// Whether this span is the first span of its trace in this process (no parent, or a remote one).
    public var isLocalRoot: Bool { parentSpanID == nil || parentIsRemote }

    /// Duration in nanoseconds.
    public var durationNanoseconds: UInt64 { endNanoseconds &- startNanoseconds }
}
