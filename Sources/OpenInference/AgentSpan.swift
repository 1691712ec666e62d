import Tracing

/// An AGENT span: an agent's loop from goal to answer, usually the root of a trace.
public struct AgentSpan: OpenInferenceSpanProtocol {
    /// The recording span underneath.
    public let base: OpenInferenceSpan
}

/// Runs `body` inside an AGENT span whose input is `goal`.
///
/// ```swift
/// let answer = try await withAgentSpan(agentName: "research", goal: goal) { span in
///     let answer = try await loop(goal)
///     span.recordOutput(answer.text)
///     return answer
/// }
/// ```
public nonisolated(nonsending) func withAgentSpan<T>(
    _ name: String = "agent",
    agentName: String? = nil,
    goal: String,
    context: @autoclosure () -> InstrumentationContext = .current ?? .topLevel,
    function: String = #function,
    file fileID: String = #fileID,
    line: UInt = #line,
    _ body: nonisolated(nonsending) (AgentSpan) async throws -> T
) async rethrows -> T {
    try await withKindSpan(
        name,
        kind: .agent,
        context: context(),
        ofKind: .internal,
        function: function,
        file: fileID,
        line: line,
        wrap: AgentSpan.init(base:),
        start: { writer in
            writer.set(SemanticConventions.Agent.name, agentName)
            writer.set(SemanticConventions.Input.value, goal)
            writer.set(SemanticConventions.Input.mimeType, "text/plain")
        },
        body
    )
}

/// Runs `body` inside a CHAIN span: glue between steps, or a request's entry point.
public nonisolated(nonsending) func withChainSpan<T>(
    _ name: String,
    input: String? = nil,
    context: @autoclosure () -> InstrumentationContext = .current ?? .topLevel,
    function: String = #function,
    file fileID: String = #fileID,
    line: UInt = #line,
    _ body: nonisolated(nonsending) (OpenInferenceSpan) async throws -> T
) async rethrows -> T {
    try await withKindSpan(
        name,
        kind: .chain,
        context: context(),
        ofKind: .internal,
        function: function,
        file: fileID,
        line: line,
        wrap: { $0 },
        start: { writer in
            if let input {
                writer.set(SemanticConventions.Input.value, input)
                writer.set(SemanticConventions.Input.mimeType, "text/plain")
            }
        },
        body
    )
}
