import Foundation

/// OpenAI Chat Completions, `POST …/chat/completions`, plain or streamed, with tool calls and the legacy
/// `function_call`; any OpenAI-compatible server (Ollama, vLLM, llama.cpp's) answers the same shape.
///
/// Records what `openinference-instrumentation-openai` records for `ChatCompletion`: the request's messages,
/// `tools` as JSON schemas, and the body without `messages`, `tools` and `functions` as invocation
/// parameters; each choice's message, the first choice's `finish_reason`, and `usage`. A stream's chunks are
/// merged into one completion (`delta` becomes `message`), recorded as `output.value`.
struct OpenAIChatCompletionsAPI: WireAPI {
    private var stream = ChatStream()

    init?(method: String, url: URL) {
        guard method.uppercased() == "POST", url.path.hasSuffix("/chat/completions") else { return nil }
    }

    var spanName: String { "ChatCompletion" }
    var system: String? { "openai" }

    func readRequest(_ body: [String: OpenInferenceJSON]) -> WireRequestRecord {
        var record = WireRequestRecord()
        record.model = body["model"]?.stringValue
        record.messages = (body["messages"]?.arrayValue ?? []).map { Self.message($0, defaultRole: "user") }
        record.parameters = .object(body.removing(["messages", "tools", "functions"]))
        record.tools = body["tools"]?.arrayValue ?? []
        return record
    }

    func readResponse(_ body: [String: OpenInferenceJSON]) -> WireResponseRecord {
        var record = WireResponseRecord()
        record.model = body["model"]?.stringValue
        let choices = (body["choices"]?.arrayValue ?? []).enumerated().sorted { first, second in
            (first.element["index"]?.intValue ?? first.offset) < (second.element["index"]?.intValue ?? second.offset)
        }
        record.messages = choices.compactMap { $0.element["message"].map { Self.message($0, defaultRole: "assistant") } }
        record.finishReason = choices.first?.element["finish_reason"]?.stringValue
        record.usage = body["usage"].map(Self.usage)
        return record
    }

    mutating func readStreamEvent(_ event: [String: OpenInferenceJSON]) -> Bool {
        stream.add(event)
    }

    func streamIsComplete(sawDone: Bool) -> Bool { sawDone }

    var streamedResponse: [String: OpenInferenceJSON]? { stream.merged }

    /// One message of a request, or of a choice.
    static func message(_ json: OpenInferenceJSON, defaultRole: String) -> LLMMessage {
        var message = LLMMessage(role: json["role"]?.stringValue ?? defaultRole)
        // As openinference-instrumentation-openai reads it: an empty content, or text part, is none.
        switch json["content"] {
        case .string(let text)? where !text.isEmpty:
            message.content = text
        case .array(let parts)?:
            message.contents = parts.compactMap { part in
                switch part["type"]?.stringValue {
                case "text": part["text"]?.stringValue.flatMap { $0.isEmpty ? nil : LLMMessageContent.text($0) }
                case "image_url": part["image_url"]?["url"]?.stringValue.map { .image(url: $0) }
                default: nil
                }
            }
        default:
            break
        }
        message.name = json["name"]?.stringValue
        message.toolCallID = json["tool_call_id"]?.stringValue
        message.toolCalls = (json["tool_calls"]?.arrayValue ?? []).map { call in
            LLMToolCall(
                id: call["id"]?.stringValue,
                name: call["function"]?["name"]?.stringValue ?? "",
                arguments: call["function"]?["arguments"]?.textOrJSON ?? ""
            )
        }
        message.functionCall = json["function_call"].map { call in
            LLMToolCall(id: nil, name: call["name"]?.stringValue ?? "", arguments: call["arguments"]?.textOrJSON ?? "")
        }
        return message
    }

    /// OpenAI's `usage` (Chat Completions and Embeddings) as OpenInference counts it.
    static func usage(_ json: OpenInferenceJSON) -> TokenUsage {
        TokenUsage(
            prompt: json["prompt_tokens"]?.intValue,
            completion: json["completion_tokens"]?.intValue,
            total: json["total_tokens"]?.intValue,
            promptCacheRead: json["prompt_tokens_details"]?["cached_tokens"]?.intValue,
            promptCacheWrite: json["prompt_tokens_details"]?["cache_write_tokens"]?.intValue,
            completionReasoning: json["completion_tokens_details"]?["reasoning_tokens"]?.intValue,
            promptAudio: json["prompt_tokens_details"]?["audio_tokens"]?.intValue,
            completionAudio: json["completion_tokens_details"]?["audio_tokens"]?.intValue
        )
    }
}
