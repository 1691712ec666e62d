import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MCP
import NIOCore
import _OpenInferenceHTTP

/// An ``MCPToolServer`` served over MCP's Streamable HTTP transport at ``path`` (`/mcp`): a Hummingbird
/// application whose one route converts each request to the SDK's framework-agnostic `HTTPRequest`,
/// lets ``MCPToolServer/respond(to:validation:)`` answer it, and converts the answer back.
///
/// ```swift
/// let endpoint = MCPHTTPEndpoint(server: MCPToolServer(tools: tools, logger: logger), host: "127.0.0.1", port: 8765, logger: logger)
/// try await endpoint.application().runService()  // POST http://127.0.0.1:8765/mcp
/// ```
///
/// Requests must name the endpoint's host in `Host` (and `Origin`, when a browser sends one), by the
/// rule of ``AllowedHosts`` that `stack serve` follows too: a loopback address accepts the loopback
/// names on any port, another address accepts itself on the bound port, so a web page elsewhere cannot
/// reach the tools through DNS rebinding. A wildcard address (`0.0.0.0`, `::`) cannot know the names it
/// is reached by, so it checks neither: serving every interface is a deliberate exposure, to put behind
/// a proxy that authenticates.
public struct MCPHTTPEndpoint: Sendable {
    /// Where the endpoint answers.
    public static let path = "/mcp"
    /// The largest request body read, in bytes; larger ones are refused with 413.
    public static let maxBodyBytes = 4 << 20

    /// The server answering each request.
    public var server: MCPToolServer
    /// The address to listen on (`127.0.0.1` by default in `stack mcp --http`).
    public var host: String
    /// The port to listen on; 0 picks a free one (reported to `onServerRunning`).
    public var port: Int
    private let logger: Logger

    /// Creates an endpoint for `server` on `host`:`port`.
    public init(server: MCPToolServer, host: String, port: Int, logger: Logger) {
        self.server = server
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// The Hummingbird application serving ``path``; run it (or add it to a `ServiceGroup`) to serve.
    ///
    /// - Parameter onServerRunning: called once listening, with the bound port (the chosen one when
    ///   ``port`` is 0).
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router()
        let server = self.server
        let validation = MCPToolServer.httpValidation(origin: Self.originValidator(host: host, port: port))
        for method in [HTTPTypes.HTTPRequest.Method.post, .get, .delete] {
            router.on(RouterPath(Self.path), method: method) { request, _ in
                await Self.respond(to: request, server: server, validation: validation)
            }
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "stack-mcp"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// The SDK's `Host`/`Origin` check with the patterns of ``AllowedHosts`` for `host`:`port` (the rule
    /// `stack serve` applies too): nothing checked for a wildcard address.
    package static func originValidator(host: String, port: Int) -> OriginValidator {
        let allowed = AllowedHosts(listeningOn: host, port: port)
        guard allowed.isChecking else { return .disabled }
        return OriginValidator(allowedHosts: allowed.hostPatterns, allowedOrigins: allowed.originPatterns)
    }

    /// One Hummingbird request through ``MCPToolServer/respond(to:validation:)``.
    static func respond(to request: Request, server: MCPToolServer, validation: any HTTPRequestValidationPipeline) async -> Response {
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            return Response(
                status: .contentTooLarge, body: ResponseBody(byteBuffer: ByteBuffer(string: "the body is larger than \(maxBodyBytes) bytes\n")))
        }
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = headers[field.name.canonicalName].map { "\($0), \(field.value)" } ?? field.value
        }
        // The SDK validates `Host`; HTTP/1.1 carries it in the authority, which Hummingbird keeps apart.
        if let authority = request.head.authority { headers["host"] = authority }
        let answer = await server.respond(
            to: MCP.HTTPRequest(
                method: request.method.rawValue, headers: headers, body: bytes.readableBytes == 0 ? nil : Data(bytes.readableBytesView),
                path: request.uri.path),
            validation: validation
        )
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        let status = HTTPTypes.HTTPResponse.Status(code: answer.statusCode)
        switch answer {
        case .stream(let events, _):
            return Response(
                status: status, headers: fields,
                body: ResponseBody { writer in
                    for try await event in events { try await writer.write(ByteBuffer(bytes: event)) }
                    try await writer.finish(nil)
                })
        default:
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.bodyData ?? Data())))
        }
    }
}
