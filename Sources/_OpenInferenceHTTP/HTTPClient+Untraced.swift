#if Telemetry || Phoenix
import AsyncHTTPClient

extension HTTPClient {
    /// A new client with AsyncHTTPClient's own tracing off: the caller's spans describe its requests, and
    /// an exporter's requests must never become spans that are exported in turn. The caller shuts it down.
    public static func untraced(connectTimeout: Duration) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.tracing.tracer = nil
        configuration.timeout = .init(connect: .nanoseconds(connectTimeout.nanoseconds))
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// The process's shared untraced client, for components the application gives no client of their own.
    /// Like AsyncHTTPClient's own `HTTPClient.shared`, it lives as long as the process and is never shut down.
    public static let sharedUntraced: HTTPClient = .untraced(connectTimeout: .seconds(3))
}
#endif  // Telemetry || Phoenix
