/// A function call an assistant message asks for.
public struct LLMToolCall: Sendable, Hashable {
    /// The id the model gave the call; the `tool` message answering it repeats it.
    public var id: String?
    /// The name of the function to call.
    public var name: String
    /// The arguments, as the JSON text the model produced (which may not be valid JSON).
    public var arguments: String
    /// An opaque reasoning token the provider attached to the call (Gemini's `thoughtSignature`), recorded
    /// verbatim as `tool_call.reasoning_signature` so the call can be replayed.
    public var reasoningSignature: String?

    /// Creates a tool call.
    public init(id: String?, name: String, arguments: String, reasoningSignature: String? = nil) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.reasoningSignature = reasoningSignature
    }
}
