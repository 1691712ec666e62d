/// Token counts of one model call.
public struct TokenUsage: Sendable, Hashable {
    /// Tokens in the prompt.
    public var prompt: Int?
    /// Tokens in the completion.
    public var completion: Int?
    /// Prompt and completion tokens together.
    public var total: Int?
    /// Prompt tokens served from the provider's cache.
    public var promptCacheRead: Int?
    /// Prompt tokens that were cached input (`llm.token_count.prompt_details.cache_input`).
    public var promptCacheInput: Int?
    /// Prompt tokens written to the provider's cache.
    public var promptCacheWrite: Int?
    /// Completion tokens spent on hidden reasoning.
    public var completionReasoning: Int?
    /// Prompt tokens that were audio.
    public var promptAudio: Int?
    /// Completion tokens that were audio.
    public var completionAudio: Int?

    /// Creates token counts; `total` defaults to `prompt + completion` when both are given.
    public init(
        prompt: Int? = nil,
        completion: Int? = nil,
        total: Int? = nil,
        promptCacheRead: Int? = nil,
        promptCacheWrite: Int? = nil,
        completionReasoning: Int? = nil,
        promptAudio: Int? = nil,
        completionAudio: Int? = nil,
        promptCacheInput: Int? = nil
    ) {
        self.prompt = prompt
        self.completion = completion
        self.total = total ?? prompt.flatMap { p in completion.map { p + $0 } }
        self.promptCacheRead = promptCacheRead
        self.promptCacheWrite = promptCacheWrite
        self.completionReasoning = completionReasoning
        self.promptAudio = promptAudio
        self.completionAudio = completionAudio
        self.promptCacheInput = promptCacheInput
    }
}
