import Hummingbird
import Metrics

/// Records each request's duration (`http_server_request_duration_seconds`) and counts error answers
/// (`http_server_errors_total`), by method, route and status, through swift-metrics.
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        let status = String(response.status.code)
        Timer(label: "http_server_request_duration_seconds", dimensions: [("method", request.method.rawValue), ("route", route), ("status", status)])
            .record(duration: ContinuousClock.now - started)
        if response.status.code >= 400 {
            Counter(label: "http_server_errors_total", dimensions: [("route", route), ("status", status)]).increment()
        }
        return response
    }
}
