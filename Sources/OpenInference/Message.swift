import Tracing

/// One chat message as OpenInference records it on an LLM span.
///
/// ```swift
/// let messages: [Message] = [
///     .system("You answer in one sentence."),
///     .user("What is SQLite?"),
/// ]
/// ```
public struct Message: Sendable, Hashable {
    /// Who wrote the message: `system`, `user`, `assistant` or `tool` (any string is accepted).
    public var role: String
    /// The text of the message, when it is a single text part.
    public var content: String?
    /// The parts of a multi-part message (text and images); recorded under `message.contents`.
    public var contents: [MessageContent]
    /// The name of the author, when the API carries one.
    public var name: String?
    /// The tool calls an assistant message asks for.
    public var toolCalls: [ToolCall]
    /// For a `tool` message, the id of the tool call it answers.
    public var toolCallID: String?

    public init(
        role: String,
        content: String? = nil,
        contents: [MessageContent] = [],
        name: String? = nil,
        toolCalls: [ToolCall] = [],
        toolCallID: String? = nil
    ) {
        self.role = role
        self.content = content
        self.contents = contents
        self.name = name
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    /// A `system` message.
    public static func system(_ content: String) -> Message { Message(role: "system", content: content) }
    /// A `user` message.
    public static func user(_ content: String) -> Message { Message(role: "user", content: content) }
    /// An `assistant` message, optionally asking for tool calls.
    public static func assistant(_ content: String?, toolCalls: [ToolCall] = []) -> Message {
        Message(role: "assistant", content: content, toolCalls: toolCalls)
    }
    /// A `tool` message carrying the result of the tool call `toolCallID`.
    public static func tool(_ content: String, toolCallID: String?, name: String? = nil) -> Message {
        Message(role: "tool", content: content, name: name, toolCallID: toolCallID)
    }
}

/// One part of a multi-part message.
public enum MessageContent: Sendable, Hashable {
    /// A text part.
    case text(String)
    /// An image part, by URL (which may be a `data:` URL holding base64 bytes).
    case image(url: String)
}

/// A function call an assistant message asks for.
public struct ToolCall: Sendable, Hashable {
    /// The id the model gave the call; the `tool` message answering it repeats it.
    public var id: String?
    /// The name of the function to call.
    public var name: String
    /// The arguments, as the JSON text the model produced (which may not be valid JSON).
    public var arguments: String

    public init(id: String?, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// A tool offered to a model, recorded as `llm.tools.N.tool.json_schema`.
public struct ToolDefinition: Sendable, Hashable {
    /// The function name the model calls it by.
    public var name: String
    /// What the tool does, as the model reads it.
    public var description: String
    /// The JSON schema of the arguments object.
    public var parameters: JSONValue

    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }

    /// The OpenAI-shaped tool definition (`{"type":"function","function":{…}}`) that Phoenix renders.
    public var jsonSchema: JSONValue {
        [
            "type": "function",
            "function": [
                "name": .string(name),
                "description": .string(description),
                "parameters": parameters,
            ],
        ]
    }
}
