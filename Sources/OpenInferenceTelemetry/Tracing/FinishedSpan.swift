#if Telemetry
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
    /// The attributes as the OTLP `KeyValue` entries the span encoded while it recorded (field 9 of `Span`).
    var encodedAttributes: [UInt8]
    public var events: [SpanEvent]
    public var links: [SpanLink]
    /// `nil` when the status was never set (OTLP's UNSET).
    public var status: SpanStatus?

    /// Whether this span is the first span of its trace in this process (no parent, or a remote one).
    public var isLocalRoot: Bool { parentSpanID == nil || parentIsRemote }

    /// The attributes, decoded from their encoded form. Setting one re-encodes them all, without a length limit.
    public var attributes: SpanAttributes {
        get {
            var decoded = EncodedAttributes()
            decoded.writer.bytes = encodedAttributes
            return decoded.attributes
        }
        set {
            var encoded = EncodedAttributes()
            encoded.replace(with: newValue, valueLengthLimit: .max)
            encodedAttributes = encoded.bytes
        }
    }

    /// Duration in nanoseconds.
    public var durationNanoseconds: UInt64 { endNanoseconds &- startNanoseconds }
}
#endif  // Telemetry
