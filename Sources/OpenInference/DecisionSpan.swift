import Tracing

/// A DECISION span: one call to a decision model, which answers typed questions about a state with a
/// typed, probabilistic answer rather than text.
public struct DecisionSpan: OpenInferenceSpanProtocol {
    /// The recording span underneath.
    public let base: OpenInferenceSpan

    /// Records the model that produced the answer, as the provider reported it
    /// (`decision.response.model_name`, and `decision.model_name`, which names the model that served the call).
    public func recordResponseModel(_ name: String) {
        base.record { writer in
            writer.set(SemanticConventions.Decision.responseModelName, name)
            writer.set(SemanticConventions.Decision.modelName, name)
        }
    }

    /// Records the tokens the call consumed and produced, as the provider reported them.
    public func recordTokenCounts(input: Int?, output: Int?) {
        base.record { writer in
            writer.set(SemanticConventions.Decision.tokenCountInput, input)
            writer.set(SemanticConventions.Decision.tokenCountOutput, output)
        }
    }
}

/// Runs `body` inside a DECISION span for one call to a decision model.
///
/// The span records the requested model (`decision.request.model_name`, and `decision.model_name` until
/// the answer names another), the system and provider (lowercased, as on LLM spans) and the state and
/// questions the model is asked, as `input.value`; `body` records the answer with `recordOutput(json:)`,
/// the model that answered and the token counts.
///
/// ```swift
/// let verdict = try await withDecisionSpan(model: "router-v2", provider: "typesafe", input: state) { span in
///     let answer = try await decide(state)
///     span.recordOutput(json: answer.json)
///     span.recordTokenCounts(input: answer.usage.input, output: answer.usage.output)
///     return answer
/// }
/// ```
public nonisolated(nonsending) func withDecisionSpan<T>(
    _ name: String = "decision",
    model: String? = nil,
    system: String? = nil,
    provider: String? = nil,
    input: OpenInferenceJSON? = nil,
    context: @autoclosure () -> InstrumentationContext = .current ?? .topLevel,
    function: String = #function,
    file fileID: String = #fileID,
    line: UInt = #line,
    _ body: nonisolated(nonsending) (DecisionSpan) async throws -> T
) async rethrows -> T {
    try await withKindSpan(
        name,
        kind: .decision,
        context: context(),
        ofKind: .client,
        function: function,
        file: fileID,
        line: line,
        wrap: DecisionSpan.init(base:),
        start: { writer in
            writer.set(SemanticConventions.Decision.requestModelName, model)
            writer.set(SemanticConventions.Decision.modelName, model)
            writer.set(SemanticConventions.Decision.system, system.map(LLMProvider.normalized))
            writer.set(SemanticConventions.Decision.provider, provider.map(LLMProvider.normalized))
            if let input {
                writer.set(SemanticConventions.Input.value, json: input)
                writer.set(SemanticConventions.Input.mimeType, "application/json")
            }
        },
        body
    )
}
