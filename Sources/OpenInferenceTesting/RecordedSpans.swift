import Foundation
import InMemoryTracing
import OpenInference
import Tracing

/// The spans that a piece of code ended while it ran under ``recordSpans(config:_:)``, in the order
/// they ended, with lookups for the assertions of a test.
///
/// ```swift
/// @Test func answerIsTraced() async throws {
///     let spans = try await recordSpans { try await assistant.answer("What is SQLite?") }
///     let llm = try spans.only(kind: .llm)
///     #expect(llm.attribute(SemanticConventions.LLM.modelName) == "gpt-4o-mini")
///     #expect(try spans.parent(of: llm).openInferenceKind == .agent)
/// }
/// ```
///
/// Lookups that must find something throw ``SpanExpectationError``, whose description lists what was
/// recorded, so a failing test says what it saw.
public struct RecordedSpans: RandomAccessCollection, Sendable {
    /// Every ended span, in the order the spans ended.
    public let spans: [FinishedInMemorySpan]

    /// Wraps spans recorded by an `InMemoryTracer` of one's own.
    public init(_ spans: [FinishedInMemorySpan]) {
        self.spans = spans
    }

    public var startIndex: Int { spans.startIndex }
    public var endIndex: Int { spans.endIndex }
    public subscript(position: Int) -> FinishedInMemorySpan { spans[position] }

    /// The spans whose `openinference.span.kind` is `kind`.
    public func spans(kind: OpenInferenceSpanKind) -> [FinishedInMemorySpan] {
        spans.filter { $0.openInferenceKind == kind }
    }

    /// The one span of `kind`; throws when there is none or more than one.
    public func only(kind: OpenInferenceSpanKind) throws(SpanExpectationError) -> FinishedInMemorySpan {
        let matching = spans(kind: kind)
        guard matching.count == 1 else {
            throw SpanExpectationError("expected one \(kind.rawValue) span, found \(matching.count)", recorded: self)
        }
        return matching[0]
    }

    /// The one span named `operationName`; throws when there is none or more than one.
    public func only(named operationName: String) throws(SpanExpectationError) -> FinishedInMemorySpan {
        let matching = spans.filter { $0.operationName == operationName }
        guard matching.count == 1 else {
            throw SpanExpectationError("expected one span named \"\(operationName)\", found \(matching.count)", recorded: self)
        }
        return matching[0]
    }

    /// The spans without a parent among the recorded ones.
    public var roots: [FinishedInMemorySpan] {
        let ids = Set(spans.map(\.spanID))
        return spans.filter { span in span.parentSpanID.map { !ids.contains($0) } ?? true }
    }

    /// The direct children of `span`, in the order they ended.
    public func children(of span: FinishedInMemorySpan) -> [FinishedInMemorySpan] {
        spans.filter { $0.parentSpanID == span.spanID && $0.traceID == span.traceID }
    }

    /// The parent of `span`; throws when it has none among the recorded spans.
    public func parent(of span: FinishedInMemorySpan) throws(SpanExpectationError) -> FinishedInMemorySpan {
        guard let parentID = span.parentSpanID,
            let parent = spans.first(where: { $0.spanID == parentID && $0.traceID == span.traceID })
        else {
            throw SpanExpectationError("span \"\(span.operationName)\" has no recorded parent", recorded: self)
        }
        return parent
    }

    /// The recorded spans as an indented tree of `KIND name`, one line each: a readable picture for a
    /// failure message or a snapshot.
    public var tree: String {
        var lines: [String] = []
        func visit(_ span: FinishedInMemorySpan, depth: Int) {
            let kind = span.openInferenceKind?.rawValue ?? "-"
            lines.append(String(repeating: "  ", count: depth) + "\(kind) \(span.operationName)")
            for child in children(of: span) { visit(child, depth: depth + 1) }
        }
        for root in roots { visit(root, depth: 0) }
        return lines.joined(separator: "\n")
    }
}

/// Runs `body` under a fresh `InMemoryTracer` (and, when given, `config` as the `TraceConfig` in force)
/// and returns the spans it ended.
///
/// The tracer is scoped to `body` and its child tasks with swift-distributed-tracing's `withTracer`, so
/// tests running in parallel do not see each other's spans and nothing is bootstrapped globally.
public nonisolated(nonsending) func recordSpans(
    config: TraceConfig? = nil,
    _ body: nonisolated(nonsending) () async throws -> Void
) async rethrows -> RecordedSpans {
    let tracer = InMemoryTracer(recordInjections: false, recordExtractions: false)
    try await withTracer(tracer) {
        if let config {
            try await withTraceConfig(config, body)
        } else {
            try await body()
        }
    }
    return RecordedSpans(tracer.finishedSpans)
}
