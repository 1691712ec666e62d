import HTTPTypes
import Hummingbird
import OpenInference
import Synchronization
import Tracing

/// Makes each request a SERVER span, continuing an incoming `traceparent`, and answers with its trace id
/// in `X-Trace-Id`.
///
/// The span is also an OpenInference CHAIN span, so Phoenix lists the request as the trace's root. It is
/// current while inner middleware and handlers run, and ends when the last byte of the answer is out, so
/// a streamed answer is inside it. Errors are answers by the time they reach it (``ErrorResponseMiddleware``).
public struct RequestSpanMiddleware<Context: RequestSpanContext>: RouterMiddleware {
    /// `X-Trace-Id`: the trace of the answer, 32 hex characters.
    public static var traceIDHeader: HTTPField.Name { HTTPField.Name("X-Trace-Id")! }

    /// Whether a request may continue the trace its `traceparent` names (its trace id given); one that
    /// may not starts a trace of its own.
    let admitsParent: @Sendable (Request, String) -> Bool

    /// The middleware; `admitsParent` decides which requests may continue their caller's trace (all by default).
    public init(admitsParent: @escaping @Sendable (Request, String) -> Bool = { _, _ in true }) {
        self.admitsParent = admitsParent
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var parent = InstrumentationContext.current ?? .topLevel
        let named = request.headers[HTTPField.Name("traceparent")!].flatMap(TraceParent.init(header:))
        if let named, admitsParent(request, named.traceID) {
            InstrumentationSystem.instrument.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        }
        let span: any Span = InstrumentationSystem.tracer.startSpan(
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
        var context = context
        context.requestSpan = span
        let (answer, traceID) = try await InstrumentationContext.$current.withValue(span.context) {
            let answer = try await next(request, context)
            return (answer, TraceParent.current?.traceID)
        }
        var response = answer
        if let traceID { response.headers[Self.traceIDHeader] = traceID }
        let route = context.endpointPath ?? "unmatched"
        span.operationName = "\(request.method.rawValue) \(route)"
        span.updateAttributes { attributes in
            attributes["http.route"] = route
            attributes["http.response.status_code"] = Int(response.status.code)
        }
        // A streamed body is written after this returns; the span ends when the last byte is out.
        let ending = SpanEnding(span)
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            defer { ending.end() }
            do {
                try await body.write(writer)
            } catch {
                // The status line is out (200, say), but the client did not get the whole answer: the
                // span says so itself instead of ending UNSET under a success code.
                span.attributes["stack.response.incomplete"] = true
                span.setStatus(SpanStatus(code: .error, message: "the answer was cut off while it was written: \(error)"))
                throw error
            }
        }
        return response
    }
}

/// Ends a span once, when the body is written or, failing that, when the answer is dropped.
private final class SpanEnding: Sendable {
    private let span: Mutex<(any Span)?>
    init(_ span: any Span) { self.span = Mutex(span) }
    func end() { span.withLock { $0.take() }?.end() }
    deinit { end() }
}

/// Reads W3C trace context from request headers.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        guard let name = HTTPField.Name(key) else { return nil }
        return carrier[name]
    }
}
