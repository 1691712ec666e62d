/// Merges the chunks of a streamed Gemini answer into the one response they stand for: per candidate, text
/// pieces joined into the part they continue (thought text with thought text), other parts appended, and the
/// latest `finishReason`, `usageMetadata` and `modelVersion`.
struct GeminiStream: Sendable {
    private var fields: [String: OpenInferenceJSON] = [:]
    private var candidates: [Int: (role: String?, parts: [[String: OpenInferenceJSON]], finishReason: OpenInferenceJSON?)] = [:]
    private var chunks = 0
    private(set) var isComplete = false

    /// Adds one chunk; returns whether it carried a part.
    mutating func add(_ chunk: [String: OpenInferenceJSON]) -> Bool {
        chunks += 1
        for (key, value) in chunk where key != "candidates" { fields[key] = value }
        var sawPart = false
        for (position, candidateJSON) in (chunk["candidates"]?.arrayValue ?? []).enumerated() {
            let index = candidateJSON["index"]?.intValue ?? position
            var candidate = candidates[index] ?? (nil, [], nil)
            if let role = candidateJSON["content"]?["role"]?.stringValue { candidate.role = role }
            if let reason = candidateJSON["finishReason"] ?? candidateJSON["finish_reason"] {
                candidate.finishReason = reason
                isComplete = true
            }
            for part in candidateJSON["content"]?["parts"]?.arrayValue ?? [] {
                guard var part = part.objectValue else { continue }
                sawPart = true
                if let text = part["text"]?.stringValue, var last = candidate.parts.last, let previous = last["text"]?.stringValue,
                    last["thought"] == part["thought"], last["thoughtSignature"] == nil, last["thought_signature"] == nil
                {
                    last["text"] = .string(previous + text)
                    part["text"] = nil
                    for (key, value) in part { last[key] = value }
                    candidate.parts[candidate.parts.count - 1] = last
                } else {
                    candidate.parts.append(part)
                }
            }
            candidates[index] = candidate
        }
        return sawPart
    }

    /// The merged response, or `nil` before the first chunk.
    var merged: [String: OpenInferenceJSON]? {
        guard chunks > 0 else { return nil }
        var response = fields
        response["candidates"] = .array(
            candidates.keys.sorted().map { index in
                let candidate = candidates[index]!
                var content: [String: OpenInferenceJSON] = ["parts": .array(candidate.parts.map(OpenInferenceJSON.object))]
                if let role = candidate.role { content["role"] = .string(role) }
                var merged: [String: OpenInferenceJSON] = ["index": .int(index), "content": .object(content)]
                if let reason = candidate.finishReason { merged["finishReason"] = reason }
                return .object(merged)
            }
        )
        return response
    }
}
