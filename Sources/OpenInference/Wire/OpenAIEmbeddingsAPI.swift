import Foundation

/// OpenAI Embeddings, `POST …/embeddings`.
///
/// Records what `openinference-instrumentation-openai` records for `CreateEmbeddings`: the texts (an
/// `input` of token arrays has none), the body without `input` as `embedding.invocation_parameters`, the
/// answering model, one vector per text (not when `encoding_format` is `base64`) and the prompt and total
/// token counts.
struct OpenAIEmbeddingsAPI: WireAPI {
    init?(method: String, url: URL) {
        guard method.uppercased() == "POST", url.path.hasSuffix("/embeddings") else { return nil }
    }

    var spanName: String { "CreateEmbeddings" }
    var kind: OpenInferenceSpanKind { .embedding }
    var system: String? { "openai" }

    func readRequest(_ body: [String: OpenInferenceJSON]) -> WireRequestRecord {
        var record = WireRequestRecord()
        record.model = body["model"]?.stringValue
        record.parameters = .object(body.removing(["input"]))
        switch body["input"] {
        case .string(let text)?: record.embeddingTexts = [text]
        case .array(let items)?: record.embeddingTexts = items.compactMap(\.stringValue)
        default: break
        }
        return record
    }

    func readResponse(_ body: [String: OpenInferenceJSON]) -> WireResponseRecord {
        var record = WireResponseRecord()
        record.model = body["model"]?.stringValue
        let items = (body["data"]?.arrayValue ?? []).enumerated().sorted { first, second in
            (first.element["index"]?.intValue ?? first.offset) < (second.element["index"]?.intValue ?? second.offset)
        }
        var vectors: [[Double]] = []
        for item in items {
            guard let numbers = item.element["embedding"]?.arrayValue else {
                record.notes.append("data[\(item.offset)].embedding is not an array of numbers, so no vectors were recorded")
                vectors = []
                break
            }
            vectors.append(numbers.compactMap(\.doubleValue))
        }
        record.vectors = vectors
        if let usage = body["usage"] {
            let prompt = usage["prompt_tokens"]?.intValue
            record.usage = TokenUsage(prompt: prompt, total: usage["total_tokens"]?.intValue ?? prompt)
        }
        return record
    }

    func readStreamEvent(_ event: [String: OpenInferenceJSON]) -> Bool { false }
    func streamIsComplete(sawDone: Bool) -> Bool { true }
    var streamedResponse: [String: OpenInferenceJSON]? { nil }
}
