/// Merges the chunks of a streamed Gemini answer into the one response they stand for: per candidate, text
/// pieces joined into the part they continue (thought text with thought text), other parts appended, and the
/// latest `finishReason`, `usageMetadata` and `modelVersion`.
struct GeminiStream: Sendable {
    /// One part as it grows: its fields, and its text kept apart so appending a piece copies nothing.
    private struct Part: Sendable {
        var fields: [String: OpenInferenceJSON]
        var text: String?
    }

    private struct Candidate: Sendable {
        var role: String?
        var parts: [Part] = []
        var finishReason: OpenInferenceJSON?
    }

    private var fields: [String: OpenInferenceJSON] = [:]
    private var candidates: [Int: Candidate] = [:]
    private var chunks = 0
    private(set) var isComplete = false

    /// Adds one chunk; returns whether it carried a part.
    mutating func add(_ chunk: [String: OpenInferenceJSON]) -> Bool {
        chunks += 1
        for (key, value) in chunk where key != "candidates" { fields[key] = value }
        var sawPart = false
        for (position, candidateJSON) in (chunk["candidates"]?.arrayValue ?? []).enumerated() {
            let index = candidateJSON["index"]?.intValue ?? position
            // Taken out while it grows, so its parts are not copied.
            var candidate = candidates.removeValue(forKey: index) ?? Candidate()
            if let role = candidateJSON["content"]?["role"]?.stringValue { candidate.role = role }
            if let reason = candidateJSON["finishReason"] ?? candidateJSON["finish_reason"] {
                candidate.finishReason = reason
                isComplete = true
            }
            for partJSON in candidateJSON["content"]?["parts"]?.arrayValue ?? [] {
                guard var fields = partJSON.objectValue else { continue }
                sawPart = true
                let text = fields.removeValue(forKey: "text")?.stringValue
                if let text, let last = candidate.parts.indices.last, candidate.parts[last].text != nil,
                    candidate.parts[last].fields["thought"] == fields["thought"],
                    candidate.parts[last].fields["thoughtSignature"] == nil,
                    candidate.parts[last].fields["thought_signature"] == nil
                {
                    // A piece continuing the text before it (thought with thought); a signature it
                    // brings closes the part.
                    candidate.parts[last].text?.append(text)
                    for (key, value) in fields { candidate.parts[last].fields[key] = value }
                } else {
                    candidate.parts.append(Part(fields: fields, text: text))
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
                let parts = candidate.parts.map { part in
                    var fields = part.fields
                    if let text = part.text { fields["text"] = .string(text) }
                    return OpenInferenceJSON.object(fields)
                }
                var content: [String: OpenInferenceJSON] = ["parts": .array(parts)]
                if let role = candidate.role { content["role"] = .string(role) }
                var merged: [String: OpenInferenceJSON] = ["index": .int(index), "content": .object(content)]
                if let reason = candidate.finishReason { merged["finishReason"] = reason }
                return .object(merged)
            }
        )
        return response
    }
}
