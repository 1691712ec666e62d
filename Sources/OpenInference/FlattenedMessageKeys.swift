/// The flattened attribute keys of one message (`llm.input_messages.3.message.role`, …), built once
/// for the first indices of input and output messages so recording a conversation allocates no key
/// strings: a cached key is shared, not rebuilt, which the span-cost benchmark showed to matter.
/// A class, so taking a message's keys from the cache retains one object rather than seven strings.
final class FlattenedMessageKeys: Sendable {
    /// `<prefix>.<index>.`, for the keys that are not cached (contents, tool calls).
    let base: String
    let role: String
    let content: String
    let name: String
    let toolCallID: String
    let functionCallName: String
    let functionCallArguments: String

    init(prefix: String, index: Int) {
        base = "\(prefix).\(index)."
        role = base + SemanticConventions.Message.role
        content = base + SemanticConventions.Message.content
        name = base + SemanticConventions.Message.name
        toolCallID = base + SemanticConventions.Message.toolCallID
        functionCallName = base + SemanticConventions.Message.functionCallName
        functionCallArguments = base + SemanticConventions.Message.functionCallArgumentsJSON
    }

    private static let cachedCount = 64
    private static let input = (0..<cachedCount).map { FlattenedMessageKeys(prefix: SemanticConventions.LLM.inputMessages, index: $0) }
    private static let output = (0..<cachedCount).map { FlattenedMessageKeys(prefix: SemanticConventions.LLM.outputMessages, index: $0) }

    /// The keys of message `index` under `prefix`, from the cache when it holds them.
    static func of(prefix: String, index: Int) -> FlattenedMessageKeys {
        if index < cachedCount {
            if prefix == SemanticConventions.LLM.inputMessages { return input[index] }
            if prefix == SemanticConventions.LLM.outputMessages { return output[index] }
        }
        return FlattenedMessageKeys(prefix: prefix, index: index)
    }
}
