/// The error a span records when a model API answers with an HTTP error status.
struct WireHTTPError: Error, CustomStringConvertible {
    /// The status code.
    var status: Int
    /// What the body said went wrong (`error.message` in every known API's error shape), if anything.
    var message: String?

    var description: String {
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
