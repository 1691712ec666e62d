import Tracing

/// The tracer in force inside ``withTracingSuppressed(_:)``: every span it starts is a no-op span carrying
/// its parent's context, so nothing is recorded or exported, while context propagation still goes
/// through the tracer that was in force before (an outgoing request keeps the caller's `traceparent`).
struct SuppressedTracer: Tracer {
    typealias Span = NoOpTracer.NoOpSpan

    /// The instrument that injects and extracts context, as it did outside the scope.
    let propagation: any Instrument

    func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> InstrumentationContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> NoOpTracer.NoOpSpan {
        NoOpTracer.NoOpSpan(context: context())
    }

    func activeSpan(identifiedBy context: InstrumentationContext) -> NoOpTracer.NoOpSpan? { nil }

    func forceFlush() {}

    func inject<Carrier, Inject>(_ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject)
    where Inject: Injector, Carrier == Inject.Carrier {
        propagation.inject(context, into: &carrier, using: injector)
    }

    func extract<Carrier, Extract>(_ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract)
    where Extract: Extractor, Carrier == Extract.Carrier {
        propagation.extract(carrier, into: &context, using: extractor)
    }
}

/// Runs `body` with tracing suppressed: no span started inside it, in this task or its child tasks, is
/// recorded or exported, whether the OpenInference helpers start it or any other code on
/// swift-distributed-tracing (an HTTP client's own spans, say). The Swift counterpart of the reference's
/// `suppress_tracing()`.
///
/// Spans started inside are no-op spans that carry their parent's context, so the trace id of the
/// enclosing span stays current (``TraceParent/current``) and outgoing requests still propagate it.
///
/// ```swift
/// // A health check's model call should not land in Phoenix.
/// let pong = try await withTracingSuppressed { try await client.chat(ping) }
/// ```
public nonisolated(nonsending) func withTracingSuppressed<T>(
    _ body: nonisolated(nonsending) () async throws -> T
) async rethrows -> T {
    let tracer = SuppressedTracer(propagation: InstrumentationSystem.instrument)
    return try await withTracer(tracer) { try await body() }
}
