import Foundation

/// OpenAI Responses, `POST …/responses`, plain or streamed.
///
/// Records what `openinference-instrumentation-openai` records for `Response`: `instructions` as a `system`
/// input message, a string `input` as a `user` message, input items (`function_call` as an assistant's tool
/// call, `function_call_output` as a `tool` message with `message.tool_call_id`, `reasoning` as a reasoning
/// part), the body without `input`, `instructions` and `tools` as invocation parameters, the tools (those
/// the response echoes, when it does); each output item
/// as an output message (`reasoning` items as `reasoning` parts with their `encrypted_content`), and
/// `usage` with its reasoning and cached-token details. A stream is recorded from its `response.completed`
/// (or `response.incomplete`, `response.failed`) event, or from the items and text deltas that arrived.
struct OpenAIResponsesAPI: WireAPI {
    private var stream = ResponsesStream()

    init?(method: String, url: URL) {
        guard method.uppercased() == "POST", url.path.hasSuffix("/responses") else { return nil }
    }

    var spanName: String { "Response" }
    var system: String? { "openai" }

    func readRequest(_ body: [String: OpenInferenceJSON]) -> WireRequestRecord {
        var record = WireRequestRecord()
        record.model = body["model"]?.stringValue
        record.parameters = .object(body.removing(["input", "instructions", "tools"]))
        record.tools = body["tools"]?.arrayValue ?? []
        if let instructions = body["instructions"]?.stringValue { record.messages.append(.system(instructions)) }
        switch body["input"] {
        case .string(let text)?:
            record.messages.append(.user(text))
        case .array(let items)?:
            for item in items {
                if let message = Self.message(item, isInput: true) {
                    record.messages.append(message)
                } else {
                    record.notes.append("an input item of type \(item["type"]?.stringValue ?? "unknown") was not recorded")
                }
            }
        default:
            break
        }
        return record
    }

    func readResponse(_ body: [String: OpenInferenceJSON]) -> WireResponseRecord {
        var record = WireResponseRecord()
        record.model = body["model"]?.stringValue
        record.tools = body["tools"]?.arrayValue ?? []
        for item in body["output"]?.arrayValue ?? [] {
            if let message = Self.message(item, isInput: false) {
                record.messages.append(message)
            } else {
                record.notes.append("an output item of type \(item["type"]?.stringValue ?? "unknown") was not recorded")
            }
        }
        if let usage = body["usage"], usage != .null {
            record.usage = TokenUsage(
                prompt: usage["input_tokens"]?.intValue,
                completion: usage["output_tokens"]?.intValue,
                total: usage["total_tokens"]?.intValue,
                promptCacheRead: usage["input_tokens_details"]?["cached_tokens"]?.intValue,
                promptCacheWrite: usage["input_tokens_details"]?["cache_write_tokens"]?.intValue,
                completionReasoning: usage["output_tokens_details"]?["reasoning_tokens"]?.intValue
            )
        }
        return record
    }

    mutating func readStreamEvent(_ event: [String: OpenInferenceJSON]) -> Bool {
        stream.add(event)
    }

    func streamIsComplete(sawDone: Bool) -> Bool { stream.isComplete }

    var streamFailure: String? { stream.failure }

    var streamedResponse: [String: OpenInferenceJSON]? { stream.merged }

    /// The message an input or output item stands for, or `nil` for an item of a kind not recorded.
    static func message(_ item: OpenInferenceJSON, isInput: Bool) -> LLMMessage? {
        switch item["type"]?.stringValue {
        case nil, "message":
            guard let role = item["role"]?.stringValue else { return nil }
            var message = LLMMessage(role: role)
            switch item["content"] {
            case .string(let text)?: message.content = text
            case .array(let parts)?: message.contents = parts.compactMap(Self.part)
            default: break
            }
            return message
        case "function_call":
            let call = LLMToolCall(
                id: item["call_id"]?.stringValue,
                name: item["name"]?.stringValue ?? "",
                arguments: item["arguments"]?.textOrJSON ?? ""
            )
            return .assistant(nil, toolCalls: [call])
        case "function_call_output" where isInput:
            return .init(role: "tool", content: item["output"].map(\.textOrJSON), toolCallID: item["call_id"]?.stringValue)
        case "reasoning":
            let summary = (item["summary"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
            var message = LLMMessage(role: "assistant")
            message.contents = [
                .reasoning(
                    text: summary.isEmpty ? nil : summary.joined(separator: "\n"),
                    encryptedContent: item["encrypted_content"]?.stringValue
                )
            ]
            return message
        default:
            return nil
        }
    }

    /// One part of a message's content: text (input, output or a refusal) or an image.
    private static func part(_ json: OpenInferenceJSON) -> LLMMessageContent? {
        switch json["type"]?.stringValue {
        case "input_text", "output_text": json["text"]?.stringValue.map(LLMMessageContent.text)
        case "refusal": json["refusal"]?.stringValue.map(LLMMessageContent.text)
        case "input_image": json["image_url"]?.stringValue.map { .image(url: $0) }
        default: nil
        }
    }
}
