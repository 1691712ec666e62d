#if Telemetry
import Tracing
import W3CTraceContext

/// The identity of a span as it travels in an `InstrumentationContext`: its W3C trace context,
/// and whether it came from another process (through a `traceparent` header).
public struct SpanContext: Sendable, Hashable {
    /// Trace id, span id, flags (sampled) and trace state.
    public var traceContext: TraceContext
    /// `true` when the context was extracted from an incoming request rather than started here.
    public var isRemote: Bool

    public init(traceContext: TraceContext, isRemote: Bool = false) {
        self.traceContext = traceContext
        self.isRemote = isRemote
    }

    /// The trace id as 32 lowercase hex characters.
    public var traceIDHex: String { traceContext.traceID.description }
    /// The span id as 16 lowercase hex characters.
    public var spanIDHex: String { traceContext.spanID.description }
    /// Whether the trace is being recorded and exported.
    public var isSampled: Bool { traceContext.flags.contains(.sampled) }

    public static func == (lhs: SpanContext, rhs: SpanContext) -> Bool {
        lhs.traceContext.traceID == rhs.traceContext.traceID && lhs.traceContext.spanID == rhs.traceContext.spanID
            && lhs.traceContext.flags == rhs.traceContext.flags && lhs.isRemote == rhs.isRemote
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(traceContext.traceID)
        hasher.combine(traceContext.spanID)
    }
}

/// What an `InstrumentationContext` holds for the active span: the ``StackSpan`` itself, or the identity
/// extracted from a `traceparent`. A class reference, so a context stores it inline: a `SpanContext` value
/// (wider than the three words an `any Sendable` holds inline) would be copied into a heap box for every
/// span started.
protocol SpanContextCarrier: AnyObject, Sendable {
    var spanContext: SpanContext { get }
}

/// A span context that arrived from elsewhere (a `traceparent`, or set by hand).
final class ExtractedSpanContext: SpanContextCarrier {
    let spanContext: SpanContext

    init(_ spanContext: SpanContext) {
        self.spanContext = spanContext
    }
}

enum SpanContextKey: InstrumentationContextKey {
    typealias Value = any SpanContextCarrier
    static var nameOverride: String? { "stack-span-context" }
}

extension InstrumentationContext {
    /// The span context stored by ``StackTracer``, if a span is active or a `traceparent` was extracted.
    public var spanContext: SpanContext? {
        get { self[SpanContextKey.self]?.spanContext }
        set { self[SpanContextKey.self] = newValue.map(ExtractedSpanContext.init) }
    }
}
#endif  // Telemetry
