import Foundation
import Tracing

/// A JSON value: what OpenInference stores as JSON strings (invocation parameters, metadata,
/// prompt-template variables, tool schemas).
///
/// Building one is cheap and total; encoding it never fails, because every case is representable
/// in JSON (non-finite numbers are encoded as `null`, as JavaScript's `JSON.stringify` does).
///
/// ```swift
/// let parameters: OpenInferenceJSON = ["temperature": 0.2, "max_tokens": 256]
/// ```
public enum OpenInferenceJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([OpenInferenceJSON])
    case object([String: OpenInferenceJSON])

    /// The text of a `.string`, otherwise `nil`.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The number of an `.int` or `.double`, otherwise `nil`.
    public var doubleValue: Double? {
        switch self {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    /// The number of an `.int`, or of a `.double` with no fraction, otherwise `nil`.
    public var intValue: Int? {
        switch self {
        case .int(let number): number
        case .double(let number) where number.rounded() == number && abs(number) < 9e15: Int(number)
        default: nil
        }
    }

    /// The compact JSON text of this value, with object keys sorted so equal values give equal text.
    public var jsonString: String {
        var output = ""
        // One allocation for the usual small value (invocation parameters, metadata), rather than one per
        // doubling of a string grown from empty.
        output.reserveCapacity(128)
        write(to: &output)
        return output
    }

    /// Appends the UTF-8 bytes of ``jsonString`` to `bytes`, without building the string.
    public func appendJSON(to bytes: inout [UInt8]) {
        write(to: &bytes)
    }

    private func write(to output: inout some JSONTextOutput) {
        switch self {
        case .null:
            output.append("null")
        case .bool(let value):
            output.append(value ? "true" : "false")
        case .int(let value):
            output.append(value.description)
        case .double(let value):
            if value.isFinite {
                if value == value.rounded(), abs(value) < 1e15 {
                    output.append(Int64(value).description)
                } else {
                    output.append(value.description)
                }
            } else {
                output.append("null")
            }
        case .string(let value):
            OpenInferenceJSON.writeEscaped(value, to: &output)
        case .array(let values):
            output.append("[")
            for index in values.indices {
                if index > 0 { output.append(",") }
                values[index].write(to: &output)
            }
            output.append("]")
        case .object(let members):
            output.append("{")
            Self.withSortedMembers(of: members) { sorted in
                for index in sorted.indices {
                    if index > 0 { output.append(",") }
                    OpenInferenceJSON.writeEscaped(sorted[index].key, to: &output)
                    output.append(":")
                    sorted[index].value.write(to: &output)
                }
            }
            output.append("}")
        }
    }

    /// Runs `body` with the members of `members` sorted by key, in a buffer on the stack when there are few.
    private static func withSortedMembers(
        of members: [String: OpenInferenceJSON],
        _ body: (UnsafeMutableBufferPointer<(key: String, value: OpenInferenceJSON)>) -> Void
    ) {
        withUnsafeTemporaryAllocation(of: (key: String, value: OpenInferenceJSON).self, capacity: members.count) { buffer in
            var count = 0
            for member in members {
                (buffer.baseAddress! + count).initialize(to: member)
                count += 1
            }
            var sorted = UnsafeMutableBufferPointer(rebasing: buffer[..<count])
            // By UTF-8 bytes, which is code point order (what Python's `sort_keys` gives), and much cheaper
            // than `String`'s Unicode-aware comparison.
            sorted.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            body(sorted)
            sorted.deinitialize()
        }
    }

    static func writeEscaped(_ string: String, to output: inout some JSONTextOutput) {
        output.append("\"")
        // Most text needs no escaping: appended whole.
        if !string.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            output.append(string)
            output.append("\"")
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default:
                output.append(String(scalar))
            }
        }
        output.append("\"")
    }
}

/// Where ``OpenInferenceJSON`` writes its text: a `String`, or UTF-8 bytes.
protocol JSONTextOutput {
    mutating func append(_ text: String)
}

extension String: JSONTextOutput {}

extension Array: JSONTextOutput where Element == UInt8 {
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }
}

extension OpenInferenceJSON {
    /// Encodes any `Encodable` value into a ``OpenInferenceJSON``.
    ///
    /// - Throws: ``OpenInferenceRecordingError/notJSONEncodable(typeName:reason:)`` when the value's
    ///   `Encodable` conformance throws (for example a `Double.nan` inside, or a custom `encode(to:)` that fails).
    public init(encoding value: some Encodable) throws(OpenInferenceRecordingError) {
        let data: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            data = try encoder.encode(value)
        } catch {
            throw .notJSONEncodable(typeName: String(reflecting: type(of: value)), reason: "\(error)")
        }
        do {
            self = try JSONDecoder().decode(OpenInferenceJSON.self, from: data)
        } catch {
            throw .notJSONEncodable(typeName: String(reflecting: type(of: value)), reason: "\(error)")
        }
    }
}

extension OpenInferenceJSON: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([OpenInferenceJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: OpenInferenceJSON].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value):
            if value.isFinite { try container.encode(value) } else { try container.encodeNil() }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension OpenInferenceJSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: OpenInferenceJSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, OpenInferenceJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
