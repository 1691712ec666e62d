/// The error a span records when a model API answers with an HTTP error status, or a stream it had
/// begun with status 200 sends an error event.
struct WireHTTPError: Error, CustomStringConvertible {
    /// The status code (200 for an error that arrived inside a stream).
    var status: Int
    /// Whether the error arrived as an event of a stream.
    var inStream = false
    /// What the body said went wrong (`error.message` in every known API's error shape), if anything.
    var message: String?

    var description: String {
        if inStream { return "the stream sent an error: \(message ?? "no message")" }
        guard let message, !message.isEmpty else { return "the API answered HTTP \(status)" }
        return "the API answered HTTP \(status): \(message)"
    }

    /// The `error.message` (or `error` text) of an error body, as OpenAI, Anthropic and Gemini send it;
    /// Gemini's streamed form is an array holding the error object.
    static func message(in body: OpenInferenceJSON) -> String? {
        if let first = body.arrayValue?.first { return message(in: first) }
        guard let error = body["error"] else { return body["message"]?.stringValue }
        return error["message"]?.stringValue ?? error.stringValue
    }
}
