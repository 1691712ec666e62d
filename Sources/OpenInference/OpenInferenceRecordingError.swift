import Tracing

/// Why a value could not be recorded on a span as given.
///
/// Span helpers never throw these at the caller: they record a readable fallback and put the
/// diagnostic in ``SemanticConventions/Recording/issue``. ``OpenInferenceJSON/init(encoding:)`` throws them
/// for code that wants to handle the failure itself.
///
/// A struct over a private code, as async-http-client's errors are, so that new reasons can be added
/// without breaking code that handles these: compare with `==` against a case's factory, or read
/// ``code``.
public struct OpenInferenceRecordingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is, for code that handles one kind whatever its details.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The value's `Encodable` conformance threw while encoding to JSON.
        public static let notJSONEncodable = Code("notJSONEncodable")

        public var description: String { name }
    }

    /// The kind of failure.
    public let code: Code
    /// The Swift type of the value that could not be recorded.
    public let typeName: String
    /// What failed, in the words of the component that failed (for example `JSONEncoder`'s error).
    public let reason: String

    private init(code: Code, typeName: String, reason: String) {
        self.code = code
        self.typeName = typeName
        self.reason = reason
    }

    /// The value's `Encodable` conformance threw while encoding to JSON.
    public static func notJSONEncodable(typeName: String, reason: String) -> Self {
        Self(code: .notJSONEncodable, typeName: typeName, reason: reason)
    }

    public var description: String {
        switch code {
        case .notJSONEncodable:
            return "a value of type \(typeName) could not be encoded as JSON (\(reason)); "
                + "it was recorded as text instead. Make it encodable (for example replace NaN or infinite numbers) "
                + "to see it as JSON in Phoenix."
        default:
            return "a value of type \(typeName) could not be recorded (\(code): \(reason))"
        }
    }
}
