/// Merges the chunks of a streamed chat completion into the one completion they stand for: each choice's
/// `delta` text and tool-call fragments (by `index`) joined into a `message`, the last `finish_reason`,
/// and the `usage` of the final chunk.
struct ChatStream: Sendable {
    private struct Choice: Sendable {
        var role: String?
        var content = ""
        var hasContent = false
        var calls: [Int: (id: String?, name: String, arguments: String)] = [:]
        var functionCall: (name: String, arguments: String)?
        var finishReason: String?
    }

    /// The chunk's top-level fields other than `choices` (`id`, `model`, `created`, `usage`, …), latest wins.
    private var fields: [String: OpenInferenceJSON] = [:]
    private var choices: [Int: Choice] = [:]
    private var chunks = 0

    /// Adds one chunk; returns whether it carried a delta (the first one marks the first token).
    mutating func add(_ chunk: [String: OpenInferenceJSON]) -> Bool {
        chunks += 1
        for (key, value) in chunk where key != "choices" && value != .null { fields[key] = value }
        var sawDelta = false
        for (position, choiceJSON) in (chunk["choices"]?.arrayValue ?? []).enumerated() {
            let index = choiceJSON["index"]?.intValue ?? position
            // Taken out while it grows, so appending to its text does not copy what came before.
            var choice = choices.removeValue(forKey: index) ?? Choice()
            if let reason = choiceJSON["finish_reason"]?.stringValue { choice.finishReason = reason }
            if let delta = choiceJSON["delta"], delta != .null {
                sawDelta = true
                if let role = delta["role"]?.stringValue { choice.role = role }
                if let text = delta["content"]?.stringValue, !text.isEmpty {
                    choice.content += text
                    choice.hasContent = true
                }
                for (callPosition, call) in (delta["tool_calls"]?.arrayValue ?? []).enumerated() {
                    let callIndex = call["index"]?.intValue ?? callPosition
                    var current = choice.calls.removeValue(forKey: callIndex) ?? (nil, "", "")
                    if let id = call["id"]?.stringValue { current.id = id }
                    if let name = call["function"]?["name"]?.stringValue { current.name += name }
                    if let arguments = call["function"]?["arguments"]?.stringValue { current.arguments += arguments }
                    choice.calls[callIndex] = current
                }
                if let call = delta["function_call"], call != .null {
                    var current = choice.functionCall.take() ?? ("", "")
                    if let name = call["name"]?.stringValue { current.name += name }
                    if let arguments = call["arguments"]?.stringValue { current.arguments += arguments }
                    choice.functionCall = current
                }
            }
            choices[index] = choice
        }
        return sawDelta
    }

    /// The merged completion, or `nil` before the first chunk.
    var merged: [String: OpenInferenceJSON]? {
        guard chunks > 0 else { return nil }
        var completion = fields
        completion["choices"] = .array(
            choices.keys.sorted().map { index in
                let choice = choices[index]!
                var message: [String: OpenInferenceJSON] = ["role": .string(choice.role ?? "assistant")]
                message["content"] = choice.hasContent ? .string(choice.content) : .null
                if !choice.calls.isEmpty {
                    message["tool_calls"] = .array(
                        choice.calls.keys.sorted().map { callIndex in
                            let call = choice.calls[callIndex]!
                            return [
                                "index": .int(callIndex), "id": call.id.map(OpenInferenceJSON.string) ?? .null,
                                "type": "function",
                                "function": ["name": .string(call.name), "arguments": .string(call.arguments)],
                            ]
                        }
                    )
                }
                if let call = choice.functionCall {
                    message["function_call"] = ["name": .string(call.name), "arguments": .string(call.arguments)]
                }
                return [
                    "index": .int(index), "message": .object(message),
                    "finish_reason": choice.finishReason.map(OpenInferenceJSON.string) ?? .null,
                ]
            }
        )
        return completion
    }
}
