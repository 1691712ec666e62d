/// What one model call cost, in US dollars (`llm.cost.*`).
public struct TokenCost: Sendable, Hashable {
    public var prompt: Double?
    public var completion: Double?

    public init(prompt: Double? = nil, completion: Double? = nil) {
        self.prompt = prompt
        self.completion = completion
    }

    /// The sum of the known parts, or `nil` when neither is known.
    public var total: Double? {
        guard prompt != nil || completion != nil else { return nil }
        return (prompt ?? 0) + (completion ?? 0)
    }
}
