import Tracing

/// Where an ``AttributeWriter`` puts the attributes it has masked: a span's own storage, written in
/// order, with no dictionary in between.
///
/// A tracer whose span conforms to ``SpanAttributeBatchRecording`` hands the writer a sink over its span's
/// storage (``StackSpan`` in the Stack package encodes each attribute as OTLP protobuf as it arrives).
/// For any other tracer's span the helpers collect the pairs and set them through `Span.attributes`.
///
/// A sink receives each attribute once per call, already masked; when a key arrives a second time the later
/// value is the one the span keeps.
package protocol SpanAttributeSink {
    /// Appends one attribute.
    mutating func append(_ key: String, _ value: SpanAttribute)
    /// Appends a text attribute; the most common kind, so a sink can take it without the `SpanAttribute` enum.
    mutating func append(_ key: String, string value: String)
    /// Appends the compact JSON text of `value` as a text attribute, unless the text is longer than
    /// `maxLength` UTF-8 bytes: then it appends nothing and returns `false`, and the writer cuts the text.
    mutating func append(_ key: String, json value: OpenInferenceJSON, maxLength: Int) -> Bool
}

extension SpanAttributeSink {
    /// Appends a text attribute as `.string(value)`.
    package mutating func append(_ key: String, string value: String) {
        append(key, .string(value))
    }

    /// Appends `value.jsonString` when it is within `maxLength`.
    package mutating func append(_ key: String, json value: OpenInferenceJSON, maxLength: Int) -> Bool {
        let text = value.jsonString
        guard text.utf8.count <= maxLength else { return false }
        append(key, string: text)
        return true
    }
}

/// The sink of spans that have no storage of their own to write into: the pairs, in order.
struct AttributePairs: SpanAttributeSink {
    var pairs: [(key: String, value: SpanAttribute)] = []

    mutating func append(_ key: String, _ value: SpanAttribute) {
        pairs.append((key, value))
    }
}
