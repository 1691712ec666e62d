import ArgumentParser
import Foundation
import Logging
import MCP
import OpenInferenceTelemetry
import ServiceLifecycle
import StackMCP

/// `stack mcp`: the stack's tools (`search_docs`, `fetch_chunk`, `now`) served as an MCP server on
/// standard input and output, or with `--http` over Streamable HTTP at `/mcp`. Each call is a TOOL span
/// that continues the caller's trace from `_meta` (over HTTP, else from the `traceparent` header).
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the stack's tools over the Model Context Protocol on stdin/stdout, or over HTTP with --http.",
        discussion: """
            On stdio, standard output carries MCP messages only; diagnostics go to standard error. With \
            --http, the tools are served at http://HOST:PORT/mcp (stateless Streamable HTTP, JSON answers) \
            and the address is printed once listening; SIGINT or SIGTERM stops the server. A caller's \
            trace context in a request's _meta (traceparent, as openinference-instrumentation-mcp sends \
            it; over HTTP, else the request's traceparent header) makes each tool's span part of the \
            caller's trace. Spans go to PHOENIX_COLLECTOR_ENDPOINT, service stack-mcp.
            """
    )

    @Option(help: "The retrieval index (SQLite file); without one only `now` is served.")
    var index: String = CommandEnvironment.current.defaultIndexPath

    @Flag(help: "Serve MCP's Streamable HTTP transport at /mcp instead of stdio.")
    var http = false

    @Option(help: "With --http: the address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "With --http: the port to listen on (0 picks a free one).")
    var port = 8765

    /// How long a tool's answer waits for its span to be exported.
    static let flushWait = Duration.seconds(2)

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port)") }
    }

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
            // Bounded, so a Phoenix that is down or frozen never holds the answer (it used to, for the
            // exporter's 19 s of retries); what the bound cuts short is exported by the loop.
            let server = MCPToolServer(
                tools: tools, logger: logger, afterCall: { await telemetry.forceFlush(waitingAtMost: Self.flushWait) }
            )
            guard http else {
                try await server.run(transport: StdioTransport(logger: logger))
                return
            }
            let shownHost = host.contains(":") ? "[\(host)]" : host
            let endpoint = MCPHTTPEndpoint(server: server, host: host, port: port, logger: logger)
            let application = endpoint.application { port in
                // The one line on standard output: scripts and tests read the address from it.
                FileHandle.standardOutput.write(Data("stack mcp: serving MCP at http://\(shownHost):\(port)\(MCPHTTPEndpoint.path)\n".utf8))
            }
            let listening = ListenError.naming(application, host: host, port: port, hostSetting: "--host", portSetting: "--port")
            try await ServiceGroup(
                configuration: .init(services: [listening], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            ).run()
        }
    }
}
