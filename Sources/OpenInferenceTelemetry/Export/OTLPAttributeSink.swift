#if Telemetry
import OpenInference
import Tracing

/// The ``SpanAttributeSink`` of a ``StackSpan``: each attribute is encoded as an OTLP `KeyValue` (field 9 of
/// `Span`) the moment it is written, so recording builds no dictionary and keeps no strings alive.
struct OTLPAttributeSink: SpanAttributeSink {
    var writer: ProtobufWriter
    /// String values are cut to this many UTF-8 bytes (`OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`; `Int.max` for none).
    var valueLengthLimit: Int

    mutating func append(_ key: String, string value: String) {
        writer.stringKeyValue(9, key: key, value: value, valueLengthLimit: valueLengthLimit)
    }

    /// Writes the JSON text straight into the buffer (no string built), as a string `AnyValue`; rolled back
    /// when it turns out longer than `maxLength` or the value length limit.
    mutating func append(_ key: String, json value: OpenInferenceJSON, maxLength: Int) -> Bool {
        let start = writer.count
        var textLength = 0
        writer.message(9) { keyValue in
            keyValue.string(1, key)
            keyValue.message(2) { anyValue in
                anyValue.message(1) { text in  // AnyValue.string_value
                    let textStart = text.count
                    value.appendJSON(to: &text.bytes)
                    textLength = text.count - textStart
                }
            }
        }
        guard textLength > min(maxLength, valueLengthLimit) else { return true }
        writer.bytes.removeSubrange(start...)
        return false
    }

    mutating func append(_ key: String, _ value: SpanAttribute) {
        if case .string(let text) = value {
            append(key, string: text)
            return
        }
        OTLPAttributeWriter(valueLengthLimit: valueLengthLimit == .max ? nil : valueLengthLimit)
            .keyValue(key, value, field: 9, into: &writer)
    }
}
#endif  // Telemetry
