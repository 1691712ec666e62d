import Tracing

/// Collects the attributes of one recording step, applying the span's ``TraceConfig`` to each,
/// so masking and truncation happen in one place whatever the caller records.
public struct AttributeWriter {
    /// Where the masked attributes go, in the order they are set.
    private var sink: any SpanAttributeSink
    /// The configuration applied to each attribute.
    public let config: TraceConfig
    /// The `input.value` or `output.value` key whose last value was cut to the size limit, if any.
    private var cutValueKey: String?
    /// Whether anything has been written.
    public private(set) var isEmpty = true

    /// A writer that collects the pairs, for spans without storage of their own.
    public init(config: TraceConfig) {
        self.init(config: config, sink: AttributePairs())
    }

    /// A writer that appends each masked attribute to `sink` (a tracer's span storage; see
    /// ``SpanAttributeBatchRecording``). ``takeSink()`` gives it back when the step is done.
    package init(config: TraceConfig, sink: consuming some SpanAttributeSink) {
        self.config = config
        self.sink = sink
    }

    /// Hands the sink back, with everything written into it.
    package consuming func takeSink() -> any SpanAttributeSink {
        sink
    }

    /// Hands over the collected pairs of a writer made with ``init(config:)``.
    consuming func takePairs() -> [(key: String, value: SpanAttribute)] {
        (sink as? AttributePairs)?.pairs ?? []
    }

    /// Records `value` under `key`, masked by ``config``; a `nil` value records nothing.
    public mutating func set(_ key: String, _ value: SpanAttribute?) {
        guard let value, let masked = config.mask(key, value) else { return }
        if case .string(let text) = masked {
            // Text goes through the text path, so the cut and MIME-type rules below apply to it alike.
            if case .string(let original) = value { noteCut(key, original) }
            appendText(key, text)
            return
        }
        isEmpty = false
        sink.append(key, masked)
    }

    /// Records a text value under `key`, masked by ``config``; a `nil` value records nothing.
    public mutating func set(_ key: String, _ value: String?) {
        // Most attributes are text: masked as text, without first wrapping it in a `SpanAttribute` that
        // masking would then take apart again (each such copy of the enum is a call, not a move).
        guard let value, let masked = config.mask(key, string: value) else { return }
        noteCut(key, value)
        appendText(key, masked)
    }

    /// Remembers, for `input.value` and `output.value`, whether the size limit cut the value, so that the
    /// MIME type written next says text (a cut JSON document is no longer JSON).
    private mutating func noteCut(_ key: String, _ original: String) {
        guard key.utf8.count == 11 || key.utf8.count == 12 else { return }  // "input.value", "output.value"
        if key == SemanticConventions.Input.value || key == SemanticConventions.Output.value, config.cuts(original) {
            cutValueKey = key
        }
    }

    private mutating func appendText(_ key: String, _ text: String) {
        isEmpty = false
        if let cutValueKey,
            (key == SemanticConventions.Input.mimeType && cutValueKey == SemanticConventions.Input.value)
                || (key == SemanticConventions.Output.mimeType && cutValueKey == SemanticConventions.Output.value)
        {
            sink.append(key, string: "text/plain")
            return
        }
        sink.append(key, string: text)
    }

    public mutating func set(_ key: String, _ value: Int?) {
        set(key, value.map { SpanAttribute.int64(Int64($0)) })
    }

    public mutating func set(_ key: String, _ value: Double?) {
        set(key, value.map(SpanAttribute.double))
    }

