import Tracing

/// Why a value could not be recorded on a span as given.
///
/// Span helpers never throw these at the caller: they record a readable fallback and put the
/// diagnostic in ``SemanticConventions/Stack/recordingIssue``. ``OpenInferenceJSON/init(encoding:)`` throws them
/// for code that wants to handle the failure itself.
public enum OpenInferenceRecordingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The value's `Encodable` conformance threw while encoding to JSON.
    case notJSONEncodable(typeName: String, reason: String)

    public var description: String {
        switch self {
        case .notJSONEncodable(let typeName, let reason):
            return "a value of type \(typeName) could not be encoded as JSON (\(reason)); "
                + "it was recorded as text instead. Make it encodable (for example replace NaN or infinite numbers) "
                + "to see it as JSON in Phoenix."
        }
    }
}
