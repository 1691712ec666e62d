import Tracing

/// Collects the attributes of one recording step, applying the span's ``TraceConfig`` to each,
/// so masking and truncation happen in one place whatever the caller records.
public struct AttributeWriter {
    /// The attributes collected so far, already masked, in the order they were set (a later
    /// value for the same key wins when they are applied).
    public private(set) var pairs: [(key: String, value: SpanAttribute)] = []
    /// The configuration applied to each attribute.
    public let config: TraceConfig
    /// The `input.value` or `output.value` key whose last value was cut to the size limit, if any.
    private var cutValueKey: String?

    public init(config: TraceConfig) {
        self.config = config
        pairs.reserveCapacity(16)
    }

    /// Hands over the collected pairs and keeps none, so the caller holds the only reference to them.
    mutating func takePairs() -> [(key: String, value: SpanAttribute)] {
        var taken: [(key: String, value: SpanAttribute)] = []
        swap(&taken, &pairs)
        return taken
    }

    /// The collected attributes as a dictionary.
    public var attributes: SpanAttributes {
        var attributes = SpanAttributes()
        for pair in pairs { attributes.set(pair.key, value: pair.value) }
        return attributes
    }

    /// Records `value` under `key`, masked by ``config``; a `nil` value records nothing.
    public mutating func set(_ key: String, _ value: SpanAttribute?) {
        guard let value, let masked = config.mask(key, value) else { return }
        append(key, masked) { [config] in
            if case .string(let text) = value { config.cuts(text) } else { false }
        }
    }

    public mutating func set(_ key: String, _ value: String?) {
        // Most attributes are text: masked as text, without first wrapping it in a `SpanAttribute` that
        // masking would then take apart again (each such copy of the enum is a call, not a move).
        guard let value, let masked = config.mask(key, string: value) else { return }
        append(key, masked) { [config] in config.cuts(value) }
    }

    /// Appends a masked pair; `cuts` tells, for `input.value` and `output.value`, whether the size limit cut
    /// the value, so that the MIME type written next says text (a cut JSON document is no longer JSON).
    private mutating func append(_ key: String, _ masked: SpanAttribute, cuts: () -> Bool) {
        if key == SemanticConventions.Input.value || key == SemanticConventions.Output.value {
            if cuts() { cutValueKey = key }
        } else if let cutValueKey,
            (key == SemanticConventions.Input.mimeType && cutValueKey == SemanticConventions.Input.value)
                || (key == SemanticConventions.Output.mimeType && cutValueKey == SemanticConventions.Output.value)
        {
            pairs.append((key, .string("text/plain")))
            return
        }
        pairs.append((key, masked))
    }

    public mutating func set(_ key: String, _ value: Int?) {
        set(key, value.map { SpanAttribute.int64(Int64($0)) })
    }

    public mutating func set(_ key: String, _ value: Double?) {
        set(key, value.map(SpanAttribute.double))
    }

    /// Records messages flattened under `prefix` (`llm.input_messages` or `llm.output_messages`).
    public mutating func set(messages: [LLMMessage], under prefix: String) {
        // Each field is read in place (`messages[index].role`): taking a whole `LLMMessage` out of the
        // array copies all seven of its fields through a value-witness call.
        for index in messages.indices {
            let keys = FlattenedMessageKeys.of(prefix: prefix, index: index)
            let base = keys.base
            set(keys.role, messages[index].role)
            if let content = messages[index].content { set(keys.content, content) }
            if let name = messages[index].name { set(keys.name, name) }
            if let toolCallID = messages[index].toolCallID { set(keys.toolCallID, toolCallID) }
            if let call = messages[index].functionCall {
                set(keys.functionCallName, call.name)
                set(keys.functionCallArguments, call.arguments)
            }
            for (partIndex, part) in messages[index].contents.enumerated() {
                let partBase = base + AttributeKeys.messageContent(partIndex, "")
                switch part {
                case .text(let text):
                    set(partBase + SemanticConventions.MessageContent.type, "text")
                    set(partBase + SemanticConventions.MessageContent.text, text)
                case .image(let url):
                    set(partBase + SemanticConventions.MessageContent.type, "image")
                    set(
                        partBase + SemanticConventions.MessageContent.image + "." + SemanticConventions.Image.url,
                        url
                    )
                }
            }
            for (callIndex, call) in messages[index].toolCalls.enumerated() {
                set(base + AttributeKeys.toolCall(callIndex, SemanticConventions.ToolCall.id), call.id)
                set(base + AttributeKeys.toolCall(callIndex, SemanticConventions.ToolCall.functionName), call.name)
                set(
                    base + AttributeKeys.toolCall(callIndex, SemanticConventions.ToolCall.functionArguments),
                    call.arguments
                )
            }
        }
    }

    /// Records documents flattened under `prefix` (`retrieval.documents` or a reranker list).
    public mutating func set(documents: [RetrievalDocument], under prefix: String) {
        for (index, document) in documents.enumerated() {
            let base = "\(prefix).\(index)."
            set(base + SemanticConventions.Document.id, document.id)
            set(base + SemanticConventions.Document.content, document.content)
            set(base + SemanticConventions.Document.score, document.score)
            if !document.metadata.isEmpty {
                set(base + SemanticConventions.Document.metadata, OpenInferenceJSON.object(document.metadata).jsonString)
            }
        }
    }

    /// Records a JSON value as its compact text.
    public mutating func set(_ key: String, json value: OpenInferenceJSON?) {
        set(key, value?.jsonString)
    }
}
