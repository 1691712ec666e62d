import HTTPTypes
import Synchronization

/// Headers to put on a request's answer, whichever way it ends: a middleware deep in the chain
/// sets them, and ``ResponseHeadersMiddleware`` adds them to the response it sends, including
/// the JSON error it renders from a thrown error (which an inner middleware never sees as a response).
public final class ResponseHeaderSink: Sendable {
    private let fields = Mutex(HTTPFields())

    /// An empty sink.
    public init() {}

    /// Sets `name` to `value` on the answer, replacing an earlier value.
    public func set(_ name: HTTPField.Name, _ value: String) {
        fields.withLock { $0[name] = value }
    }

    /// The headers set so far.
    public var headers: HTTPFields { fields.withLock { $0 } }
}
