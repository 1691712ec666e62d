import ArgumentParser
import Foundation
import Logging
import MCP
import StackMCP
import StackTelemetry

/// `stack mcp`: the stack's tools (`search_docs`, `fetch_chunk`, `now`) served as an MCP server on
/// standard input and output. Each call is a TOOL span that continues the caller's trace from `_meta`.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the stack's tools over the Model Context Protocol on stdin/stdout.",
        discussion: """
            Standard output carries MCP messages only; diagnostics go to standard error. A caller's trace \
            context in a request's _meta (traceparent, as openinference-instrumentation-mcp sends it) makes \
            each tool's span part of the caller's trace. Spans go to PHOENIX_COLLECTOR_ENDPOINT, \
            service stack-mcp.
            """
    )

    @Option(help: "The retrieval index (SQLite file); without one only `now` is served.")
    var index: String = CommandEnvironment.current.defaultIndexPath

    func run() async throws {
        // Standard output is the protocol channel: every log line goes to standard error.
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
        CommandEnvironment.current.announce()
        var logger = Logger(label: "stack.mcp")
        logger.logLevel = .warning
        let telemetryConfiguration = TelemetryConfiguration.fromEnvironment(CommandEnvironment.current.variables, serviceName: "stack-mcp")
        let client = try CommandEnvironment.current.llmClient()
        let tools = try await AgentOptions.makeTools(index: index, client: client)
        try await withTelemetry(telemetryConfiguration) { telemetry in
            // Flushed after each call, before its answer: the span reaches Phoenix before the caller's.
            let server = MCPToolServer(tools: tools, logger: logger, afterCall: { await telemetry.forceFlush() })
            try await server.run(transport: StdioTransport(logger: logger))
        }
    }
}
