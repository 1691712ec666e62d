import Foundation
import OpenInference

/// One chat-completion request in the OpenAI shape.
public struct ChatRequest: Sendable, Hashable {
    public var messages: [LLMMessage]
    /// Overrides the client's default model.
    public var model: String?
    public var temperature: Double?
    public var maxTokens: Int?
    /// Tools the model may call.
    public var tools: [LLMToolDefinition]
    /// `auto`, `none`, `required`, or a function name to force.
    public var toolChoice: ToolChoice?
    /// Any other body fields (`top_p`, `seed`, `response_format`, …), sent as given.
    public var extraParameters: [String: OpenInferenceJSON]

    public enum ToolChoice: Sendable, Hashable {
        case auto
        case none
        case required
        case function(String)
    }

    public init(
        messages: [LLMMessage],
        model: String? = nil,
        temperature: Double? = nil,
        maxTokens: Int? = nil,
        tools: [LLMToolDefinition] = [],
        toolChoice: ToolChoice? = nil,
        extraParameters: [String: OpenInferenceJSON] = [:]
    ) {
        self.messages = messages
        self.model = model
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.tools = tools
        self.toolChoice = toolChoice
        self.extraParameters = extraParameters
    }

    /// The body for `POST /chat/completions`, encoded once (the text sent, and recorded as `input.value`),
    /// and the span's invocation parameters: the body without its messages, tools and functions, as the
    /// reference instrumentation records them (so the model and streaming options stay). The parameters
    /// come from encoding the request without its messages and tools, so the conversation is never
    /// parsed back.
    func body(model: String, stream: Bool) -> (text: String, parameters: OpenInferenceJSON) {
        let wire = wire(model: model, stream: stream)
        // Encoding these types cannot fail: every field is a string, number, bool or JSON value.
        let data = (try? OpenAIWire.encoder().encode(wire)) ?? Data("{}".utf8)
        var settings = wire
        settings.messages = []
        settings.tools = nil
        let fields: [String: OpenInferenceJSON]
        if let encoded = try? OpenAIWire.encoder().encode(settings),
            case .object(let decoded)? = try? JSONDecoder().decode(OpenInferenceJSON.self, from: encoded)
        {
            fields = decoded
        } else {
            fields = [:]
        }
        return (String(decoding: data, as: UTF8.self), .object(fields.filter { key, _ in !Self.conversationKeys.contains(key) }))
    }

    /// The body fields that carry the conversation rather than settings.
    static let conversationKeys: Set<String> = ["messages", "tools", "functions"]

    /// Whether a message has an image part, whose URL the recorded body may have to hide.
    var hasImages: Bool {
        messages.contains { message in
            message.contents.contains { if case .image = $0 { true } else { false } }
        }
    }

    /// The request body as the span records it in `input.value` when it differs from `body`: image URLs
    /// that the trace configuration hides (all of them with `OPENINFERENCE_HIDE_INPUT_IMAGES`, long base64
    /// ones always) are replaced by `__REDACTED__`, as the reference instrumentation does to the body it
    /// records. `nil` when nothing needs hiding.
    static func bodyWithImagesHidden(_ body: [String: OpenInferenceJSON], config: TraceConfig) -> [String: OpenInferenceJSON]? {
        guard case .array(let messages)? = body["messages"] else { return nil }
        var changed = false
        let redacted = messages.map { message -> OpenInferenceJSON in
            guard case .object(var fields) = message, case .array(let parts)? = fields["content"] else { return message }
            fields["content"] = .array(
                parts.map { part in
                    guard case .object(var partFields) = part, case .object(var image)? = partFields["image_url"],
                        case .string(let url)? = image["url"], config.hidesImageURL(url)
                    else { return part }
                    changed = true
                    image["url"] = .string(TraceConfig.redacted)
                    partFields["image_url"] = .object(image)
                    return .object(partFields)
                }
            )
            return .object(fields)
        }
        guard changed else { return nil }
        var copy = body
        copy["messages"] = .array(redacted)
        return copy
    }
}

/// The model's answer to a ``ChatRequest``.
public struct ChatResponse: Sendable, Hashable {
    /// The assistant message: text, tool calls, or both.
    public var message: LLMMessage
    /// `stop`, `length`, `tool_calls`, … as the server reported it.
    public var finishReason: String?
    public var usage: TokenUsage?
    /// The model that answered, as the server names it.
    public var model: String?
}