    /// Records messages flattened under `prefix` (`llm.input_messages` or `llm.output_messages`).
    ///
    /// At most ``TraceConfig/maxRecordedMessages`` are recorded: beyond that, the first message (the
    /// system prompt, usually) and the latest ones, renumbered in order, with the count left out in
    /// ``SemanticConventions/Recording/droppedMessages`` and a note in ``SemanticConventions/Recording/issue``.
    public mutating func set(messages: [LLMMessage], under prefix: String) {
        let limit = max(1, config.maxRecordedMessages)
        guard messages.count <= limit else {
            let kept = [messages[0]] + messages.suffix(limit - 1)
            set(messages: kept, under: prefix)
            set(SemanticConventions.Recording.droppedMessages, messages.count - kept.count)
            set(
                SemanticConventions.Recording.issue,
                "\(prefix): recorded the first and the last \(limit - 1) of \(messages.count) messages (OPENINFERENCE_MAX_MESSAGES)"
            )
            return
        }
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
                set(part: part, at: base + AttributeKeys.messageContent(partIndex, ""))
            }
            for (callIndex, call) in messages[index].toolCalls.enumerated() {
                set(base + AttributeKeys.toolCall(callIndex, SemanticConventions.ToolCall.id), call.id)
                set(base + AttributeKeys.toolCall(callIndex, SemanticConventions.ToolCall.functionName), call.name)
                set(
                    base + AttributeKeys.toolCall(callIndex, SemanticConventions.ToolCall.functionArguments),
                    call.arguments
                )
                if let signature = call.reasoningSignature {
                    set(base + AttributeKeys.toolCall(callIndex, SemanticConventions.ToolCall.reasoningSignature), signature)
                }
            }
        }
    }

    /// Records one part of a message under `partBase` (`….message.contents.M.`).
    private mutating func set(part: LLMMessageContent, at partBase: String) {
        typealias C = SemanticConventions.MessageContent
        switch part {
        case .text(let text):
            set(partBase + C.type, "text")
            set(partBase + C.text, text)
        case .image(let url):
            set(partBase + C.type, "image")
            set(partBase + C.image + "." + SemanticConventions.Image.url, url)
        case .audio(let url, let mimeType, let transcript):
            set(partBase + C.type, "audio")
            let audio = partBase + C.audio + "."
            set(audio + SemanticConventions.Audio.url, url)
            set(audio + SemanticConventions.Audio.mimeType, mimeType)
            set(audio + SemanticConventions.Audio.transcript, transcript)
        case .video(let url):
            set(partBase + C.type, "video")
            set(partBase + C.video + "." + SemanticConventions.Video.url, url)
        case .document(let document):
            set(partBase + C.type, "document")
            set(document: document, at: partBase + C.document + ".")
        case .reasoning(let text, let id, let signature, let data, let encryptedContent):
            set(partBase + C.type, "reasoning")
            set(partBase + C.text, text)
            set(partBase + C.id, id)
            set(partBase + C.signature, signature)
            set(partBase + C.data, data)
            set(partBase + C.encryptedContent, encryptedContent)
        case .toolUse(let call):
            set(partBase + C.type, "tool_use")
            set(partBase + SemanticConventions.ToolCall.id, call.id)
            set(partBase + SemanticConventions.ToolCall.functionName, call.name)
            set(partBase + SemanticConventions.ToolCall.functionArguments, call.arguments)
        case .other(let type, let json):
            set(partBase + C.type, type)
            set(partBase + C.text, json)
        }
    }

    /// Records a document's `document.*` keys after `prefix` (which ends with a dot).
    mutating func set(document: LLMDocument, at prefix: String) {
        set(prefix + SemanticConventions.Document.id, document.id)
        set(prefix + SemanticConventions.Document.name, document.name)
        set(prefix + SemanticConventions.Document.mimeType, document.mimeType)
        set(prefix + SemanticConventions.Document.url, document.url)
        set(prefix + SemanticConventions.Document.content, document.content)
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
        guard let value else { return }
        // With nothing to hide, the sink may write the JSON text itself (a span encoding it in place builds
        // no string); it declines a text longer than the limit, which then takes the path that cuts it.
        if !config.hidesSomething, sink.append(key, json: value, maxLength: config.maxAttributeLength) {
            isEmpty = false
            return
        }
        set(key, value.jsonString)
    }
}
