import OpenInference
import StackAgent

/// A configured MCP server that did not start (or whose tools could not be listed), offered to the model
/// as one tool, `<server>_unavailable`, whose every call fails with the start error.
///
/// Why a tool: the failure has to reach the model and the run's trace, and neither exists when servers
/// start (`stack serve` starts them once for every later run; `stack ask` before telemetry is up). A
/// span recorded at start would be a lone trace no run points to, and a note in the system prompt
/// would leave no span at all. A tool does both, inside each run:
///
/// - the model reads the failure in the tool's description on every turn (and in each LLM span's
///   `llm.tools`), so it can tell the user that the server's tools are missing instead of guessing;
/// - calling it returns the start error as the tool message (`error: MCP server '…': …`), and the
///   registry's TOOL span ends in ERROR with that message as its exception event, as with any other
///   failed MCP call;
/// - the run goes on with the other tools.
///
/// The error names the server by its redacted command (``MCPServerError/redacting(_:)``), never its
/// environment, so no secret reaches the model or the span.
public struct UnavailableMCPServer: ToolSource {
    /// Why the server is unavailable (code `failedToStart`, or the error of listing its tools).
    public let failure: MCPServerError
    /// The server's short name (the command's first word, or a URL's host), prefixing the tool's name.
    public let sourceName: String

    /// Stands for the server `command` that failed with `failure`.
    public init(command: String, failure: MCPServerError) {
        self.failure = failure
        self.sourceName = Self.shortName(of: command)
    }

    /// The tool's name as the server offers it: `<server>_unavailable` (the registry prefixes it again
    /// only if another tool already has it).
    public var toolName: String { "\(sourceName)_unavailable" }

    /// One tool without parameters whose description says what failed and what to do.
    public func listTools() async throws -> [LLMToolDefinition] {
        [
            LLMToolDefinition(
                name: toolName,
                description: """
                    Unavailable: \(failure). None of this server's tools can be called in this run; tell the \
                    user if the answer needed them. Calling this tool returns the same error.
                    """,
                parameters: ["type": "object", "properties": [:]]
            )
        ]
    }

    /// Fails with ``failure``: the agent turns it into the tool message and an ERROR TOOL span.
    public func callTool(_ tool: String, arguments: String) async throws -> String {
        throw failure
    }

    /// A short name for `command`, fit for a tool name (letters, digits, `_` and `-`; others become `_`):
    /// a URL's host, otherwise the last path component of its first word after any `NAME=value`
    /// assignments (`python3` for `python3 server.py`, `stack` for `stack mcp`, `127_0_0_1` for
    /// `http://127.0.0.1:8765/mcp`).
    public static func shortName(of command: String) -> String {
        let name: String
        if let url = MCPServerConnection.httpURL(command), let host = url.host, !host.isEmpty {
            name = host
        } else {
            let words = command.split(separator: " ").drop { word in
                guard let equals = word.firstIndex(of: "=") else { return false }
                return word[..<equals].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
            }
            let first = words.first.map { String($0.split(separator: "/").last ?? $0) } ?? ""
            name = first.trimmingCharacters(in: ["'", "\""])
        }
        let cleaned = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "_" }.prefix(40))
        return cleaned.isEmpty ? "mcp" : cleaned
    }
}
