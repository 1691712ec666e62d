import Synchronization
import Tracing

/// The spans the OpenInference helpers started inside one ``withSpanContextCapture(_:)`` scope, in the
/// order they started: the Swift counterpart of the reference's `capture_span_context()`, used to find the
/// span to annotate afterwards (user feedback on an answer, an evaluation of a run).
///
/// ```swift
/// let answer = try await withSpanContextCapture { capture in
///     let answer = try await agent.run(goal)
///     feedbackDesk.remember(spanID: capture.firstSpanID, for: answer.id)   // the agent's root span
///     return answer
/// }
/// ```
public final class SpanContextCapture: Sendable {
    /// One captured span.
    public struct Entry: Sendable {
        /// The span's context, as its tracer made it.
        public let context: InstrumentationContext
        /// The span's W3C identity, when the tracer in force propagates W3C trace context.
        public let traceParent: TraceParent?
    }

    private let entries = Mutex<[Entry]>([])

    /// The capture spans started now are added to, if any (the innermost scope's).
    @TaskLocal static var current: SpanContextCapture?

    init() {}

    /// Every captured span, in the order they started.
    public var spans: [Entry] { entries.withLock { $0 } }

    /// The span id (16 hexadecimal characters) of the first span started in the scope; `nil` when none was,
    /// or its tracer does not propagate W3C trace context.
    public var firstSpanID: String? { entries.withLock { $0.first?.traceParent?.spanID } }

    /// The span id of the last span started in the scope; see ``firstSpanID``.
    public var lastSpanID: String? { entries.withLock { $0.last?.traceParent?.spanID } }

    /// Adds a span that has just started.
    func add(_ context: InstrumentationContext) {
        let entry = Entry(context: context, traceParent: TraceParent.of(context))
        entries.withLock { $0.append(entry) }
    }
}

/// Runs `body` with a ``SpanContextCapture`` that records every span the OpenInference helpers start
/// inside it, in this task and its child tasks, and hands it to `body`. An inner scope captures its spans
/// for itself only. The capture keeps its spans after the scope ends.
public nonisolated(nonsending) func withSpanContextCapture<T>(
    _ body: nonisolated(nonsending) (SpanContextCapture) async throws -> T
) async rethrows -> T {
    let capture = SpanContextCapture()
    return try await SpanContextCapture.$current.withValue(capture) { try await body(capture) }
}
