import OpenInference
import StackLLM

/// The result of one agent run.
public struct AgentResult: Sendable, Hashable {
    /// Why the loop ended.
    public enum StopReason: String, Sendable, Hashable {
        /// The model answered without asking for tools.
        case finalAnswer = "final_answer"
        /// The model kept asking for tools until the iteration limit; the answer (if any) comes from
        /// the last turn, which offers no tools.
        case maxIterations = "max_iterations"
    }

    /// The model's final text: "" when it never gave one, or only wrote tool calls out as text
    /// (see ``Agent/isWrittenToolCall(_:)``).
    public var answer: String
    public var stopReason: StopReason
    /// Model calls made.
    public var iterations: Int
    /// The whole conversation, tool messages included.
    public var transcript: [LLMMessage]
}

/// A tool-using agent: it asks the model, runs every tool call the model makes (in parallel), feeds
/// the results back as `tool` messages, and repeats until the model answers or the limit is reached
/// (the last turn offers no tools, so the run ends with an answer whenever the model gives one).
///
/// A run is one AGENT span with LLM and TOOL spans beneath it. A tool that throws, an unknown tool
/// or arguments that are not JSON become a tool message the model reads (and an ERROR tool span);
/// the run goes on. A model call that fails ends the run with that error on the AGENT span.
///
/// ```swift
/// let agent = Agent(model: client, tools: ToolRegistry([NowTool()]))
/// let result = try await agent.run(goal: "What time is it in Oslo?")
/// ```
public struct Agent: Sendable {
    public var model: any ChatModel
    public var tools: ToolRegistry
    public var systemPrompt: String
    public var maxIterations: Int
    public var temperature: Double?
    public var maxTokens: Int?
    public var name: String
    /// The tool choice of the first turn: `.function("search_docs")` makes a retrieval agent look
    /// before it answers. Later turns use `.auto`.
    public var firstTurnToolChoice: ChatRequest.ToolChoice?

    public static let defaultSystemPrompt = """
        You are a careful assistant. Use the tools when they help: search the notes before answering \
        questions about them, and cite passage ids. When you know the answer, reply in plain text.
        """

    public init(
        model: any ChatModel,
        tools: ToolRegistry = ToolRegistry(),
        systemPrompt: String = Agent.defaultSystemPrompt,
        maxIterations: Int = 6,
        temperature: Double? = 0.2,
        maxTokens: Int? = 512,
        name: String = "agent",
        firstTurnToolChoice: ChatRequest.ToolChoice? = nil
    ) {
        self.model = model
        self.tools = tools
        self.systemPrompt = systemPrompt
        self.maxIterations = max(1, maxIterations)
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.name = name
        self.firstTurnToolChoice = firstTurnToolChoice
    }

    /// Runs the loop for `goal`.
    ///
    /// - Parameter onStart: called inside the AGENT span before the first model call, for reading
    ///   the trace id (`TraceParent.current?.traceID`) while the run is still going.
    public func run(goal: String, onStart: (@Sendable () -> Void)? = nil) async throws -> AgentResult {
        try await withAgentSpan(name, agentName: name, goal: goal) { span in
            onStart?()
            var transcript: [LLMMessage] = [.system(systemPrompt), .user(goal)]
            var lastText: String?
            for iteration in 1...maxIterations {
                // The last turn offers no tools, so a model that keeps calling them still has to answer.
                let offered = iteration < maxIterations ? tools.definitions : []
                let response = try await model.chat(
                    ChatRequest(
                        messages: transcript,
                        temperature: temperature,
                        maxTokens: maxTokens,
                        tools: offered,
                        toolChoice: offered.isEmpty ? nil : (iteration == 1 ? firstTurnToolChoice ?? .auto : .auto)
                    )
                )
                transcript.append(response.message)
                if let text = response.message.content, !text.isEmpty, !Agent.isWrittenToolCall(text) { lastText = text }
                guard !response.message.toolCalls.isEmpty else {
                    let reason: AgentResult.StopReason = offered.isEmpty && !tools.definitions.isEmpty ? .maxIterations : .finalAnswer
                    return finish(span, AgentResult(answer: lastText ?? "", stopReason: reason, iterations: iteration, transcript: transcript))
                }
                transcript += await runTools(response.message.toolCalls)
            }
            return finish(
                span,
                AgentResult(answer: lastText ?? "", stopReason: .maxIterations, iterations: maxIterations, transcript: transcript)
            )
        }
    }

    /// Whether `text` is a tool call the model wrote out as text (`functions.search_docs:` followed by
    /// arguments, the format of llama.cpp's function-calling prompt) rather than an answer. Small models
    /// do this on a turn that offers no tools; such text is not an answer and is not reported as one.
    public static func isWrittenToolCall(_ text: String) -> Bool {
        let firstLine = text.drop { $0.isWhitespace }.prefix { $0 != "\n" }
        guard firstLine.hasPrefix("functions."), firstLine.hasSuffix(":") else { return false }
        return !firstLine.dropFirst("functions.".count).dropLast().contains { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    private func finish(_ span: AgentSpan, _ result: AgentResult) -> AgentResult {
        span.recordOutput(result.answer)
        span.recordStop(reason: result.stopReason.rawValue, iterations: result.iterations)
        return result
    }

    /// Runs the calls concurrently and returns their tool messages in the order the model asked.
    private func runTools(_ calls: [LLMToolCall]) async -> [LLMMessage] {
        await withTaskGroup(of: (Int, LLMMessage).self) { group in
            for (index, call) in calls.enumerated() {
                group.addTask { [tools] in
                    let content: String
                    do {
                        content = try await tools.execute(call)
                    } catch {
                        content = "error: \(error)"
                    }
                    return (index, .tool(content, toolCallID: call.id, name: call.name))
                }
            }
            var results = [LLMMessage?](repeating: nil, count: calls.count)
            for await (index, message) in group { results[index] = message }
            return results.compactMap { $0 }
        }
    }
}
