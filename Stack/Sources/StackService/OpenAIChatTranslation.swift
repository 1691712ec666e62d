import Foundation
import OpenInference
import StackLLM

/// Reads OpenAI chat-completion requests into ``ChatRequest`` and writes ``ChatResponse`` back in
/// OpenAI's shape, so `POST /v1/chat/completions` is a traced pass-through any OpenAI SDK can call.
enum OpenAIChatTranslation {
    /// The request and whether the caller asked for a stream.
    static func request(from body: OpenInferenceJSON) throws(APIError) -> (request: ChatRequest, stream: Bool) {
        guard case .object(var fields) = body else { throw .badRequest("the request body should be a JSON object") }
        guard case .array(let rawMessages)? = fields.removeValue(forKey: "messages"), !rawMessages.isEmpty else {
            throw .badRequest("missing field 'messages': an array of {role, content} objects")
        }
        var messages: [LLMMessage] = []
        for (index, raw) in rawMessages.enumerated() {
            messages.append(try message(raw, at: index))
        }
        var request = ChatRequest(messages: messages)
        if let model = fields.removeValue(forKey: "model") {
            guard case .string(let name) = model else { throw .badRequest("field 'model' should be a string") }
            request.model = name
        }
        if let temperature = fields.removeValue(forKey: "temperature") {
            guard let value = number(temperature) else { throw .badRequest("field 'temperature' should be a number") }
            request.temperature = value
        }
        for key in ["max_tokens", "max_completion_tokens"] {
            guard let raw = fields.removeValue(forKey: key) else { continue }
            guard case .int(let value) = raw, value > 0 else { throw .badRequest("field '\(key)' should be a positive integer") }
            request.maxTokens = value
        }
        if let rawTools = fields.removeValue(forKey: "tools") {
            guard case .array(let tools) = rawTools else { throw .badRequest("field 'tools' should be an array") }
            request.tools = try tools.enumerated().map { index, tool throws(APIError) in try definition(tool, at: index) }
        }
        if let choice = fields.removeValue(forKey: "tool_choice") {
            request.toolChoice = try toolChoice(choice)
        }
        var stream = false
        if let raw = fields.removeValue(forKey: "stream") {
            guard case .bool(let value) = raw else { throw .badRequest("field 'stream' should be true or false") }
            stream = value
        }
        // The client asks for usage on streams itself; everything else goes through as given.
        fields.removeValue(forKey: "stream_options")
        request.extraParameters = fields
        return (request, stream)
    }

    private static func number(_ value: OpenInferenceJSON) -> Double? {
        switch value {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    private static func message(_ raw: OpenInferenceJSON, at index: Int) throws(APIError) -> LLMMessage {
        guard case .object(let fields) = raw else { throw .badRequest("messages[\(index)] should be an object") }
        guard case .string(let role)? = fields["role"] else { throw .badRequest("messages[\(index)].role should be a string") }
        var message = LLMMessage(role: role)
        switch fields["content"] {
        case .string(let text)?:
            message.content = text
        case .array(let parts)?:
            for part in parts {
                guard case .object(let part) = part else { continue }
                if case .string(let text)? = part["text"] {
                    message.contents.append(.text(text))
                } else if case .object(let image)? = part["image_url"], case .string(let url)? = image["url"] {
                    message.contents.append(.image(url: url))
                }
            }
        case nil, .null?:
            break
        default:
            throw .badRequest("messages[\(index)].content should be a string or an array of parts")
        }
        if case .string(let name)? = fields["name"] { message.name = name }
        if case .string(let id)? = fields["tool_call_id"] { message.toolCallID = id }
        if case .array(let calls)? = fields["tool_calls"] {
            for call in calls {
                guard case .object(let call) = call, case .object(let function)? = call["function"],
                    case .string(let name)? = function["name"]
                else { throw .badRequest("messages[\(index)].tool_calls entries need function.name") }
                var arguments = ""
                if case .string(let text)? = function["arguments"] { arguments = text }
                var id: String?
                if case .string(let value)? = call["id"] { id = value }
                message.toolCalls.append(LLMToolCall(id: id, name: name, arguments: arguments))
            }
        }
        return message
    }

    private static func definition(_ raw: OpenInferenceJSON, at index: Int) throws(APIError) -> LLMToolDefinition {
        guard case .object(let tool) = raw, case .object(let function)? = tool["function"],
            case .string(let name)? = function["name"]
        else { throw .badRequest("tools[\(index)] should be {type: function, function: {name, parameters}}") }
        var description = ""
        if case .string(let text)? = function["description"] { description = text }
        return LLMToolDefinition(name: name, description: description, parameters: function["parameters"] ?? .object([:]))
    }

    private static func toolChoice(_ raw: OpenInferenceJSON) throws(APIError) -> ChatRequest.ToolChoice {
        switch raw {
        case .string("auto"): return .auto
        case .string("none"): return .none
        case .string("required"): return .required
        case .object(let choice):
            if case .object(let function)? = choice["function"], case .string(let name)? = function["name"] { return .function(name) }
        default: break
        }
        throw .badRequest("field 'tool_choice' should be auto, none, required or {type: function, function: {name}}")
    }

    // MARK: - Responses

    static func completion(_ response: ChatResponse, id: String, model: String, created: Int) -> OpenInferenceJSON {
        var choice: [String: OpenInferenceJSON] = ["index": 0, "message": wire(response.message)]
        choice["finish_reason"] = response.finishReason.map(OpenInferenceJSON.string) ?? .null
        var body: [String: OpenInferenceJSON] = [
            "id": .string(id),
            "object": "chat.completion",
            "created": .int(created),
            "model": .string(response.model ?? model),
            "choices": [.object(choice)],
        ]
        if let usage = response.usage { body["usage"] = self.usage(usage) }
        return .object(body)
    }

    /// One `chat.completion.chunk` of a stream.
    static func chunk(id: String, model: String, created: Int, delta: [String: OpenInferenceJSON], finishReason: String?, usage: TokenUsage? = nil) -> OpenInferenceJSON {
        var body: [String: OpenInferenceJSON] = [
            "id": .string(id),
            "object": "chat.completion.chunk",
            "created": .int(created),
            "model": .string(model),
            "choices": delta.isEmpty && finishReason == nil
                ? []
                : [["index": 0, "delta": .object(delta), "finish_reason": finishReason.map(OpenInferenceJSON.string) ?? .null]],
        ]
        if let usage { body["usage"] = self.usage(usage) }
        return .object(body)
    }

    static func wire(_ message: LLMMessage) -> OpenInferenceJSON {
        var fields: [String: OpenInferenceJSON] = ["role": .string(message.role), "content": message.content.map(OpenInferenceJSON.string) ?? .null]
        if !message.toolCalls.isEmpty { fields["tool_calls"] = toolCalls(message.toolCalls) }
        return .object(fields)
    }

    static func toolCalls(_ calls: [LLMToolCall]) -> OpenInferenceJSON {
        .array(
            calls.enumerated().map { index, call in
                [
                    "index": .int(index),
                    "id": .string(call.id ?? "call_\(index)"),
                    "type": "function",
                    "function": ["name": .string(call.name), "arguments": .string(call.arguments)],
                ]
            }
        )
    }

    private static func usage(_ usage: TokenUsage) -> OpenInferenceJSON {
        [
            "prompt_tokens": .int(usage.prompt ?? 0),
            "completion_tokens": .int(usage.completion ?? 0),
            "total_tokens": .int(usage.total ?? (usage.prompt ?? 0) + (usage.completion ?? 0)),
        ]
    }
}
