/// One chat message as OpenInference records it on an LLM span.
///
/// ```swift
/// let messages: [LLMMessage] = [
///     .system("You answer in one sentence."),
///     .user("What is SQLite?"),
/// ]
/// ```
public struct LLMMessage: Sendable, Hashable {
    /// Who wrote the message: `system`, `user`, `assistant` or `tool` (any string is accepted).
    public var role: String
    /// The text of the message, when it is a single text part.
    public var content: String?
    /// The parts of a multi-part message (text and images); recorded under `message.contents`.
    public var contents: [LLMMessageContent]
    /// The name of the author, when the API carries one.
    public var name: String?
    /// The tool calls an assistant message asks for.
    public var toolCalls: [LLMToolCall]
    /// For a `tool` message, the id of the tool call it answers.
    public var toolCallID: String?
    /// The legacy single `function_call` of OpenAI's older API, which some servers (llama.cpp's among
    /// them) still send beside `tool_calls`; recorded as `message.function_call_name` and
    /// `message.function_call_arguments_json`. Its ``LLMToolCall/id`` is unused.
    public var functionCall: LLMToolCall?

    public init(
        role: String,
        content: String? = nil,
        contents: [LLMMessageContent] = [],
        name: String? = nil,
        toolCalls: [LLMToolCall] = [],
        toolCallID: String? = nil,
        functionCall: LLMToolCall? = nil
    ) {
        self.role = role
        self.content = content
        self.contents = contents
        self.name = name
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.functionCall = functionCall
    }

    /// A `system` message.
    public static func system(_ content: String) -> LLMMessage { LLMMessage(role: "system", content: content) }
    /// A `user` message.
    public static func user(_ content: String) -> LLMMessage { LLMMessage(role: "user", content: content) }
    /// An `assistant` message, optionally asking for tool calls.
    public static func assistant(_ content: String?, toolCalls: [LLMToolCall] = []) -> LLMMessage {
        LLMMessage(role: "assistant", content: content, toolCalls: toolCalls)
    }
    /// A `tool` message carrying the result of the tool call `toolCallID`.
    public static func tool(_ content: String, toolCallID: String?, name: String? = nil) -> LLMMessage {
        LLMMessage(role: "tool", content: content, name: name, toolCallID: toolCallID)
    }
}
