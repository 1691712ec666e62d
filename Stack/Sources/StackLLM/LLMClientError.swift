/// Why a model call failed, and what to do. Never contains the API key or request headers.
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
            let hint: String
            switch status {
            case 401, 403: hint = "check OPENAI_API_KEY"
            case 404: hint = "check OPENAI_BASE_URL (it should end in /v1) and the model name"
            case 429: hint = "rate limited even after retries; slow down or raise OPENAI_MAX_RETRIES"
            case 500...: hint = "the server failed even after retries"
            default: hint = "the server rejected the request"
            }
            return "the model server at \(url) answered HTTP \(status): \(message) (\(hint))"
        case .malformedResponse(let reason):
            return "the model server's answer could not be read: \(reason)"
        case .truncatedStream(let received):
            return "the model server's stream ended after \(received) events without [DONE]; the answer is incomplete."
        }
    }
}
