import Foundation
import Logging
import MCP
import OpenInference
import OpenInferenceMCP
import StackAgent

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One MCP server, run as a child process and spoken to over its standard input and output, or reached
/// at an `http://` or `https://` URL over MCP's Streamable HTTP transport: a ``ToolSource`` whose tools
/// the agent offers beside its own.
///
/// Every request races the server's answer against `timeout` (and, for a child process, the process's
/// end), so a server that hangs, crashes or answers nonsense fails that call with an ``MCPServerError``
/// (which the agent turns into a tool message and an ERROR TOOL span) instead of holding the run. A
/// tool call carries the caller's trace context in `_meta` (``TraceContextMetadata``), so the server's
/// span joins the trace. ``close()`` disconnects and reaps the process;
/// ``MCPServerSet/with(_:environment:configuration:logger:_:)`` calls it on every path.
///
/// Over HTTP the SDK's `HTTPClientTransport` posts each message and reads a JSON answer; no event stream
/// is opened (the tools need no server-initiated messages, and the SDK's Linux client cannot read SSE
/// answers), so the server must answer `application/json`, as `stack mcp --http` does.
public final class MCPServerConnection: ToolSource {
    /// The command (or URL) as configured, naming the server in errors.
    public let command: String
    /// The server's name from its `initialize` answer (or ``UnavailableMCPServer/shortName(of:)``),
    /// prefixing tool names that clash with others.
    public let sourceName: String
    private let client: Client
    private let process: ChildProcess?
    private let timeout: Duration
    private let logger: Logger

    private init(command: String, sourceName: String, client: Client, process: ChildProcess?, timeout: Duration, logger: Logger) {
        self.command = command
        self.sourceName = sourceName
        self.client = client
        self.process = process
        self.timeout = timeout
        self.logger = logger
    }

    /// `command` as an MCP endpoint URL when it is one word starting with `http://` or `https://`.
    public static func httpURL(_ command: String) -> URL? {
        let trimmed = command.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://"), !trimmed.contains(" "),
            let url = URL(string: trimmed), url.host != nil
        else { return nil }
        return url
    }

    /// Starts `command` (through `/bin/sh -c`) and completes the MCP handshake; when `command` is an
    /// `http://` or `https://` URL, connects to the server there instead (no process is started).
    ///
    /// - Parameters:
    ///   - environment: the child's environment (unused for a URL).
    ///   - timeout: how long the handshake and each later request may take.
    /// - Throws: ``MCPServerError`` with code `failedToStart` when the command cannot run, exits, or does
    ///   not answer `initialize` in time, or the URL does not answer it; the process is reaped before it
    ///   is thrown.
    public static func start(
        _ command: String,
        environment: [String: String],
        timeout: Duration,
        logger: Logger
    ) async throws(MCPServerError) -> MCPServerConnection {
        let process: ChildProcess?
        let transport: any Transport
        if let url = httpURL(command) {
            process = nil
            // The SDK's client warns of "unexpected content type" on every 202 that accepts a
            // notification (it has no body, so no type); real failures still fail the request.
            var transportLogger = logger
            transportLogger.logLevel = max(logger.logLevel, .error)
            // URLSession's own limit (60 s by default) stays above STACK_MCP_TIMEOUT, so the race below
            // ends a slow request with `timedOut` first.
            let session = URLSessionConfiguration.default
            session.timeoutIntervalForRequest = Double(timeout.components.seconds) + 5
            transport = HTTPClientTransport(endpoint: url, configuration: session, streaming: false, logger: transportLogger)
        } else {
            do {
                let child = try ChildProcess.spawn(command, environment: environment)
                process = child
                transport = StdioTransport(input: child.output, output: child.input, logger: logger)
            } catch {
                throw MCPServerError(
                    .failedToStart, server: command, message: "could not run the command (\(error)); check it in a shell", underlying: error)
            }
        }
        let client = Client(name: "stack", version: "0.1.0")
        do {
            let initialized = try await race(process: process, timeout: timeout, command: command, abandon: { await client.disconnect() }) {
                try await client.connect(transport: transport)
            }
            let name = initialized.serverInfo.name.isEmpty ? UnavailableMCPServer.shortName(of: command) : initialized.serverInfo.name
            logger.debug(
                "MCP server started",
                metadata: [
                    "command": "\(MCPServerError.redacting(command))", "server": "\(name)", "pid": "\(process.map { "\($0.pid)" } ?? "none (HTTP)")",
                ]
            )
            return MCPServerConnection(command: command, sourceName: name, client: client, process: process, timeout: timeout, logger: logger)
        } catch {
            await client.disconnect()
            await process?.terminate()
            throw MCPServerError(.failedToStart, server: command, message: "did not start as an MCP server: \(error.message)", underlying: error)
        }
    }

    /// The server's tools as definitions the model can call, following `nextCursor` pages.
    public func listTools() async throws -> [LLMToolDefinition] {
        var definitions: [LLMToolDefinition] = []
        var cursor: String?
        repeat {
            let page = try await Self.race(process: process, timeout: timeout, command: command, abandon: { [client] in await client.disconnect() }) {
                [client, cursor] in
                try await client.listTools(cursor: cursor)
            }
            for tool in page.tools {
                definitions.append(
                    LLMToolDefinition(name: tool.name, description: tool.description ?? tool.title ?? "", parameters: try Self.json(tool.inputSchema))
                )
            }
            cursor = page.nextCursor
        } while cursor != nil
        return definitions
    }

