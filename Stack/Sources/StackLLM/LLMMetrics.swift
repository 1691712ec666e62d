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

    /// The OpenTelemetry GenAI client metrics: `gen_ai.client.operation.duration` (seconds) for every call,
    /// and `gen_ai.client.token.usage` (tokens, by `gen_ai.token.type` input or output) when the server
    /// reports usage, with the conventions' dimensions.
    static func recordGenAIOperation(
        operation: String,
        provider: String,
        requestModel: String,
        responseModel: String?,
        duration: Duration,
        usage: TokenUsage?,
        errorType: String?
    ) {
        var dimensions = [
            ("gen_ai.operation.name", operation), ("gen_ai.provider.name", provider), ("gen_ai.request.model", requestModel),
        ]
        if let responseModel { dimensions.append(("gen_ai.response.model", responseModel)) }
        var durationDimensions = dimensions
        if let errorType { durationDimensions.append(("error.type", errorType)) }
        Recorder(label: "gen_ai.client.operation.duration", dimensions: durationDimensions, aggregate: true)
            .record(Double(duration.nanoseconds) / 1e9)
        for (type, count) in [("input", usage?.prompt), ("output", usage?.completion)] {
            guard let count else { continue }
            Recorder(label: "gen_ai.client.token.usage", dimensions: dimensions + [("gen_ai.token.type", type)], aggregate: true)
                .record(count)
        }
    }
}
