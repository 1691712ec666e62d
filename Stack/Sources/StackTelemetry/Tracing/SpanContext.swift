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

enum SpanContextKey: InstrumentationContextKey {
    typealias Value = SpanContext
    static var nameOverride: String? { "stack-span-context" }
}

extension InstrumentationContext {
    /// The span context stored by ``StackTracer``, if a span is active or a `traceparent` was extracted.
    public var spanContext: SpanContext? {
        get { self[SpanContextKey.self] }
        set { self[SpanContextKey.self] = newValue }
    }
}
