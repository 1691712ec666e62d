/// A function call an assistant message asks for.
public struct LLMToolCall: Sendable, Hashable {
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
