import Metrics
import OpenInference

/// The LLM client's metrics, through swift-metrics (whatever backend the application bootstrapped;
/// none costs nothing).
///
/// | Metric | Kind | Dimensions |
/// |---|---|---|
/// | `llm_tokens_total` | counter | `model`, `kind` (`prompt`, `completion`) |
/// | `llm_cost_usd_total` | floating counter | `model`, `prompt_template_version` when a template is in scope |
enum LLMMetrics {
    static func record(model: String, usage: TokenUsage, cost: TokenCost?) {
        if let prompt = usage.prompt {
            Counter(label: "llm_tokens_total", dimensions: [("model", model), ("kind", "prompt")]).increment(by: prompt)
        }
        if let completion = usage.completion {
            Counter(label: "llm_tokens_total", dimensions: [("model", model), ("kind", "completion")]).increment(by: completion)
        }
        if let total = cost?.total, total > 0 {
            var dimensions = [("model", model)]
            if let version = OpenInferenceContext.current.promptTemplate?.version {
                dimensions.append(("prompt_template_version", version))
            }
            FloatingPointCounter(label: "llm_cost_usd_total", dimensions: dimensions).increment(by: total)
        }
    }
}
