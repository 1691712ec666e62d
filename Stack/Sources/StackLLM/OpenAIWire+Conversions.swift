import Foundation
import OpenInference

extension OpenAIWire.Message {
    /// A request message for `message`. A message without text parts says `content: ""` rather than
    /// null: OpenAI accepts both for an assistant that only calls tools, llama.cpp's server only a string.
    public init(_ message: LLMMessage) {
        let content: OpenAIWire.Content
        if message.contents.isEmpty {
            content = .text(message.content ?? "")
        } else {
            // Chat Completions carries text and image parts; the other kinds have no part of their own there.
            content = .parts(
                message.contents.compactMap { part in
                    switch part {
                    case .text(let text): OpenAIWire.ContentPart(type: "text", text: text)
                    case .image(let url): OpenAIWire.ContentPart(type: "image_url", imageURL: .init(url: url))
                    case .audio, .video, .document, .reasoning, .toolUse, .other: nil
                    }
                }
            )
        }
        self.init(
            role: message.role,
            content: content,
            name: message.name,
            toolCallID: message.toolCallID,
            toolCalls: message.toolCalls.isEmpty
                ? nil
                : message.toolCalls.map { .init(id: $0.id ?? "", function: .init(name: $0.name, arguments: $0.arguments)) }
        )
    }
}

extension LLMMessage {
    /// The message a wire message carries; an absent role is `assistant` (as in an answer).
    public init(_ wire: OpenAIWire.Message) {
        var message = LLMMessage(role: wire.role ?? "assistant", name: wire.name, toolCallID: wire.toolCallID)
        switch wire.content {
        case .text(let text)?:
            message.content = text
        case .parts(let parts)?:
            message.contents = parts.compactMap { part in
                if let url = part.imageURL?.url { return .image(url: url) }
                return part.text.map(LLMMessageContent.text)
            }
        case nil:
            break
        }
        message.toolCalls = (wire.toolCalls ?? []).map {
            LLMToolCall(id: $0.id, name: $0.function?.name ?? "", arguments: $0.function?.arguments ?? "")
        }
        message.functionCall = wire.functionCall.map { LLMToolCall(id: nil, name: $0.name ?? "", arguments: $0.arguments ?? "") }
        self = message
    }
}

extension ChatRequest.ToolChoice {
    /// The wire form.
    var wire: OpenAIWire.ToolChoice {
        switch self {
        case .auto: .auto
        case .none: .none
        case .required: .required
        case .function(let name): .function(name)
        }
    }

    /// The choice a wire `tool_choice` names.
    init(_ wire: OpenAIWire.ToolChoice) {
        switch wire {
        case .auto: self = .auto
        case .none: self = .none
        case .required: self = .required
        case .function(let name): self = .function(name)
        }
    }
}

extension ChatRequest {
    /// The request as sent to `POST /chat/completions` for `model`; a stream asks for usage at its end.
    func wire(model: String, stream: Bool) -> OpenAIWire.ChatCompletionRequest {
        var wire = OpenAIWire.ChatCompletionRequest(model: model, messages: messages.map(OpenAIWire.Message.init))
        wire.temperature = temperature
        wire.maxTokens = maxTokens
        wire.tools = tools.isEmpty ? nil : tools.map { OpenAIWire.Tool(name: $0.name, description: $0.description, parameters: $0.parameters) }
        wire.toolChoice = toolChoice?.wire
        wire.extra = extraParameters
        if stream {
            wire.stream = true
            wire.streamOptions = OpenAIWire.StreamOptions(includeUsage: true)
        }
        return wire
    }

    /// The request a wire request describes; `stream` and `stream_options` are the caller's to handle
    /// (the client sets them itself).
    public init(_ wire: OpenAIWire.ChatCompletionRequest) {
        self.init(
            messages: wire.messages.map(LLMMessage.init),
            model: wire.model,
            temperature: wire.temperature,
            maxTokens: wire.maxCompletionTokens ?? wire.maxTokens,
            tools: (wire.tools ?? []).map {
                LLMToolDefinition(name: $0.function.name, description: $0.function.description ?? "", parameters: $0.function.parameters ?? [:])
            },
            toolChoice: wire.toolChoice.map(ToolChoice.init),
            extraParameters: wire.extra
        )
    }
}

extension OpenAIWire.ChatCompletion {
    /// The completion answering with `response`, as `stack serve` returns it.
    public init(_ response: ChatResponse, id: String, model: String, created: Int) {
        let message = OpenAIWire.Message(
            role: response.message.role,
            content: response.message.content.map(OpenAIWire.Content.text),
            toolCalls: response.message.toolCalls.isEmpty
                ? nil
                : response.message.toolCalls.enumerated().map { index, call in
                    .init(index: index, id: call.id ?? "call_\(index)", function: .init(name: call.name, arguments: call.arguments))
                }
        )
        self.init(
            id: id,
            object: "chat.completion",
            created: created,
            model: response.model ?? model,
            choices: [.init(index: 0, message: message, finishReason: response.finishReason)],
            usage: response.usage.map(OpenAIWire.Usage.init)
        )
    }

    /// The JSON text of this completion.
    public var jsonText: String {
        (try? OpenAIWire.encoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
