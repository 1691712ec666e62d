#if Phoenix
import PhoenixAPI

/// Why a call to Phoenix's REST API failed, and what to do.
///
/// A struct over a private reason, as async-http-client's errors are, so that new reasons can be added
/// without breaking code that handles these. Handle one kind by its ``code``
/// (`error.code == .httpStatus && error.status == 404`), or compare with `==` against a reason's
/// factory (``httpStatus(_:path:body:)`` and the others).
public struct PhoenixClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is, for code that handles one kind whatever its details.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// Phoenix did not answer at all.
        public static let unreachable = Code("unreachable")
        /// Phoenix answered with an error status; ``PhoenixClientError/status`` holds it.
        public static let httpStatus = Code("httpStatus")
        /// The answer was not the JSON this client understands.
        public static let unexpectedResponse = Code("unexpectedResponse")
        /// The spans asked for did not all arrive before the deadline.
        public static let timedOut = Code("timedOut")
        /// This Phoenix does not serve the route: it is older than the API this client was generated from.
        public static let unsupportedRoute = Code("unsupportedRoute")

        public var description: String { name }
    }

    private enum Reason: Sendable, Hashable {
        case unreachable(baseURL: String, reason: String)
        case httpStatus(Int, path: String, body: String)
        case unexpectedResponse(path: String, reason: String)
        case timedOut(waitingFor: String, seen: Int)
        case unsupportedRoute(String, serverVersion: String?)
    }

    private let reason: Reason

    private init(_ reason: Reason) { self.reason = reason }

    /// Phoenix did not answer at all (connection refused, DNS, TLS): `reason` says what the transport saw.
    public static func unreachable(baseURL: String, reason: String) -> Self {
        Self(.unreachable(baseURL: baseURL, reason: reason))
    }

    /// Phoenix answered `status` for `path`; `body` is the start of its answer.
    public static func httpStatus(_ status: Int, path: String, body: String) -> Self {
        Self(.httpStatus(status, path: path, body: body))
    }

    /// Phoenix's answer for `path` could not be read: `reason` says why.
    public static func unexpectedResponse(path: String, reason: String) -> Self {
        Self(.unexpectedResponse(path: path, reason: reason))
    }

    /// Gave up waiting for `waitingFor` after seeing `seen` of them.
    public static func timedOut(waitingFor: String, seen: Int) -> Self {
        Self(.timedOut(waitingFor: waitingFor, seen: seen))
    }

    /// This Phoenix does not serve `route` (`POST /v1/…`); `serverVersion` is what it reported, when it did.
    public static func unsupportedRoute(_ route: String, serverVersion: String?) -> Self {
        Self(.unsupportedRoute(route, serverVersion: serverVersion))
    }

    /// The kind of failure.
    public var code: Code {
        switch reason {
        case .unreachable: .unreachable
        case .httpStatus: .httpStatus
        case .unexpectedResponse: .unexpectedResponse
        case .timedOut: .timedOut
        case .unsupportedRoute: .unsupportedRoute
        }
    }

    /// The HTTP status Phoenix answered, for ``Code/httpStatus``; otherwise `nil`.
    public var status: Int? {
        if case .httpStatus(let status, _, _) = reason { return status }
        return nil
    }

    /// The API path or route the failure concerns (for example `/v1/prompts/agent/tags/production`), when
    /// there is one.
    public var path: String? {
        switch reason {
        case .httpStatus(_, let path, _), .unexpectedResponse(let path, _): path
        case .unsupportedRoute(let route, _): route
        case .unreachable, .timedOut: nil
        }
    }

    public var description: String {
        switch reason {
        case .unreachable(let baseURL, let reason):
            return "Phoenix at \(baseURL) did not answer (\(reason)). Start it with `scripts/phoenix.sh start` "
                + "or set PHOENIX_COLLECTOR_ENDPOINT to a running Phoenix."
        case .httpStatus(let status, let path, let body):
            let hint =
                status == 404 && path.contains("/prompt")
                ? " (unknown prompt or tag; push one with `stack prompt push`)"
                : status == 404
                    ? " (unknown project or span; check PHOENIX_PROJECT_NAME)"
                    : status == 401 ? " (set PHOENIX_API_KEY)" : ""
            return "Phoenix answered HTTP \(status) for \(path)\(hint): \(body)"
        case .unexpectedResponse(let path, let reason):
            return "Phoenix's answer for \(path) could not be read (\(reason)); is this Phoenix 8 or later?"
        case .timedOut(let waitingFor, let seen):
            return "gave up waiting for \(waitingFor) in Phoenix (saw \(seen)); spans are exported in batches, "
                + "so check that the exporter flushed and that the project name matches."
        case .unsupportedRoute(let route, let serverVersion):
            return "Phoenix \(serverVersion ?? "(version unknown)") does not serve \(route); this client was generated from "
                + "Phoenix \(PhoenixDocument.serverVersion)'s API, so upgrade Phoenix to \(PhoenixDocument.serverVersion) or later."
        }
    }
}
#endif  // Phoenix
