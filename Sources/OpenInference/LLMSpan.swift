import Tracing

/// An LLM span: one call to a language model.
public struct LLMSpan: OpenInferenceSpanProtocol {
    /// The recording span underneath.
    public let base: OpenInferenceSpan

    /// Records the model's reply as `llm.output_messages`, and `output.value`: the whole response as
    /// JSON when `responseJSON` is given (what the reference OpenAI instrumentation records), otherwise the
    /// text of a single text reply.
    public func recordOutput(messages: [LLMMessage], responseJSON: String? = nil) {
        base.record { writer in
            writer.set(messages: messages, under: SemanticConventions.LLM.outputMessages)
            if let responseJSON {
                writer.set(SemanticConventions.Output.value, responseJSON)
                writer.set(SemanticConventions.Output.mimeType, "application/json")
            } else if messages.count == 1, let text = messages[0].content {
                writer.set(SemanticConventions.Output.value, text)
                writer.set(SemanticConventions.Output.mimeType, "text/plain")
            }
        }
    }

    /// Records `llm.token_count.*`.
    public func recordTokenUsage(_ usage: TokenUsage) {
        base.record { writer in
            writer.set(SemanticConventions.LLM.TokenCount.prompt, usage.prompt)
            writer.set(SemanticConventions.LLM.TokenCount.completion, usage.completion)
            writer.set(SemanticConventions.LLM.TokenCount.total, usage.total)
            writer.set(SemanticConventions.LLM.TokenCount.promptCacheRead, usage.promptCacheRead)
            writer.set(SemanticConventions.LLM.TokenCount.promptCacheWrite, usage.promptCacheWrite)
            writer.set(SemanticConventions.LLM.TokenCount.completionReasoning, usage.completionReasoning)
            writer.set(SemanticConventions.LLM.TokenCount.promptAudio, usage.promptAudio)
            writer.set(SemanticConventions.LLM.TokenCount.completionAudio, usage.completionAudio)
        }
    }

    /// Records `llm.cost.prompt`, `llm.cost.completion` and `llm.cost.total` (US dollars), so Phoenix
    /// can sum cost per trace, per prompt template version or per tool.
    public func recordCost(_ cost: TokenCost) {
        base.record { writer in
            writer.set(SemanticConventions.LLM.Cost.prompt, cost.prompt)
            writer.set(SemanticConventions.LLM.Cost.completion, cost.completion)
            writer.set(SemanticConventions.LLM.Cost.total, cost.total)
        }
    }

    /// Records `llm.finish_reason`: why the model stopped, as the provider said it (`stop`, `length`,
    /// `tool_calls`, …), for the first choice.
    public func recordFinishReason(_ reason: String?) {
        base.record { $0.set(SemanticConventions.LLM.finishReason, reason) }
    }

    /// Records the model that actually answered, when the server reports one.
    public func recordModelName(_ name: String) {
        base.record { $0.set(SemanticConventions.LLM.modelName, name) }
    }
}

/// Runs `body` inside an LLM span describing one model call.
///
/// The span records the model, system, provider, input messages (flattened, tool calls included),
/// invocation parameters and offered tools at once; `body` records the reply and token counts.
///
/// ```swift
/// let reply = try await withLLMSpan(model: "gpt-4o-mini", system: "openai", messages: messages,
///                                   parameters: ["temperature": 0.2]) { span in
///     let response = try await client.send(messages)
///     span.recordOutput(messages: [response.message])
///     span.recordTokenUsage(TokenUsage(prompt: response.promptTokens, completion: response.completionTokens))
///     return response.message
/// }
/// ```
public nonisolated(nonsending) func withLLMSpan<T>(
    _ name: String = "chat",
    model: String? = nil,
    system: String? = nil,
    provider: String? = nil,
    messages: [LLMMessage] = [],
    parameters: OpenInferenceJSON? = nil,
    tools: [LLMToolDefinition] = [],
    context: @autoclosure () -> InstrumentationContext = .current ?? .topLevel,
    function: String = #function,
    file fileID: String = #fileID,
    line: UInt = #line,
    _ body: nonisolated(nonsending) (LLMSpan) async throws -> T
) async rethrows -> T {
    try await withKindSpan(
        name,
        kind: .llm,
        context: context(),
        ofKind: .client,
        function: function,
        file: fileID,
        line: line,
        wrap: LLMSpan.init(base:),
        start: { writer in
            writer.set(SemanticConventions.LLM.modelName, model)
            writer.set(SemanticConventions.LLM.system, system)
            writer.set(SemanticConventions.LLM.provider, provider)
            writer.set(SemanticConventions.LLM.invocationParameters, json: parameters)
            writer.set(messages: messages, under: SemanticConventions.LLM.inputMessages)
            for (index, tool) in tools.enumerated() {
                writer.set(AttributeKeys.toolJSONSchema(index), json: tool.jsonSchema)
            }
        },
        body
    )
}
