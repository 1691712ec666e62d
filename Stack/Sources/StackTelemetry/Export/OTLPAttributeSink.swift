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

    mutating func append(_ key: String, _ value: SpanAttribute) {
        if case .string(let text) = value {
            append(key, string: text)
            return
        }
        OTLPAttributeWriter(valueLengthLimit: valueLengthLimit == .max ? nil : valueLengthLimit)
            .keyValue(key, value, field: 9, into: &writer)
    }
}
