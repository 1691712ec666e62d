import Foundation
import Logging
import MCP
import OpenInference
import OpenInferenceMCP
import StackAgent
import Tracing

/// Serves a ``ToolRegistry`` as an MCP server: `tools/list` offers its definitions, and `tools/call` runs
/// the tool inside the registry's TOOL span, in the trace context the caller put in `_meta` (as
/// openinference-instrumentation-mcp does), so the span is a child of the caller's span in one trace.
///
/// A tool that fails answers `isError: true` with the error's text, as MCP asks, rather than a JSON-RPC
/// error; an unknown tool is a JSON-RPC "invalid params" error.
///
/// ```swift
/// let server = MCPToolServer(tools: ToolRegistry([NowTool()]), logger: logger)
/// try await server.run(transport: StdioTransport(logger: logger))
/// ```
public struct MCPToolServer: Sendable {
    /// The tools served.
    public var tools: ToolRegistry
    /// The server's name in the `initialize` answer.
    public var name: String
    /// Called after each tool call with its span ended, before the answer is sent: `stack mcp` flushes
    /// its spans here, so they reach the backend before the caller's do.
    public var afterCall: @Sendable () async -> Void
    private let logger: Logger

    /// Creates a server for `tools`.
    public init(tools: ToolRegistry, name: String = "stack", logger: Logger, afterCall: @escaping @Sendable () async -> Void = {}) {
        self.tools = tools
        self.name = name
        self.logger = logger
        self.afterCall = afterCall
    }

    /// Serves on `transport` until the client disconnects (end of input on stdio) or the task is cancelled.
    public func run(transport: any Transport) async throws {
        let server = try await makeServer()
        try await withTaskCancellationHandler {
            try await server.start(transport: transport)
            await server.waitUntilCompleted()
        } onCancel: {
            Task { await server.stop() }
        }
        await server.stop()
    }

    /// Answers one request of MCP's Streamable HTTP transport, statelessly: a fresh MCP server on the
    /// SDK's `StatelessHTTPServerTransport` handles the one message and is stopped.
    ///
    /// Tools need no session, so none is kept (no `Mcp-Session-Id`): `initialize` is answered, later
    /// requests are served without it (the server is not strict), answers are `application/json`, and
    /// GET and DELETE are 405. Notifications (`notifications/cancelled` among them) are accepted and
    /// have nothing to act on. A tool call continues the trace in `_meta`, else the request's
    /// `traceparent` header (``TraceContextMetadata/extracting(from:orHeadersOf:base:)``).
    ///
    /// - Parameter validation: the checks before a message is handled; ``httpValidation(origin:)`` by
    ///   default (localhost only).
    public func respond(to request: HTTPRequest, validation: any HTTPRequestValidationPipeline = MCPToolServer.httpValidation()) async -> HTTPResponse
    {
        let transport = StatelessHTTPServerTransport(validationPipeline: validation, logger: logger)
        let server: Server
        do {
            server = try await makeServer()
            try await server.start(transport: transport)
        } catch {
            logger.error("MCP server could not start for an HTTP request", metadata: ["error": "\(error)"])
            return .error(statusCode: 500, .internalError("the server could not start: \(error)"))
        }
        let response = await transport.handleRequest(request)
        await server.stop()
        return response
    }

    /// The checks an HTTP request passes before its message is handled: `origin` (the `Host` and `Origin`
    /// headers, against DNS rebinding; the loopback names by default), the client accepts JSON, the body
    /// is JSON, and the `MCP-Protocol-Version` header, when sent, is supported.
    public static func httpValidation(origin: OriginValidator = .localhost()) -> any HTTPRequestValidationPipeline {
        StandardValidationPipeline(validators: [
            origin, AcceptHeaderValidator(mode: .jsonOnly), ContentTypeValidator(), ProtocolVersionValidator(),
        ])
    }

    /// A server with the `tools/list` and `tools/call` handlers, not yet started.
    private func makeServer() async throws -> Server {
        let server = Server(name: name, version: "0.1.0", capabilities: .init(tools: .init(listChanged: false)))
        let tools = self.tools
        let afterCall = self.afterCall
        let logger = self.logger
        let listed = try tools.definitions.map { definition in
            Tool(name: definition.name, description: definition.description, inputSchema: try Self.value(definition.parameters))
        }
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: listed) }
        await server.withMethodHandler(CallTool.self) { parameters in
            guard tools.definitions.contains(where: { $0.name == parameters.name }) else {
                throw MCPError.invalidParams("there is no tool named '\(parameters.name)'; call tools/list for the tools")
            }
            let arguments = try Self.argumentsText(parameters.arguments)
            let context = TraceContextMetadata.extracting(from: parameters._meta, orHeadersOf: Server.currentHandlerContext?.httpContext)
            let result: CallTool.Result
            do {
                let output = try await InstrumentationContext.withValue(context) {
                    try await tools.execute(LLMToolCall(id: nil, name: parameters.name, arguments: arguments))
                }
                result = .init(content: [.text(text: output, annotations: nil, _meta: nil)], isError: false)
            } catch {
                logger.info("MCP tool call failed", metadata: ["tool": "\(parameters.name)", "error": "\(error)"])
                result = .init(content: [.text(text: "error: \(error)", annotations: nil, _meta: nil)], isError: true)
            }
            await afterCall()
            return result
        }
        return server
    }

    static func value(_ json: OpenInferenceJSON) throws -> Value {
        try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(json))
    }

    static func argumentsText(_ arguments: [String: Value]?) throws -> String {
        guard let arguments else { return "{}" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(arguments), as: UTF8.self)
    }
}
