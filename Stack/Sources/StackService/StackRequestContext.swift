import Hummingbird
import NIOCore
import Tracing

/// The request context of every route: Hummingbird's core storage plus who is asking and the
/// request's span, so handlers can attribute work without passing them around.
public struct StackRequestContext: RequestSpanContext, ResponseHeadersContext, AuthenticatedUserContext, UploadLimitContext,
    PageSessionContext
{
    /// Hummingbird's own per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The user the request's API key belongs to (set by ``APIKeyMiddleware``).
    public var userID: String?
    /// The role of the request's API key, if it has one (set by ``APIKeyMiddleware``).
    public var userRole: APIUser.Role?
    /// The SERVER span of the request (set by ``RequestSpanMiddleware``).
    public var requestSpan: (any Span)?
    /// Headers an inner middleware wants on the answer, errors included; shared by every copy of
    /// this context and applied by ``ResponseHeadersMiddleware``.
    public let responseHeaders = ResponseHeaderSink()
    /// The largest request body accepted (set by ``UploadLimitMiddleware``; 1 MiB until then).
    public var maxUploadSize = 1 << 20
    /// The trace-id prefix of the chat page load asking (set by ``PageAccessMiddleware``).
    public var pageTracePrefix: String?
    /// The client's IP address, when the connection has one.
    public let clientAddress: String?

    /// A context for one request, before authentication.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }
}
