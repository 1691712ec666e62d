import Hummingbird
import Tracing

/// A request context that carries the request's SERVER span, for the middleware that need it.
public protocol RequestSpanContext: RequestContext {
    /// The SERVER span of the request (set by ``RequestSpanMiddleware``).
    var requestSpan: (any Span)? { get set }
}

/// A request context with headers an inner middleware wants on the answer, errors included.
public protocol ResponseHeadersContext: RequestContext {
    /// Shared by every copy of the context; applied by ``ResponseHeadersMiddleware``.
    var responseHeaders: ResponseHeaderSink { get }
}

/// A request context that knows who is asking.
public protocol AuthenticatedUserContext: RequestContext {
    /// The user the request's API key belongs to (set by ``APIKeyMiddleware``).
    var userID: String? { get set }
    /// The role of the request's API key, if it has one.
    var userRole: APIUser.Role? { get set }
}

/// A request context whose body limit a middleware sets from the service's configuration.
public protocol UploadLimitContext: RequestContext {
    /// The largest request body accepted, in bytes: Hummingbird's `maxUploadSize`, settable.
    var maxUploadSize: Int { get set }
}

/// A request context that knows whether the chat page asks, and from where.
public protocol PageSessionContext: RequestContext {
    /// The trace-id prefix of the page load whose page token authenticated the request (set by
    /// ``PageAccessMiddleware``); `nil` for API-key requests.
    var pageTracePrefix: String? { get set }
    /// The client's IP address, for per-address rate limits; `nil` when unknown.
    var clientAddress: String? { get }
}
