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

    /// Parses `data` as JSON; throws what the parser said when it is not.
    ///
    /// With `JSONSerialization`, a hundred times faster than decoding through `Codable` (which tries each
    /// case in turn, throwing at each miss): a stream parses every event, so this is on its path.
    static func parse(_ data: Data) throws -> OpenInferenceJSON {
        OpenInferenceJSON(foundation: try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    /// The value `JSONSerialization` parsed, with booleans, integers and other numbers told apart by the
    /// `NSNumber`'s type (a boolean is a `c`, on every platform).
    private init(foundation value: Any) {
        switch value {
        case let text as String:
            self = .string(text)
        case let number as NSNumber:
            switch UInt8(bitPattern: number.objCType.pointee) {
            case UInt8(ascii: "c"), UInt8(ascii: "B"):
                self = .bool(number.boolValue)
            case UInt8(ascii: "d"), UInt8(ascii: "f"):
                self = .double(number.doubleValue)
            case UInt8(ascii: "Q") where number.uint64Value > UInt64(Int.max):
                self = .double(number.doubleValue)
            default:
                self = .int(number.intValue)
            }
        case let elements as [Any]:
            self = .array(elements.map(OpenInferenceJSON.init(foundation:)))
        case let members as [String: Any]:
            self = .object(members.mapValues(OpenInferenceJSON.init(foundation:)))
        default:
            self = .null
        }
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
