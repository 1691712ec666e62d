import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NIOCore
import OpenInference
import Synchronization
import StackTelemetry
import Tracing

/// The outermost middleware: one SERVER span per request (continuing an incoming W3C `traceparent`),
/// `X-Trace-Id` on every response (errors and 404s included), the headers inner middleware left in
/// ``StackRequestContext/responseHeaders``, errors rendered as JSON, the request's metrics and one
/// structured log line carrying `trace_id` and `span_id`.
///
/// The span is an OpenInference CHAIN span, so Phoenix shows the request as the root of its trace
/// with the agent, model and tool spans beneath it; feedback on the trace attaches to it.
///
/// Metrics (swift-metrics): `http_server_request_duration_seconds{method,route,status}` and
/// `http_server_errors_total{route,status}` for answers of 400 and above.
public struct RequestTelemetryMiddleware: RouterMiddleware {
    public typealias Context = StackRequestContext

    /// The response header carrying the request's trace id (32 hex characters).
    public static let traceIDHeader = HTTPField.Name("X-Trace-Id")!

    /// The middleware; the tracer is whatever the task or `InstrumentationSystem` provides.
    public init() {}

    public func handle(
        _ request: Request,
        context: StackRequestContext,
        next: (Request, StackRequestContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        var parent = InstrumentationContext.current ?? .topLevel
        InstrumentationSystem.instrument.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let span = InstrumentationSystem.tracer.startAnySpan(
            "\(request.method.rawValue) \(request.uri.path)",
            context: parent,
            ofKind: .server
        )
        span.updateAttributes { attributes in
            attributes[SemanticConventions.spanKind] = OpenInferenceSpanKind.chain.rawValue
            attributes["http.request.method"] = request.method.rawValue
            attributes["url.path"] = request.uri.path
            attributes["user_agent.original"] = request.headers[.userAgent]
        }
        let traceID = span.context.spanContext?.traceIDHex
        let spanID = span.context.spanContext?.spanIDHex
        var context = context
        context.requestSpan = span

        var response: Response
        do {
            response = try await InstrumentationContext.$current.withValue(span.context) {
                try await next(request, context)
            }
        } catch {
            let apiError = Self.apiError(for: error, traceID: traceID)
            if apiError.status.code >= 500 {
                span.recordError(error)
                span.setStatus(SpanStatus(code: .error, message: apiError.message))
            }
            response = Self.errorResponse(apiError, traceID: traceID)
        }
        if let traceID { response.headers[Self.traceIDHeader] = traceID }
        for field in context.responseHeaders.headers { response.headers[field.name] = field.value }

        let route = context.endpointPath ?? "unmatched"
        let status = Int(response.status.code)
        span.operationName = "\(request.method.rawValue) \(route)"
        span.updateAttributes { attributes in
            attributes["http.route"] = route
            attributes["http.response.status_code"] = status
        }
        let duration = ContinuousClock.now - started
        Timer(
            label: "http_server_request_duration_seconds",
            dimensions: [("method", request.method.rawValue), ("route", route), ("status", String(status))]
        ).record(duration: duration)
        if status >= 400 {
            Counter(label: "http_server_errors_total", dimensions: [("route", route), ("status", String(status))]).increment()
        }
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
            "status": .stringConvertible(status),
            "duration_ms": .stringConvertible(Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15),
        ]
        if let traceID { metadata["trace_id"] = .string(traceID) }
        if let spanID { metadata["span_id"] = .string(spanID) }
        if let user = context.userID { metadata["user_id"] = .string(user) }
        context.logger.info("request", metadata: metadata)

        // A streamed body is written after this returns; the span ends when the last byte is out.
        let ending = SpanEnding(span)
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            defer { ending.end() }
            try await body.write(writer)
        }
        return response
    }

    /// Maps any error to what the client sees; unexpected errors become a 500 that points at the
    /// trace instead of leaking internals.
    static func apiError(for error: any Error, traceID: String?) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as HTTPError:
            if error.status == .notFound {
                return APIError(.notFound, type: "not_found", message: "no route for this method and path; see the README for the API")
            }
            return APIError(error.status, type: "http_error", message: error.body ?? error.status.reasonPhrase)
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, type: "request_too_large", message: "the request body is too large")
        default:
            return APIError(
                .internalServerError,
                type: "internal_error",
                message: "the server failed on this request; trace \(traceID ?? "unknown") in Phoenix holds the details"
            )
        }
    }

    static func errorResponse(_ error: APIError, traceID: String?) -> Response {
        var detail: [String: OpenInferenceJSON] = ["message": .string(error.message), "type": .string(error.type)]
        if let traceID { detail["trace_id"] = .string(traceID) }
        var response = StackAPI.json(["error": .object(detail)], status: error.status)
        if error.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }
}

/// Ends the request span exactly once: from the body's post-write hook, or when the response is
/// dropped unwritten (a client that hung up).
private final class SpanEnding: Sendable {
    private let span: Mutex<(any Span)?>
    init(_ span: any Span) { self.span = Mutex(span) }
    func end() { span.withLock { $0.take() }?.end() }
    deinit { end() }
}

/// Reads W3C trace context headers from Hummingbird's request headers.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        guard let name = HTTPField.Name(key) else { return nil }
        return carrier[name]
    }
}
