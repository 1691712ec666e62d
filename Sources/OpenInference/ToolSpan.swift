import Tracing

/// A TOOL span: one execution of a tool the model asked for.
public struct ToolSpan: OpenInferenceSpanProtocol {
    /// The recording span underneath.
    public let base: OpenInferenceSpan
}

/// Runs `body` inside a TOOL span named after the tool.
///
/// The span records `tool.name`, `tool.description`, `tool.parameters` (the arguments' JSON schema)
/// and the call's arguments as `input.value`; `body` records the result with `recordOutput`.
///
/// ```swift
/// let result = try await withToolSpan(tool: "now", description: "Current time", arguments: "{}") { span in
///     let result = Date.now.formatted(.iso8601)
///     span.recordOutput(result)
///     return result
/// }
/// ```
public nonisolated(nonsending) func withToolSpan<T>(
    tool name: String,
    description: String? = nil,
    parameters: OpenInferenceJSON? = nil,
    arguments: String? = nil,
    toolCallID: String? = nil,
    context: @autoclosure () -> InstrumentationContext = .current ?? .topLevel,
    function: String = #function,
    file fileID: String = #fileID,
    line: UInt = #line,
    _ body: nonisolated(nonsending) (ToolSpan) async throws -> T
) async rethrows -> T {
    try await withKindSpan(
        name,
        kind: .tool,
        context: context(),
        ofKind: .internal,
        function: function,
        file: fileID,
        line: line,
        wrap: ToolSpan.init(base:),
        start: { writer in
            writer.set(SemanticConventions.Tool.name, name)
            writer.set(SemanticConventions.Tool.description, description)
            writer.set(SemanticConventions.Tool.parameters, json: parameters)
            writer.set(SemanticConventions.Tool.id, toolCallID)
            if let arguments {
                writer.set(SemanticConventions.Input.value, arguments)
                writer.set(SemanticConventions.Input.mimeType, "application/json")
            }
        },
        body
    )
}
