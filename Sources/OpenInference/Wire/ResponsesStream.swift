/// Follows the events of a streamed OpenAI response: the final response when `response.completed`,
/// `response.incomplete` or `response.failed` carries it, otherwise the response of `response.created` with
/// the output items that arrived and the text of a message still in progress.
struct ResponsesStream: Sendable {
    private var created: [String: OpenInferenceJSON]?
    private var final: [String: OpenInferenceJSON]?
    private var items: [Int: [String: OpenInferenceJSON]] = [:]
    /// The text deltas of each output item (by `output_index`) not yet done.
    private var texts: [Int: String] = [:]

    /// What an `error` event or a failed response said went wrong.
    private(set) var failure: String?

    var isComplete: Bool { final != nil || failure != nil }

    /// Adds one event; returns whether it carried a piece of the answer (a `….delta` event).
    mutating func add(_ event: [String: OpenInferenceJSON]) -> Bool {
        guard let type = event["type"]?.stringValue else { return false }
        switch type {
        case "response.created", "response.in_progress":
            created = event["response"]?.objectValue ?? created
        case "response.completed", "response.incomplete", "response.failed":
            final = event["response"]?.objectValue
            if type == "response.failed" {
                failure = event["response"]?["error"]?["message"]?.stringValue ?? "the response failed"
            }
        case "error":
            failure = event["message"]?.stringValue ?? WireHTTPError.message(in: .object(event)) ?? "the stream sent an error event"
        case "response.output_item.added", "response.output_item.done":
            if let index = event["output_index"]?.intValue, let item = event["item"]?.objectValue {
                items[index] = item
                if type == "response.output_item.done" { texts[index] = nil }
            }
        case "response.output_text.delta":
            if let index = event["output_index"]?.intValue {
                texts[index, default: ""] += event["delta"]?.stringValue ?? ""
            }
            return true
        default:
            return type.hasSuffix(".delta")
        }
        return false
    }

    /// The response the events stand for, or `nil` before any response or item arrived.
    var merged: [String: OpenInferenceJSON]? {
        if let final { return final }
        guard created != nil || !items.isEmpty else { return nil }
        var response = created ?? [:]
        response["output"] = .array(
            items.keys.sorted().map { index in
                var item = items[index]!
                if let text = texts[index] {
                    item["content"] = [["type": "output_text", "text": .string(text)]]
                }
                return .object(item)
            }
        )
        return response
    }
}
