/// A lookup in ``RecordedSpans`` that found no span, or more than one, where one was expected.
///
/// Its description names what was expected and draws the recorded spans as a tree.
public struct SpanExpectationError: Error, CustomStringConvertible, Sendable {
    /// What was expected and not found.
    public let expectation: String
    /// The recorded spans, drawn as ``RecordedSpans/tree``.
    public let recorded: String

    init(_ expectation: String, recorded spans: RecordedSpans) {
        self.expectation = expectation
        self.recorded = spans.tree
    }

    public var description: String {
        "\(expectation); recorded spans:\n\(recorded.isEmpty ? "(none)" : recorded)"
    }
}
