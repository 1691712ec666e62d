import Foundation
import InMemoryTracing
import OpenInference
import Tracing

extension FinishedInMemorySpan {
    /// The span's `openinference.span.kind`, or `nil` when it has none or an unknown one.
    public var openInferenceKind: OpenInferenceSpanKind? {
        attribute(SemanticConventions.spanKind).flatMap(OpenInferenceSpanKind.init(rawValue:))
    }

    /// The string attribute `key`, or `nil` when it is absent or not a string.
    public func attribute(_ key: String) -> String? {
        if case .string(let value) = attributes.get(key) { return value }
        return nil
    }

    /// The integer attribute `key`, or `nil` when it is absent or not an integer.
    public func intAttribute(_ key: String) -> Int? {
        switch attributes.get(key) {
        case .int64(let value): Int(value)
        case .int32(let value): Int(value)
        default: nil
        }
    }

    /// The floating-point attribute `key`, or `nil` when it is absent or not a number.
    public func doubleAttribute(_ key: String) -> Double? {
        switch attributes.get(key) {
        case .double(let value): value
        case .int64(let value): Double(value)
        case .int32(let value): Double(value)
        default: nil
        }
    }

    /// The string-array attribute `key`, or `nil` when it is absent or not a string array.
    public func stringArrayAttribute(_ key: String) -> [String]? {
        if case .stringArray(let value) = attributes.get(key) { return value }
        return nil
    }

    /// The string attribute `key` parsed as JSON (for `llm.invocation_parameters`, `metadata`,
    /// a JSON `input.value`, …), so a test compares values rather than key order; `nil` when it is
    /// absent or not valid JSON.
    public func jsonAttribute(_ key: String) -> OpenInferenceJSON? {
        guard let text = attribute(key) else { return nil }
        return try? JSONDecoder().decode(OpenInferenceJSON.self, from: Data(text.utf8))
    }

    /// Whether the span has an event named `name` (for example `exception`).
    public func hasEvent(named name: String) -> Bool {
        events.contains { $0.name == name }
    }
}
