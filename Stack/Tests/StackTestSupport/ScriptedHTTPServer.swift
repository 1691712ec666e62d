import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An HTTP server inside the process that answers each request with the next scripted reply and records
/// what it was sent: the fake OpenAI-compatible model, OTLP collector and Phoenix of the tests, and the
/// model of `make soak` (`StackBench fake-model`).
public final class ScriptedHTTPServer: Sendable {
    public struct Reply: Sendable {
        public var status: Int = 200
        public var headers: [(String, String)] = [("Content-Type", "application/json")]
        /// Written one after another, each flushed on its own (so SSE events arrive separately).
        public var chunks: [String]
        /// How long the server waits before answering (a slow model or collector).
        public var delay: Duration = .zero
        /// Answers with the request's line and headers as the body instead of ``chunks`` (a misbehaving
        /// server that echoes what it was sent, credentials included).
        public var echoesRequest = false

        public init(status: Int = 200, headers: [(String, String)] = [("Content-Type", "application/json")], chunks: [String]) {
            self.status = status
            self.headers = headers
            self.chunks = chunks
        }

        public static func json(_ body: String, status: Int = 200, headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: [("Content-Type", "application/json")] + headers, chunks: [body])
        }

        /// A `status` answer whose plain-text body echoes the request line and every header, as a
        /// debugging proxy or a careless server would.
        public static func echoingRequest(status: Int = 500) -> Reply {
            var reply = Reply(status: status, headers: [("Content-Type", "text/plain")], chunks: [])
            reply.echoesRequest = true
            return reply
        }

        /// This reply, answered after `delay`.
        public func delayed(by delay: Duration) -> Reply {
            var reply = self
            reply.delay = delay
            return reply
        }

        public static func events(_ payloads: [String], done: Bool = true) -> Reply {
            var chunks = payloads.map { "data: \($0)\n\n" }
            if done { chunks.append("data: [DONE]\n\n") }
            return Reply(headers: [("Content-Type", "text/event-stream")], chunks: chunks)
        }
    }

    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [String: String]
        public var body: String
        /// The headers as sent, names as written, in order.
        public var rawHeaders: [(String, String)] = []

        public var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        }
    }

    private let replies: Mutex<[Reply]>
    private let received = Mutex<[Request]>([])
    private let channel: Mutex<(any Channel)?> = Mutex(nil)
    private let cycles: Bool
    private let recordsRequests: Bool

    /// - Parameters:
    ///   - replies: answered in order.
    ///   - cycle: start again from the first reply when they run out (for benchmarks and sinks),
    ///     and keep connections open between requests.
    ///   - recordRequests: keep every request for inspection (off for long benchmark runs).
    public init(_ replies: [Reply], cycle: Bool = false, recordRequests: Bool = true) {
        self.replies = Mutex(replies)
        self.cycles = cycle
        self.recordsRequests = recordRequests
    }

    public var requests: [Request] { received.withLock { $0 } }

    /// Starts listening on a free loopback port and returns the API root (`http://127.0.0.1:PORT/v1`).
    public func start() async throws -> URL {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(server: self))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        self.channel.withLock { $0 = channel }
        return URL(string: "http://127.0.0.1:\(channel.localAddress!.port!)/v1")!
    }

    public func stop() async throws {
        try await channel.withLock { $0 }?.close()
    }

    fileprivate var keepsAlive: Bool { cycles }

    fileprivate func nextReply(for request: Request) -> Reply {
        if recordsRequests { received.withLock { $0.append(request) } }
        return replies.withLock { replies in
            guard !replies.isEmpty else {
                return .json(#"{"error":{"message":"no scripted reply left"}}"#, status: 500)
            }
            var reply = replies.removeFirst()
            if cycles { replies.append(reply) }
            if reply.echoesRequest {
                let lines = ["\(request.method) \(request.path) HTTP/1.1"] + request.rawHeaders.map { "\($0.0): \($0.1)" }
                reply.chunks = [lines.joined(separator: "\r\n") + "\r\n"]
            }
            return reply
        }
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let server: ScriptedHTTPServer
        var head: HTTPRequestHead?
        var body = ByteBuffer()

        init(server: ScriptedHTTPServer) {
            self.server = server
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body.clear()
            case .body(var part):
                // A sink that keeps nothing (benchmarks) reads and drops the bytes.
                if server.recordsRequests { body.writeBuffer(&part) }
            case .end:
                guard let head else { return }
                let request = Request(
                    method: head.method.rawValue,
                    path: head.uri,
                    headers: Dictionary(head.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { $1 }),
                    body: server.recordsRequests ? String(buffer: body) : "",
                    rawHeaders: head.headers.map { ($0.name, $0.value) }
                )
                let reply = server.nextReply(for: request)
                var headers = HTTPHeaders(reply.headers)
                let keepAlive = server.keepsAlive && head.isKeepAlive
                if !keepAlive { headers.add(name: "Connection", value: "close") }
                let total = reply.chunks.reduce(0) { $0 + $1.utf8.count }
                if reply.chunks.count == 1 || keepAlive { headers.add(name: "Content-Length", value: String(total)) }
                let responseHead = HTTPResponseHead(
                    version: .http1_1,
                    status: HTTPResponseStatus(statusCode: reply.status),
                    headers: headers
                )
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
                let answer: @Sendable () -> Void = {
                    let context = bound.value
                    let this = handler.value
                    context.write(this.wrapOutboundOut(.head(responseHead)), promise: nil)
                    for chunk in reply.chunks {
                        context.writeAndFlush(this.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: chunk)))), promise: nil)
                    }
                    let ended = context.writeAndFlush(this.wrapOutboundOut(.end(nil)))
                    if !keepAlive {
                        ended.whenComplete { _ in bound.value.close(promise: nil) }
                    }
                }
                if reply.delay > .zero {
                    let (seconds, attoseconds) = reply.delay.components
                    let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
                    context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) { answer() }
                } else {
                    answer()
                }
            }
        }
    }
}
