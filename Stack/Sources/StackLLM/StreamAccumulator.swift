import OpenInference

/// Accumulates streamed deltas into one assistant message.
struct StreamAccumulator {
    private(set) var content = ""
    private(set) var hasContent = false
    private var calls: [Int: (id: String?, name: String, arguments: String)] = [:]
    private(set) var finishReason: String?
    private(set) var usage: TokenUsage?
    private(set) var model: String?
    private var id: String?
    private var created: Int?

    /// Adds one chunk; returns the text it added, if any.
    mutating func add(_ chunk: OpenAIWire.ChatCompletion) -> String? {
        model = chunk.model ?? model
        id = chunk.id ?? id
        created = chunk.created ?? created
        if let usage = chunk.usage { self.usage = usage.tokenUsage }
        var added: String?
        for choice in chunk.choices ?? [] {
            if let reason = choice.finishReason { finishReason = reason }
            guard let delta = choice.delta else { continue }
            if case .text(let text)? = delta.content, !text.isEmpty {
                content += text
                hasContent = true
                added = (added ?? "") + text
            }
            for (position, call) in (delta.toolCalls ?? []).enumerated() {
                let index = call.index ?? position
                var current = calls[index] ?? (nil, "", "")
                if let id = call.id { current.id = id }
                if let name = call.function?.name { current.name += name }
                if let arguments = call.function?.arguments { current.arguments += arguments }
                calls[index] = current
            }
        }
        return added
    }

    var message: LLMMessage {
        let toolCalls = calls.keys.sorted().map { index in
            let call = calls[index]!
            return LLMToolCall(id: call.id, name: call.name, arguments: call.arguments)
        }
        return LLMMessage(role: "assistant", content: hasContent ? content : nil, toolCalls: toolCalls)
    }

    /// The streamed answer as one chat completion, the shape the reference instrumentation records as
    /// `output.value` for a stream: the chunks merged, `delta` renamed `message`.
    var completion: OpenAIWire.ChatCompletion {
        let toolCalls = message.toolCalls
        let merged = OpenAIWire.Message(
            role: "assistant",
            content: hasContent ? .text(content) : nil,
            toolCalls: toolCalls.isEmpty
                ? nil
                : toolCalls.enumerated().map { index, call in
                    .init(index: index, id: call.id, function: .init(name: call.name, arguments: call.arguments))
                }
        )
        return OpenAIWire.ChatCompletion(
            id: id,
            object: "chat.completion.chunk",
            created: created,
            model: model,
            choices: [.init(index: 0, message: merged, finishReason: finishReason)],
            usage: usage.map(OpenAIWire.Usage.init)
        )
    }
}
