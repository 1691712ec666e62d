import Foundation

/// Merges the events of a streamed Anthropic message into the message they stand for: `message_start`'s
/// message, each content block from its `content_block_start` with its deltas joined (text, thinking,
/// signature, the tool input's JSON pieces), and `message_delta`'s stop reason and usage.
struct AnthropicStream: Sendable {
    private var message: [String: OpenInferenceJSON]?
    private var blocks: [Int: [String: OpenInferenceJSON]] = [:]
    /// Joined deltas per block index: `text`, `thinking`, or a tool's `partial_json`.
    private var pieces: [Int: String] = [:]
    private(set) var isComplete = false
    /// The message of an `error` event (`overloaded_error`, …), which ends the stream.
    private(set) var failure: String?

    /// Adds one event; returns whether it carried content.
    mutating func add(_ event: [String: OpenInferenceJSON]) -> Bool {
        switch event["type"]?.stringValue {
        case "message_start":
            message = event["message"]?.objectValue
        case "content_block_start":
            guard let index = event["index"]?.intValue, let block = event["content_block"]?.objectValue else { return false }
            blocks[index] = block
            return true
        case "content_block_delta":
            guard let index = event["index"]?.intValue, let delta = event["delta"] else { return false }
            switch delta["type"]?.stringValue {
            case "text_delta": pieces[index, default: ""] += delta["text"]?.stringValue ?? ""
            case "thinking_delta": pieces[index, default: ""] += delta["thinking"]?.stringValue ?? ""
            case "input_json_delta": pieces[index, default: ""] += delta["partial_json"]?.stringValue ?? ""
            case "signature_delta": blocks[index, default: [:]]["signature"] = delta["signature"]
            default: break
            }
            return true
        case "message_delta":
            if message == nil { message = [:] }
            for (key, value) in event["delta"]?.objectValue ?? [:] { message?[key] = value }
            if let usage = event["usage"]?.objectValue {
                var merged = message?["usage"]?.objectValue ?? [:]
                for (key, value) in usage where value != .null { merged[key] = value }
                message?["usage"] = .object(merged)
            }
        case "message_stop":
            isComplete = true
        case "error":
            failure = WireHTTPError.message(in: .object(event)) ?? "the stream sent an error event"
            isComplete = true
        default:
            break
        }
        return false
    }

    /// The merged message, or `nil` before `message_start`.
    var merged: [String: OpenInferenceJSON]? {
        guard var message else { return nil }
        message["content"] = .array(
            blocks.keys.sorted().map { index in
                var block = blocks[index]!
                guard let joined = pieces[index] else { return .object(block) }
                switch block["type"]?.stringValue {
                case "text": block["text"] = .string((block["text"]?.stringValue ?? "") + joined)
                case "thinking": block["thinking"] = .string((block["thinking"]?.stringValue ?? "") + joined)
                case "tool_use" where !joined.isEmpty, "server_tool_use" where !joined.isEmpty:
                    // The input arrives as JSON text in pieces; kept as text when the pieces do not parse.
                    block["input"] = (try? OpenInferenceJSON.parse(Data(joined.utf8))) ?? .string(joined)
                default: break
                }
                return .object(block)
            }
        )
        return message
    }
}
