/// Token counts of one model call.
public struct TokenUsage: Sendable, Hashable {
    public var prompt: Int?
    public var completion: Int?
    public var total: Int?
    /// Prompt tokens served from the provider's cache.
    public var promptCacheRead: Int?
    /// Prompt tokens written to the provider's cache.
    public var promptCacheWrite: Int?
    /// Completion tokens spent on hidden reasoning.
    public var completionReasoning: Int?

    /// Creates token counts; `total` defaults to `prompt + completion` when both are given.
    public init(
        prompt: Int? = nil,
        completion: Int? = nil,
        total: Int? = nil,
        promptCacheRead: Int? = nil,
        promptCacheWrite: Int? = nil,
        completionReasoning: Int? = nil
    ) {
        self.prompt = prompt
        self.completion = completion
        self.total = total ?? prompt.flatMap { p in completion.map { p + $0 } }
        self.promptCacheRead = promptCacheRead
        self.promptCacheWrite = promptCacheWrite
        self.completionReasoning = completionReasoning
    }
}
