import OpenInference

/// Tools that live somewhere else (an MCP server, a plug-in) and are offered to the model beside the
/// built-in ``AgentTool``s.
///
/// ``ToolRegistry/register(source:)`` lists a source's tools once and registers each under a name
/// unique in the registry; a call then runs inside the registry's TOOL span, so a source only moves
/// text: arguments (a JSON object as the model wrote it) in, the result the model reads out. A source
/// throws when a call fails; the agent turns that into a tool message and the span into an ERROR span.
public protocol ToolSource: Sendable {
    /// A short name for the source (such as the server's name), used to keep tool names unique.
    var sourceName: String { get }
    /// The tools the source offers now, under the source's own names.
    func listTools() async throws -> [LLMToolDefinition]
    /// Calls the tool the source knows as `tool` with `arguments`, a JSON object, and returns its result.
    func callTool(_ tool: String, arguments: String) async throws -> String
}
