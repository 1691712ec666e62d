#if Phoenix
import PhoenixAPI

/// Why a call to Phoenix's REST API failed, and what to do.
public enum PhoenixClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Phoenix did not answer at all.
    case unreachable(baseURL: String, reason: String)
    /// Phoenix answered with an error status.
    case httpStatus(Int, path: String, body: String)
    /// The answer was not the JSON this client understands.
    case unexpectedResponse(path: String, reason: String)
    /// The spans asked for did not all arrive before the deadline.
    case timedOut(waitingFor: String, seen: Int)
    /// This Phoenix does not serve the route (`POST /v1/…`): it is older than the API this client was
    /// generated from. `serverVersion` is what the server reported, when it did.
    case unsupportedRoute(String, serverVersion: String?)

    public var description: String {
        switch self {
        case .unreachable(let baseURL, let reason):
            return "Phoenix at \(baseURL) did not answer (\(reason)). Start it with `scripts/phoenix.sh start` "
                + "or set PHOENIX_COLLECTOR_ENDPOINT to a running Phoenix."
        case .httpStatus(let status, let path, let body):
            let hint =
                status == 404 && path.contains("/prompt") ? " (unknown prompt or tag; push one with `stack prompt push`)"
                : status == 404 ? " (unknown project or span; check PHOENIX_PROJECT_NAME)"
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
