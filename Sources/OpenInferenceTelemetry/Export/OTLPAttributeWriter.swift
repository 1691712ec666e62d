#if Telemetry
import Tracing

/// Writes OTLP `KeyValue` and `AnyValue` messages (`common/v1/common.proto`), shared by the trace,
/// metric and log encoders.
struct OTLPAttributeWriter {
    /// String values longer than this many UTF-8 bytes are cut at a character boundary.
    var valueLengthLimit: Int?

    /// A `KeyValue` (key = 1, value = 2) as field `field` of the enclosing message.
    func keyValue(_ key: String, _ value: SpanAttribute, field: UInt32, into writer: inout ProtobufWriter) {
        writer.message(field) { keyValue in
            keyValue.string(1, key)
            keyValue.message(2) { anyValue(value, into: &$0) }
        }
    }

    /// Every attribute of `attributes` as repeated `KeyValue` field `field`.
    func keyValues(_ attributes: SpanAttributes, field: UInt32, into writer: inout ProtobufWriter) {
        attributes.forEach { key, value in keyValue(key, value, field: field, into: &writer) }
    }

    // AnyValue: 1 string, 2 bool, 3 int, 4 double, 5 array (ArrayValue.values = 1).
    func anyValue(_ value: SpanAttribute, into writer: inout ProtobufWriter) {
        switch value {
        case .string(let string): writer.string(1, truncated(string))
        case .bool(let bool): writer.bool(2, bool)
        case .int32(let int): writer.int64(3, Int64(int))
        case .int64(let int): writer.int64(3, int)
        case .double(let double): writer.double(4, double)
        case .stringArray(let strings):
            writer.message(5) { array in for string in strings { array.message(1) { $0.string(1, truncated(string)) } } }
        case .boolArray(let bools):
            writer.message(5) { array in for bool in bools { array.message(1) { $0.bool(2, bool) } } }
        case .int32Array(let ints):
            writer.message(5) { array in for int in ints { array.message(1) { $0.int64(3, Int64(int)) } } }
        case .int64Array(let ints):
            writer.message(5) { array in for int in ints { array.message(1) { $0.int64(3, int) } } }
        case .doubleArray(let doubles):
            writer.message(5) { array in for double in doubles { array.message(1) { $0.double(4, double) } } }
        case .stringConvertible(let convertible):
            writer.string(1, truncated(convertible.description))
        case .stringConvertibleArray(let convertibles):
            writer.message(5) { array in
                for convertible in convertibles { array.message(1) { $0.string(1, truncated(convertible.description)) } }
            }
        default:
            writer.string(1, truncated("\(value)"))
        }
    }

    func truncated(_ string: String) -> String {
        guard let limit = valueLengthLimit, string.utf8.count > limit else { return string }
        var end = string.utf8.index(string.utf8.startIndex, offsetBy: limit)
        while end > string.utf8.startIndex, UTF8.isContinuation(string.utf8[end]) {
            end = string.utf8.index(before: end)
        }
        return String(string[..<end])
    }
}
#endif  // Telemetry
