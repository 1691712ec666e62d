import OpenInference

/// The parts of OpenAI's JSON answers this client reads. Unknown fields are ignored.
struct ChatCompletionBody: Decodable {
    struct Choice: Decodable {
        var message: WireMessage?
        var delta: WireMessage?
        var finish_reason: String?
    }
    var id: String?
    var created: Int?
    var model: String?
    var choices: [Choice]?
    var usage: WireUsage?
}

struct WireMessage: Decodable {
    struct WireToolCall: Decodable {
        struct Function: Decodable {
            var name: String?
            var arguments: String?
        }
        var index: Int?
        var id: String?
        var function: Function?
    }
    var role: String?
    var content: String?
    var tool_calls: [WireToolCall]?
    var function_call: WireToolCall.Function?
}

struct WireUsage: Decodable {
    struct PromptDetails: Decodable {
        var cached_tokens: Int?
        var cache_write_tokens: Int?
        var audio_tokens: Int?
    }
    struct CompletionDetails: Decodable {
        var reasoning_tokens: Int?
        var audio_tokens: Int?
    }
    var prompt_tokens: Int?
    var completion_tokens: Int?
    var total_tokens: Int?
    var prompt_tokens_details: PromptDetails?
    var completion_tokens_details: CompletionDetails?

    var tokenUsage: TokenUsage {
        TokenUsage(
            prompt: prompt_tokens,
            completion: completion_tokens,
            total: total_tokens,
            promptCacheRead: prompt_tokens_details?.cached_tokens,
            promptCacheWrite: prompt_tokens_details?.cache_write_tokens,
            completionReasoning: completion_tokens_details?.reasoning_tokens,
            promptAudio: prompt_tokens_details?.audio_tokens,
            completionAudio: completion_tokens_details?.audio_tokens
        )
    }
}

struct WireErrorBody: Decodable {
    struct Detail: Decodable { var message: String? }
    var error: Detail?
}

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
    mutating func add(_ chunk: ChatCompletionBody) -> String? {
        model = chunk.model ?? model
        id = chunk.id ?? id
        created = chunk.created ?? created
        if let usage = chunk.usage { self.usage = usage.tokenUsage }
        var added: String?
        for choice in chunk.choices ?? [] {
            if let reason = choice.finish_reason { finishReason = reason }
            guard let delta = choice.delta else { continue }
            if let text = delta.content, !text.isEmpty {
                content += text
                hasContent = true
                added = (added ?? "") + text
            }
            for (position, call) in (delta.tool_calls ?? []).enumerated() {
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
    func completionJSON(usage wire: TokenUsage?) -> OpenInferenceJSON {
        var message: [String: OpenInferenceJSON] = ["role": "assistant"]
        if hasContent { message["content"] = .string(content) }
        let toolCalls = self.message.toolCalls
        if !toolCalls.isEmpty {
            message["tool_calls"] = .array(
                toolCalls.enumerated().map { index, call in
                    [
                        "index": .int(index), "id": call.id.map(OpenInferenceJSON.string) ?? .null, "type": "function",
                        "function": ["name": .string(call.name), "arguments": .string(call.arguments)],
                    ]
                }
            )
        }
        var choice: [String: OpenInferenceJSON] = ["index": 0, "message": .object(message)]
        if let finishReason { choice["finish_reason"] = .string(finishReason) }
        var body: [String: OpenInferenceJSON] = ["object": "chat.completion.chunk", "choices": [.object(choice)]]
        if let id { body["id"] = .string(id) }
        if let created { body["created"] = .int(created) }
        if let model { body["model"] = .string(model) }
        if let usage = wire {
            var fields: [String: OpenInferenceJSON] = [:]
            if let prompt = usage.prompt { fields["prompt_tokens"] = .int(prompt) }
            if let completion = usage.completion { fields["completion_tokens"] = .int(completion) }
            if let total = usage.total { fields["total_tokens"] = .int(total) }
            body["usage"] = .object(fields)
        }
        return .object(body)
    }
}
