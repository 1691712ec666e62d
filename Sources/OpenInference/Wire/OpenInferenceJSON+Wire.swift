import Foundation

// Reading provider bodies: the recorder parses each request and response into an `OpenInferenceJSON` tree
// and reads fields from it, so a field it does not know never stops it reading the ones it does.
extension OpenInferenceJSON {
    /// The members of an `.object`, otherwise `nil`.
    var objectValue: [String: OpenInferenceJSON]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements of an `.array`, otherwise `nil`.
    var arrayValue: [OpenInferenceJSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The value of a `.bool`, otherwise `nil`.
    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The member `key` of an `.object`, otherwise `nil`.
    subscript(key: String) -> OpenInferenceJSON? {
        objectValue?[key]
    }

    /// Parses `data` as JSON; throws what the parser said, and where, when it is not.
    ///
    /// Straight from the bytes (``WireJSONParser``): a stream parses every event, so this is on its path.
    static func parse(_ data: Data) throws(WireJSONParser.Failure) -> OpenInferenceJSON {
        try WireJSONParser.parse(data)
    }

    /// A string member as it is, any other value as its JSON text (how the reference records a tool result
    /// or arguments given as an object).
    var textOrJSON: String {
        stringValue ?? jsonString
    }
}

extension Dictionary where Key == String, Value == OpenInferenceJSON {
    /// The object without `keys`: the invocation parameters of a request are its body without the parts
    /// recorded under keys of their own.
    func removing(_ keys: Set<String>) -> [String: OpenInferenceJSON] {
        filter { !keys.contains($0.key) }
    }
}
