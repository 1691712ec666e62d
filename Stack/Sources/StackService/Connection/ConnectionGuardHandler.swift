import Foundation
import NIOCore
import NIOHTTP1
import OpenInference
import Tracing
import _OpenInferenceHTTP

/// Guards one HTTP/1 connection at the level of NIO's HTTP/1 parts, between NIO's codec and
/// Hummingbird's: it enforces ``ConnectionTimeouts``, answers a request NIO cannot parse (headers over
/// the size limit, a malformed request line) with a JSON 400 and closes the connection instead of
/// leaving it half-closed, and closes after the answer to a request that did not ask to keep the
/// connection alive (HTTP/1.0 without `keep-alive`, `Connection: close`).
///
/// ``ByteWatcher``, first in the pipeline, tells it when the first byte of a request arrives, so the
/// header deadline starts then and the idle one before.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Tells its guard that bytes arrived; sits before NIO's HTTP decoder.
    final class ByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        private var watched: ConnectionGuardHandler?

        init(_ watched: ConnectionGuardHandler) {
            self.watched = watched
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            watched?.bytesArrived()
            context.fireChannelRead(data)
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            watched = nil
        }
    }

    /// Where the connection is: waiting, reading a head, reading a body, or answering.
    enum Stage { case idle, head, body, answering }

    let timeouts: ConnectionTimeouts
    private var stage = Stage.idle
    /// A response head is out and its end is not.
    private var responding = false
    private var closesAfterAnswer = false
    private var deadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(timeouts: ConnectionTimeouts) {
        self.timeouts = timeouts
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { enter(.idle) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        enter(.idle)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func bytesArrived() {
        if stage == .idle { enter(.head) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            closesAfterAnswer = !head.isKeepAlive
            enter(.body)
        case .body:
            break
        case .end:
            enter(.answering)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head:
            responding = true
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            responding = false
            if closesAfterAnswer {
                context.writeAndFlush(data, promise: promise)
                context.close(promise: nil)
            } else {
                context.write(data, promise: promise)
                if stage == .answering { enter(.idle) }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parse = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        // Swallowed here: Hummingbird would answer an empty 400 and then wait for the client to close.
        refuse(
            .badRequest, type: "invalid_request_error",
            message: "the request line or headers could not be parsed (\(parse)); headers may hold at most 80 KiB. The connection is closed."
        )
    }

    private func enter(_ next: Stage) {
        stage = next
        deadline?.cancel()
        deadline = nil
        guard let context else { return }
        let limit: Duration
        switch next {
        case .idle: limit = timeouts.idle
        case .head: limit = timeouts.header
        case .body: limit = timeouts.read
        case .answering: return
        }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(limit.nanoseconds)) { [self] in
            expired(next)
        }
    }

    private func expired(_ expired: Stage) {
        deadline = nil
        guard expired == stage else { return }
        switch expired {
        case .idle:
            context?.close(promise: nil)
        case .head:
            refuse(
                .requestTimeout, type: "request_timeout",
                message:
                    "the request line and headers did not arrive within \(timeouts.header.readable) (STACK_HEADER_TIMEOUT); the connection is closed"
            )
        case .body:
            refuse(
                .requestTimeout, type: "request_timeout",
                message: "the request body did not arrive within \(timeouts.read.readable) (STACK_READ_TIMEOUT); the connection is closed"
            )
        case .answering:
            break
        }
    }

    /// Answers `status` with the API's JSON error and a trace of its own (one ERROR span), then closes;
    /// once an answer has begun, only closes.
    private func refuse(_ status: HTTPResponseStatus, type: String, message: String) {
        guard let context else { return }
        deadline?.cancel()
        deadline = nil
        stage = .answering
        guard !responding else {
            context.close(promise: nil)
            return
        }
        let span = InstrumentationSystem.tracer.startSpan("HTTP \(status.code)", context: .topLevel, ofKind: .server)
        span.attributes["http.response.status_code"] = Int(status.code)
        span.attributes["error.type"] = type
        span.setStatus(SpanStatus(code: .error, message: message))
        let traceID = InstrumentationContext.$current.withValue(span.context) { TraceParent.current?.traceID }
        span.end()
        let answer = ErrorAnswer(error: .init(type: type, message: message, traceID: traceID))
        let body = ByteBuffer(bytes: (try? JSONEncoder().encode(answer)) ?? Data("{}".utf8))
        var headers = HTTPHeaders([
            ("Content-Type", "application/json"), ("Content-Length", String(body.readableBytes)), ("Connection", "close"),
        ])
        if let traceID { headers.add(name: "X-Trace-Id", value: traceID) }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.close(promise: nil)
    }
}
