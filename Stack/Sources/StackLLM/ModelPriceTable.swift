import Foundation
import OpenInference

/// What a model costs, in US dollars per million tokens.
public struct ModelPrice: Sendable, Hashable {
    public var promptPerMillion: Double
    public var completionPerMillion: Double
    /// Cached prompt tokens, when the provider bills them differently (defaults to the prompt price).
    public var cachedPromptPerMillion: Double?

    public init(promptPerMillion: Double, completionPerMillion: Double, cachedPromptPerMillion: Double? = nil) {
        self.promptPerMillion = promptPerMillion
        self.completionPerMillion = completionPerMillion
        self.cachedPromptPerMillion = cachedPromptPerMillion
    }

    /// The cost of `usage` at this price; `nil` parts when the server reported no such count.
    public func cost(of usage: TokenUsage) -> TokenCost {
        var prompt: Double?
        if let tokens = usage.prompt {
            let cached = min(usage.promptCacheRead ?? 0, tokens)
            let cachedPrice = cachedPromptPerMillion ?? promptPerMillion
            prompt = (Double(tokens - cached) * promptPerMillion + Double(cached) * cachedPrice) / 1_000_000
        }
        let completion = usage.completion.map { Double($0) * completionPerMillion / 1_000_000 }
        return TokenCost(prompt: prompt, completion: completion)
    }
}

/// Per-model prices that turn token counts into `llm.cost.*` span attributes and the
/// `llm_cost_usd_total` metric.
///
/// A model is looked up by its exact name first, then by the longest listed prefix, so
/// `gpt-4o-mini-2024-07-18` finds `gpt-4o-mini`. Models the table does not list get no cost
/// (not a zero cost), so an unpriced model never looks free.
///
/// ```swift
/// var prices = ModelPriceTable.default
/// prices["my-finetune"] = ModelPrice(promptPerMillion: 3, completionPerMillion: 12)
/// let configuration = LLMClientConfiguration(model: "my-finetune", prices: prices)
/// ```
///
/// `STACK_MODEL_PRICES` extends the table from the environment:
/// `model=prompt:completion[,model=prompt:completion…]`, prices per million tokens.
public struct ModelPriceTable: Sendable, Hashable {
    private var prices: [String: ModelPrice]

    public init(_ prices: [String: ModelPrice] = [:]) {
        self.prices = prices
    }

    /// A few public list prices (USD per million tokens, late 2025) and the local models this
    /// project runs, which cost nothing. Check your provider's price page before relying on them.
    public static let `default` = ModelPriceTable([
        "gpt-4o": ModelPrice(promptPerMillion: 2.50, completionPerMillion: 10.00, cachedPromptPerMillion: 1.25),
        "gpt-4o-mini": ModelPrice(promptPerMillion: 0.15, completionPerMillion: 0.60, cachedPromptPerMillion: 0.075),
        "gpt-4.1": ModelPrice(promptPerMillion: 2.00, completionPerMillion: 8.00, cachedPromptPerMillion: 0.50),
        "gpt-4.1-mini": ModelPrice(promptPerMillion: 0.40, completionPerMillion: 1.60, cachedPromptPerMillion: 0.10),
        "text-embedding-3-small": ModelPrice(promptPerMillion: 0.02, completionPerMillion: 0),
        "text-embedding-3-large": ModelPrice(promptPerMillion: 0.13, completionPerMillion: 0),
        "smollm2": ModelPrice(promptPerMillion: 0, completionPerMillion: 0),
        "smollm2-embed": ModelPrice(promptPerMillion: 0, completionPerMillion: 0),
    ])

    /// The price of `model`: an exact entry, else the longest entry that `model` starts with.
    /// The models priced by name (exactly as listed, not the dated variants the lookup also matches).
    public var modelNames: Set<String> { Set(prices.keys) }

    public subscript(model: String) -> ModelPrice? {
        get {
            if let exact = prices[model] { return exact }
            return prices.filter { model.hasPrefix($0.key) }.max { $0.key.count < $1.key.count }?.value
        }
        set { prices[model] = newValue }
    }

    /// Parses `STACK_MODEL_PRICES` entries over this table.
    ///
    /// - Throws: ``LLMClientError/invalidConfiguration(_:)`` naming the entry that is not `model=prompt:completion`.
    public func merging(environmentValue raw: String) throws(LLMClientError) -> ModelPriceTable {
        var table = self
        for entry in raw.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1)
            let numbers = parts.count == 2 ? parts[1].split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) } : []
            guard parts.count == 2, numbers.count == 2, let prompt = numbers[0], let completion = numbers[1], prompt >= 0, completion >= 0
            else {
                throw .invalidConfiguration(
                    "STACK_MODEL_PRICES entry '\(entry)' is not model=prompt:completion (USD per million tokens), e.g. my-model=0.5:1.5"
                )
            }
            table[parts[0].trimmingCharacters(in: .whitespaces)] = ModelPrice(promptPerMillion: prompt, completionPerMillion: completion)
        }
        return table
    }
}
