import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 channel with a ``ConnectionGuardHandler`` in its pipeline: the per-connection
/// timeouts and the closing of connections after a parse error or a non-keep-alive answer.
///
/// ```swift
/// let app = Application(router: router, server: .guardedHTTP1(timeouts: ConnectionTimeouts()))
/// ```
public struct GuardedHTTP1Channel: ServerChildChannel {
    public typealias Value = HTTP1Channel.Value

    /// The channel doing the HTTP work.
    public let inner: HTTP1Channel
    /// The deadlines of each connection.
    public let timeouts: ConnectionTimeouts

    /// Guards `inner`'s connections with `timeouts`.
    public init(inner: HTTP1Channel, timeouts: ConnectionTimeouts) {
        self.inner = inner
        self.timeouts = timeouts
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let timeouts = self.timeouts
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            // Between NIO's HTTP/1 codec and Hummingbird's conversion to HTTP types, so it sees the
            // parser's errors and the request's version; its byte watcher goes before everything.
            let operations = channel.pipeline.syncOperations
            let guardHandler = ConnectionGuardHandler(timeouts: timeouts)
            let codec = try operations.handler(type: HTTP1ToHTTPServerCodec.self)
            try operations.addHandler(guardHandler, position: .before(codec))
            try operations.addHandler(ConnectionGuardHandler.ByteWatcher(guardHandler), position: .first)
            return value
        }
    }

    public func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// An HTTP/1 server whose connections are guarded by `timeouts` (see ``GuardedHTTP1Channel``).
    public static func guardedHTTP1(
        configuration: HTTP1Channel.Configuration = .init(), timeouts: ConnectionTimeouts
    ) -> HTTPServerBuilder {
        .init { responder in
            GuardedHTTP1Channel(inner: HTTP1Channel(responder: responder, configuration: configuration), timeouts: timeouts)
        }
    }
}
