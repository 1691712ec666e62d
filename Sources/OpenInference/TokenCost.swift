/// What one model call cost, in US dollars (`llm.cost.*`), with the optional breakdown of each side
/// (`llm.cost.prompt_details.*`, `llm.cost.completion_details.*`).
public struct TokenCost: Sendable, Hashable {
    /// The cost of all prompt tokens, `llm.cost.prompt`.
    public var prompt: Double?
    /// The cost of all completion tokens, `llm.cost.completion`.
    public var completion: Double?
    /// The cost of the prompt's input tokens, `llm.cost.prompt_details.input`.
    public var promptInput: Double?
    /// The cost of the prompt's cached input tokens, `llm.cost.prompt_details.cache_input`.
    public var promptCacheInput: Double?
    /// The cost of prompt tokens read from the cache, `llm.cost.prompt_details.cache_read`.
    public var promptCacheRead: Double?
    /// The cost of prompt tokens written to the cache, `llm.cost.prompt_details.cache_write`.
    public var promptCacheWrite: Double?
    /// The cost of the prompt's audio tokens, `llm.cost.prompt_details.audio`.
    public var promptAudio: Double?
    /// The cost of the completion's output tokens, `llm.cost.completion_details.output`.
    public var completionOutput: Double?
    /// The cost of the completion's reasoning tokens, `llm.cost.completion_details.reasoning`.
    public var completionReasoning: Double?
    /// The cost of the completion's audio tokens, `llm.cost.completion_details.audio`.
    public var completionAudio: Double?

    /// Creates a cost; the details are optional and not added into ``prompt`` or ``completion``.
    public init(
        prompt: Double? = nil,
        completion: Double? = nil,
        promptInput: Double? = nil,
        promptCacheInput: Double? = nil,
        promptCacheRead: Double? = nil,
        promptCacheWrite: Double? = nil,
        promptAudio: Double? = nil,
        completionOutput: Double? = nil,
        completionReasoning: Double? = nil,
        completionAudio: Double? = nil
    ) {
        self.prompt = prompt
        self.completion = completion
        self.promptInput = promptInput
        self.promptCacheInput = promptCacheInput
        self.promptCacheRead = promptCacheRead
        self.promptCacheWrite = promptCacheWrite
        self.promptAudio = promptAudio
        self.completionOutput = completionOutput
        self.completionReasoning = completionReasoning
        self.completionAudio = completionAudio
    }

    /// The sum of the known parts, or `nil` when neither is known.
    public var total: Double? {
        guard prompt != nil || completion != nil else { return nil }
        return (prompt ?? 0) + (completion ?? 0)
    }
}
