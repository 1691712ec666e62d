import OpenInference

/// Derives the JSON schema of a `Decodable` type by decoding it once with a recording decoder:
/// every `decode` the type's `init(from:)` performs names a property and its type, and
/// `decodeIfPresent` marks it optional. So a tool's arguments are declared once, as a Swift type.
///
/// Works for synthesized conformances and hand-written ones that decode keyed containers, nested
/// `Decodable` values and arrays. Enums backed by strings or numbers appear as `string`/`number`.
enum JSONSchemaDeriver {
    static func schema<T: Decodable>(for type: T.Type, descriptions: [String: String] = [:]) -> OpenInferenceJSON {
        let recorder = SchemaRecorder()
        _ = try? T(from: recorder)
        var schema = recorder.root.schema
        if case .object(var object) = schema, case .object(var properties)? = object["properties"], !descriptions.isEmpty {
            for (name, description) in descriptions {
                if case .object(var property)? = properties[name] {
                    property["description"] = .string(description)
                    properties[name] = .object(property)
                }
            }
            object["properties"] = .object(properties)
            schema = .object(object)
        }
        return schema
    }
}

/// What one decoding position turned out to be.
private final class SchemaNode {
    var kind: Kind = .unknown
    var properties: [(String, SchemaNode, required: Bool)] = []
    var items: SchemaNode?

    enum Kind { case unknown, object, array, string, integer, number, boolean }

    var schema: OpenInferenceJSON {
        switch kind {
        case .object, .unknown:
            var object: [String: OpenInferenceJSON] = ["type": "object"]
            object["properties"] = .object(Dictionary(properties.map { ($0.0, $0.1.schema) }, uniquingKeysWith: { a, _ in a }))
            let required = properties.filter(\.required).map { OpenInferenceJSON.string($0.0) }
            if !required.isEmpty { object["required"] = .array(required) }
            return .object(object)
        case .array: return ["type": "array", "items": items?.schema ?? ["type": "string"]]
        case .string: return ["type": "string"]
        case .integer: return ["type": "integer"]
        case .number: return ["type": "number"]
        case .boolean: return ["type": "boolean"]
        }
    }
}

private struct SchemaRecorder: Decoder {
    let node: SchemaNode
    var root: SchemaNode { node }
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(node: SchemaNode = SchemaNode()) {
        self.node = node
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        node.kind = .object
        return KeyedDecodingContainer(KeyedRecorder<Key>(node: node))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        node.kind = .array
        let items = SchemaNode()
        node.items = items
        return UnkeyedRecorder(items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleRecorder(node: node)
    }
}

/// Fills a node from a requested type and returns a placeholder value of it.
private func record<T: Decodable>(_ type: T.Type, into node: SchemaNode) throws -> T {
    switch type {
    case is String.Type:
        node.kind = .string
        return "" as! T
    case is Bool.Type:
        node.kind = .boolean
        return false as! T
    case is Int.Type:
        node.kind = .integer
        return 0 as! T
    case is Int64.Type:
        node.kind = .integer
        return Int64(0) as! T
    case is Int32.Type:
        node.kind = .integer
        return Int32(0) as! T
    case is UInt.Type:
        node.kind = .integer
        return UInt(0) as! T
    case is Double.Type:
        node.kind = .number
        return 0.0 as! T
    case is Float.Type:
        node.kind = .number
        return Float(0) as! T
    default: return try T(from: SchemaRecorder(node: node))
    }
}

private struct KeyedRecorder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let node: SchemaNode
    var codingPath: [any CodingKey] = []
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }

    private func child(_ key: Key, required: Bool) -> SchemaNode {
        let child = SchemaNode()
        node.properties.append((key.stringValue, child, required))
        return child
    }

    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try record(type, into: child(key, required: true))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try record(type, into: child(key, required: false))
    }

    // The standard library routes optional scalars through these overloads, not the generic one.
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try record(type, into: child(key, required: false)) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try record(type, into: child(key, required: false)) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try record(type, into: child(key, required: false)) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try record(type, into: child(key, required: false)) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try record(type, into: child(key, required: false)) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try record(type, into: child(key, required: false)) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try record(type, into: child(key, required: false)) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try record(type, into: child(key, required: false)) }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let child = child(key, required: true)
        child.kind = .object
        return KeyedDecodingContainer(KeyedRecorder<NestedKey>(node: child))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let child = child(key, required: true)
        child.kind = .array
        let items = SchemaNode()
        child.items = items
        return UnkeyedRecorder(items: items)
    }

    func superDecoder() throws -> any Decoder { SchemaRecorder(node: node) }
    func superDecoder(forKey key: Key) throws -> any Decoder { SchemaRecorder(node: child(key, required: true)) }
}

/// Reports exactly one element, so an array's item type is recorded once.
private struct UnkeyedRecorder: UnkeyedDecodingContainer {
    let items: SchemaNode
    var codingPath: [any CodingKey] = []
    var count: Int? { 1 }
    var isAtEnd: Bool { currentIndex >= 1 }
    var currentIndex = 0

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        currentIndex += 1
        return try record(type, into: items)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        items.kind = .object
        return KeyedDecodingContainer(KeyedRecorder<NestedKey>(node: items))
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        items.kind = .array
        let inner = SchemaNode()
        items.items = inner
        return UnkeyedRecorder(items: inner)
    }
    mutating func superDecoder() throws -> any Decoder { SchemaRecorder(node: items) }
}

private struct SingleRecorder: SingleValueDecodingContainer {
    let node: SchemaNode
    var codingPath: [any CodingKey] = []
    func decodeNil() -> Bool { false }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try record(type, into: node) }
}