    /// Calls `tool` with `arguments` (a JSON object), carrying the current trace context in `_meta`.
    ///
    /// - Returns: the text of the result's content (non-text parts are described).
    /// - Throws: ``MCPServerError``: `toolError` when the tool reported one, `timedOut`, `exited`,
    ///   `protocolError`, `malformedResult` or `invalidArguments`.
    public func callTool(_ tool: String, arguments: String) async throws -> String {
        let parsed = try parseArguments(arguments)
        let meta = TraceContextMetadata.injecting()
        let request: RequestContext<CallTool.Result>
        do {
            request = try await client.callTool(name: tool, arguments: parsed, meta: meta)
        } catch {
            throw MCPServerError(.exited, server: command, message: "is not connected (\(error))", underlying: error)
        }
        // Abandoned (timed out, process ended, run cancelled): MCP's cancellation notification tells the
        // server, and the pending request ends at once.
        let result = try await Self.race(
            process: process,
            timeout: timeout,
            command: command,
            abandon: { [client] in try? await client.cancelRequest(request.requestID, reason: "abandoned by the client") }
        ) { try await request.value }
        let text = Self.text(of: result)
        if result.isError == true {
            throw MCPServerError(.toolError, server: command, message: "tool '\(tool)' failed: \(text.isEmpty ? "(no message)" : text)")
        }
        return text
    }

    /// Disconnects and reaps the server process (closing its input, then SIGTERM, then SIGKILL).
    public func close() async {
        await client.disconnect()
        await process?.terminate()
    }

    /// The process id of the server (for tests and logs); `nil` for a server reached by URL.
    public var processID: Int32? { process?.pid }

    private func parseArguments(_ text: String) throws(MCPServerError) -> [String: Value]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return nil }
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(trimmed.utf8)), let object = value.objectValue else {
            throw MCPServerError(
                .invalidArguments, server: command, message: "the arguments are not a JSON object; send one matching the tool's schema")
        }
        return object
    }

    /// `body`, unless the process ends or `timeout` passes first, or the task is cancelled; then
    /// `abandon` runs, and must make `body` return (by failing the request it waits for).
    private static func race<T: Sendable>(
        process: ChildProcess?,
        timeout: Duration,
        command: String,
        abandon: @escaping @Sendable () async -> Void,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws(MCPServerError) -> T {
        do {
            return try await withThrowingTaskGroup(of: T.self) { group in
                group.addTask {
                    try await withTaskCancellationHandler {
                        try await body()
                    } onCancel: {
                        Task { await abandon() }
                    }
                }
                group.addTask {
                    let deadline = ContinuousClock.now.advanced(by: timeout)
                    while ContinuousClock.now < deadline {
                        if let ended = process?.exitDescription {
                            throw MCPServerError(.exited, server: command, message: "the server process \(ended); check its standard error")
                        }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    throw MCPServerError(
                        .timedOut, server: command, message: "no answer within \(timeout); raise STACK_MCP_TIMEOUT or fix the server")
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw CancellationError() }
                return first
            }
        } catch let error as MCPServerError {
            throw error
        } catch let error as MCPError {
            // The process may have died while the request failed; say so rather than "disconnected".
            if let ended = await process?.exitDescription(within: .milliseconds(200)) {
                throw MCPServerError(.exited, server: command, message: "the server process \(ended); check its standard error", underlying: error)
            }
            throw MCPServerError(.protocolError, server: command, message: "answered an error: \(error.localizedDescription)", underlying: error)
        } catch let error as URLError where error.code == .timedOut {
            throw MCPServerError(
                .timedOut, server: command, message: "no answer within \(timeout); raise STACK_MCP_TIMEOUT or fix the server", underlying: error)
        } catch let error as URLError {
            throw MCPServerError(
                .unreachable, server: command, message: "could not be reached (\(error.localizedDescription)); check that it runs at that URL",
                underlying: error)
        } catch is CancellationError {
            throw MCPServerError(.timedOut, server: command, message: "the call was cancelled", underlying: CancellationError())
        } catch {
            throw MCPServerError(
                .malformedResult, server: command, message: "answered something that is not an MCP result (\(error))", underlying: error)
        }
    }

    private static func json(_ value: Value) throws -> OpenInferenceJSON {
        try JSONDecoder().decode(OpenInferenceJSON.self, from: JSONEncoder().encode(value))
    }

    /// The text parts joined by newlines; images, audio and links are named, embedded resources inlined.
    static func text(of result: CallTool.Result) -> String {
        var parts: [String] = []
        for item in result.content {
            switch item {
            case .text(let text, _, _): parts.append(text)
            case .image(_, let mimeType, _, _): parts.append("[image \(mimeType)]")
            case .audio(_, let mimeType, _, _): parts.append("[audio \(mimeType)]")
            case .resource(let resource, _, _): parts.append(resource.text ?? "[resource \(resource.uri)]")
            case .resourceLink(let uri, let name, _, _, _, _): parts.append("[\(name)](\(uri))")
            }
        }
        if parts.isEmpty, let structured = result.structuredContent,
            let data = try? JSONEncoder().encode(structured), let text = String(data: data, encoding: .utf8)
        {
            return text
        }
        return parts.joined(separator: "\n")
    }
}
