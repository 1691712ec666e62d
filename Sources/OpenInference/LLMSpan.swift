import Tracing

/// An LLM span: one call to a language model.
public struct LLMSpan: OpenInferenceSpanProtocol {
    /// The recording span underneath.
    public let base: OpenInferenceSpan

    @usableFromInline
    init(base: OpenInferenceSpan) {
        self.base = base
    }

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
            writer.set(SemanticConventions.LLM.TokenCount.promptCacheInput, usage.promptCacheInput)
            writer.set(SemanticConventions.LLM.TokenCount.promptCacheRead, usage.promptCacheRead)
            writer.set(SemanticConventions.LLM.TokenCount.promptCacheWrite, usage.promptCacheWrite)
            writer.set(SemanticConventions.LLM.TokenCount.completionReasoning, usage.completionReasoning)
            writer.set(SemanticConventions.LLM.TokenCount.promptAudio, usage.promptAudio)
            writer.set(SemanticConventions.LLM.TokenCount.completionAudio, usage.completionAudio)
        }
    }

    /// Records `llm.cost.prompt`, `llm.cost.completion` and `llm.cost.total` (US dollars), so Phoenix
    /// can sum cost per trace, per prompt template version or per tool, and the breakdown the cost has
    /// (`llm.cost.prompt_details.*`, `llm.cost.completion_details.*`).
    public func recordCost(_ cost: TokenCost) {
        typealias C = SemanticConventions.LLM.Cost
        base.record { writer in
            writer.set(C.prompt, cost.prompt)
            writer.set(C.completion, cost.completion)
            writer.set(C.total, cost.total)
            writer.set(C.promptInput, cost.promptInput)
            writer.set(C.promptCacheInput, cost.promptCacheInput)
            writer.set(C.promptCacheRead, cost.promptCacheRead)
            writer.set(C.promptCacheWrite, cost.promptCacheWrite)
            writer.set(C.promptAudio, cost.promptAudio)
            writer.set(C.completionOutput, cost.completionOutput)
            writer.set(C.completionReasoning, cost.completionReasoning)
            writer.set(C.completionAudio, cost.completionAudio)
        }
    }

    /// Records how long after the request the first chunk of a streamed answer arrived, as
    /// `gen_ai.response.time_to_first_chunk` (seconds), when the GenAI attributes follow the latest
    /// conventions (``TraceConfig/enableGenAISemanticConventions`` and ``TraceConfig/genAILatestExperimental``);
    /// nothing otherwise. OpenInference has no key of its own for it.
    public func recordTimeToFirstChunk(_ elapsed: Duration) {
        guard base.config.enableGenAISemanticConventions, base.config.genAILatestExperimental else { return }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        base.record { $0.set("gen_ai.response.time_to_first_chunk", seconds) }
    }

    /// Records the prompts of a completions-API call as `llm.prompts.N.prompt.text`.
    public func recordPrompts(_ prompts: [String]) {
        base.record { writer in
            for (index, prompt) in prompts.enumerated() {
                writer.set(AttributeKeys.prompt(index), prompt)
            }
        }
    }

    /// Records the text choices a completions API answered with as `llm.choices.N.completion.text`.
    public func recordChoices(_ choices: [String]) {
        base.record { writer in
            for (index, choice) in choices.enumerated() {
                writer.set(AttributeKeys.choice(index), choice)
            }
        }
    }

    /// Records `llm.finish_reason`: why the model stopped, as the provider said it (`stop`, `length`,
    /// `tool_calls`, …), for the first choice.
    public func recordFinishReason(_ reason: String?) {
        base.record { $0.set(SemanticConventions.LLM.finishReason, reason) }
    }

    /// Records the model that actually answered, when the server reports one: `llm.response.model_name`,
    /// and `llm.model_name` (which then names the response's model rather than the requested one).
    public func recordModelName(_ name: String) {
        base.record { writer in
            writer.set(SemanticConventions.LLM.modelName, name)
            writer.set(SemanticConventions.LLM.responseModelName, name)
        }
    }
}

/// Runs `body` inside an LLM span describing one model call.
///
/// The span records the model (as `llm.model_name` and `llm.request.model_name`), system and provider
/// (lowercased, as the reference records a free-form vendor name), input messages (flattened, tool calls
/// included), invocation parameters and offered tools (`llm.tools.N.tool.json_schema`, `.tool.name`,
/// `.tool.description`) at once; `body` records the reply and token counts.
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
@inlinable
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
    // The no-op path, decided here in the caller's module: one specialised call of `body`, no generic async
    // frame of the helper's own (see `withKindSpan`, which asks the same for every helper).
    if OpenInferenceSpan.tracerIsNoOp {
        return try await body(LLMSpan(base: OpenInferenceSpan(notRecordingIn: context())))
    }
    return try await withRecordedLLMSpan(
        name, model: model, system: system, provider: provider, messages: messages, parameters: parameters,
        tools: tools, context: context(), function: function, file: fileID, line: line, body
    )
}

/// ``withLLMSpan(_:model:system:provider:messages:parameters:tools:context:function:file:line:_:)`` under a
/// tracer that is not the no-op one: out of line, so that the inlined front stays a check and a call.
@usableFromInline
nonisolated(nonsending) func withRecordedLLMSpan<T>(
    _ name: String,
    model: String?,
    system: String?,
    provider: String?,
    messages: [LLMMessage],
    parameters: OpenInferenceJSON?,
    tools: [LLMToolDefinition],
    context: @autoclosure () -> InstrumentationContext,
    function: String,
    file fileID: String,
    line: UInt,
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
            writer.set(SemanticConventions.LLM.requestModelName, model)
            writer.set(SemanticConventions.LLM.system, system.map(LLMProvider.normalized))
            writer.set(SemanticConventions.LLM.provider, provider.map(LLMProvider.normalized))
            writer.set(SemanticConventions.LLM.invocationParameters, json: parameters)
            writer.set(messages: messages, under: SemanticConventions.LLM.inputMessages)
            for (index, tool) in tools.enumerated() {
                let keys = ToolDefinitionKeys.of(index: index)
                writer.set(keys.jsonSchema, json: tool.jsonSchema)
                // As the reference writes them: only when not empty.
                if !tool.name.isEmpty { writer.set(keys.name, tool.name) }
                if !tool.description.isEmpty { writer.set(keys.description, tool.description) }
            }
        },
        body
    )
}
