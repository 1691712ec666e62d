import Tracing

/// Runs `body` inside a new span of the given OpenInference kind, started on the task's tracer
/// (`InstrumentationSystem.tracer`, or the one set with `withTracer`).
///
/// The span is the current span for everything `body` does, so spans started inside it, in this task
/// or its child tasks, become its children without passing anything along. It carries
/// ``SemanticConventions/spanKind`` and the attributes of ``OpenInferenceContext/current``. When `body`
/// throws, the error is recorded as an `exception` event, the status becomes ERROR, and the error is
/// rethrown. The span ends when `body` returns or throws.
///
/// Use this for the kinds without a dedicated helper (GUARDRAIL, EVALUATOR, PROMPT, DECISION):
///
/// ```swift
/// let verdict = try await withOpenInferenceSpan("moderation", kind: .guardrail) { span in
///     span.recordInput(userText)
///     let verdict = try await moderator.check(userText)
///     span.recordOutput(verdict.label)
///     return verdict
/// }
/// ```
public nonisolated(nonsending) func withOpenInferenceSpan<T>(
    _ name: String,
    kind: OpenInferenceSpanKind,
    context: @autoclosure () -> InstrumentationContext = .current ?? .topLevel,
    ofKind spanKind: SpanKind = .internal,
    function: String = #function,
    file fileID: String = #fileID,
    line: UInt = #line,
    _ body: nonisolated(nonsending) (OpenInferenceSpan) async throws -> T
) async rethrows -> T {
    try await withKindSpan(
        name,
        kind: kind,
        context: context(),
        ofKind: spanKind,
        function: function,
        file: fileID,
        line: line,
        wrap: { $0 },
        start: { _ in },
        body
    )
}

/// The one place a helper starts, scopes and ends a span; the kind helpers only add their attributes.
///
/// When the task's tracer is swift-distributed-tracing's no-op (``OpenInferenceSpan/tracerIsNoOp``:
/// nothing bootstrapped, or `withTracer(NoOpTracer())`), `body` runs at once with a no-op span carrying
/// `context`, in the caller's context scope: no span is started, no configuration read, no attribute
/// staged and no context scope pushed, since that tracer records and injects nothing. Any other tracer,
/// suppression's included, takes the full path, unchanged.
nonisolated(nonsending) func withKindSpan<Wrapped, T>(
    _ name: String,
    kind: OpenInferenceSpanKind,
    context: @autoclosure () -> InstrumentationContext,
    ofKind spanKind: SpanKind,
    function: String,
    file fileID: String,
    line: UInt,
    wrap: (OpenInferenceSpan) -> Wrapped,
    start: (inout AttributeWriter) -> Void,
    _ body: nonisolated(nonsending) (Wrapped) async throws -> T
) async rethrows -> T {
    if OpenInferenceSpan.tracerIsNoOp {
        return try await body(wrap(OpenInferenceSpan(notRecordingIn: context())))
    }
    let base = OpenInferenceSpan.started(
        name, kind: kind, context: context(), ofKind: spanKind, function: function, file: fileID, line: line
    )
    defer { base.end() }
    base.start(kind: kind, start)
    do {
        let result = try await InstrumentationContext.$current.withValue(base.span.context) {
            try await body(wrap(base))
        }
        base.markSucceeded()
        return result
    } catch {
        base.recordError(error)
        throw error
    }
}
