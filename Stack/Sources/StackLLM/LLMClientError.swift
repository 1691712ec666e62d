/// Why a model call failed, and what to do. Never contains the API key, request headers or a URL's
/// credentials: a server's error body is redacted (``SecretRedactor``) before it is kept here.
///
/// ``description`` is for the operator (logs, spans, the CLI): it names the server's URL and quotes its
/// redacted message. ``summary`` is for the clients of a service that calls the model: neither URL nor
/// the server's words.
public enum LLMClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The configuration cannot work.
    case invalidConfiguration(String)
    /// The server could not be reached.
    case connectionFailed(url: String, reason: String)
    /// No answer within the configured timeout.
    case timedOut(url: String, after: Duration)
    /// The server answered with an error status (after retries, for retryable ones).
    case httpStatus(Int, url: String, message: String)
    /// The answer was not the JSON (or event stream) of the OpenAI API.
    case malformedResponse(String)
    /// A streamed answer ended before `[DONE]`.
    case truncatedStream(received: Int)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message):
            return message
        case .connectionFailed(let url, let reason):
            return "could not connect to the model server at \(url) (\(reason)); is it running? Check OPENAI_BASE_URL."
        case .timedOut(let url, let after):
            return "the model server at \(url) did not answer within \(after); raise OPENAI_TIMEOUT or check the server's load."
        case .httpStatus(let status, let url, let message):
            return "the model server at \(url) answered HTTP \(status): \(message) (\(Self.hint(status: status)))"
        case .malformedResponse(let reason):
            return "the model server's answer could not be read: \(reason)"
        case .truncatedStream(let received):
            return "the model server's stream ended after \(received) events without [DONE]; the answer is incomplete."
        }
    }

    /// What a client of a service in front of the model may be told: what failed and what to check,
    /// without the server's URL or anything the server said.
    public var summary: String {
        switch self {
        case .invalidConfiguration:
            return "the model client is misconfigured; the service's logs say how"
        case .connectionFailed:
            return "the model server could not be reached; check that it is running and the service's OPENAI_BASE_URL"
        case .timedOut(_, let after):
            return "the model server did not answer within \(after); check its load or raise the service's OPENAI_TIMEOUT"
        case .httpStatus(let status, _, _):
            return "the model server answered HTTP \(status) (\(Self.hint(status: status)))"
        case .malformedResponse:
            return "the model server's answer could not be read as the OpenAI API's"
        case .truncatedStream:
            return "the model server's stream ended before it was complete"
        }
    }

    /// What to check after an error status.
    static func hint(status: Int) -> String {
        switch status {
        case 401, 403: return "check OPENAI_API_KEY"
        case 404: return "check OPENAI_BASE_URL (it should end in /v1) and the model name"
        case 429: return "rate limited even after retries; slow down or raise OPENAI_MAX_RETRIES"
        case 500...: return "the server failed even after retries"
        default: return "the server rejected the request"
        }
    }
}
