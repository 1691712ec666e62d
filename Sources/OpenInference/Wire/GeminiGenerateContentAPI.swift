import Foundation

/// Gemini `POST …/models/<model>:generateContent` and `…:streamGenerateContent` (server-sent events with
/// `alt=sse`, otherwise one JSON array), on the Gemini API or Vertex AI.
///
/// Records what `openinference-instrumentation-google-genai` records for `GenerateContent` and
/// `GenerateContentStream`: `systemInstruction` as the first input message, each `functionResponse` part as
/// a `tool` message of its own, thought parts as `reasoning` parts with their `thoughtSignature`,
/// `functionCall` parts as tool calls (`tool_call.reasoning_signature`), `generationConfig` as invocation
/// parameters, each function declaration as a tool; the first candidate's `finishReason`, `modelVersion` as
/// the model, and `usageMetadata` (tool-use prompt tokens in the prompt, thought tokens in the completion).
/// Field names are read in either spelling, `camelCase` as the REST API sends them or `snake_case`.
struct GeminiGenerateContentAPI: WireAPI {
    private let isStreamCall: Bool
    private let model: String
    private var stream = GeminiStream()

    init?(method: String, url: URL) {
        let last = url.lastPathComponent
        guard method.uppercased() == "POST", let colon = last.lastIndex(of: ":") else { return nil }
        switch last[last.index(after: colon)...] {
        case "generateContent": isStreamCall = false
        case "streamGenerateContent": isStreamCall = true
        default: return nil
        }
        model = String(last[..<colon])
    }

    var spanName: String { isStreamCall ? "GenerateContentStream" : "GenerateContent" }
    var fallbackProvider: String? { "google" }

    func readRequest(_ body: [String: OpenInferenceJSON]) -> WireRequestRecord {
        var record = WireRequestRecord()
        record.model = model
        record.parameters = Self.field(body, "generationConfig", "generation_config")
        if let instruction = Self.field(body, "systemInstruction", "system_instruction") {
            var system = Self.message(role: "system", parts: instruction["parts"]?.arrayValue ?? [])
            if let text = instruction.stringValue { system.content = text }
            record.messages.append(system)
        }
        for content in body["contents"]?.arrayValue ?? [] {
            let parts = content["parts"]?.arrayValue ?? []
            let responses = parts.filter { Self.field($0, "functionResponse", "function_response") != nil }
            let rest = responses.isEmpty ? parts : parts.filter { Self.field($0, "functionResponse", "function_response") == nil }
            if !rest.isEmpty || responses.isEmpty {
                record.messages.append(Self.message(role: content["role"]?.stringValue ?? "user", parts: rest))
            }
            // Each function response is a `tool` message of its own, so every id survives.
            for part in responses {
                let response = Self.field(part, "functionResponse", "function_response")
                record.messages.append(
                    LLMMessage(
                        role: "tool",
                        content: response?["response"].map(\.jsonString),
                        name: response?["name"]?.stringValue,
                        toolCallID: response?["id"]?.stringValue
                    )
                )
            }
        }
        for tool in body["tools"]?.arrayValue ?? [] {
            guard let declarations = Self.field(tool, "functionDeclarations", "function_declarations")?.arrayValue else {
                record.tools.append(tool)
                continue
            }
            for declaration in declarations {
                var schema: [String: OpenInferenceJSON] = [:]
                schema["name"] = declaration["name"]
                schema["description"] = declaration["description"]
                schema["parameters"] =
                    declaration["parameters"] ?? Self.field(declaration, "parametersJsonSchema", "parameters_json_schema")
                record.tools.append(.object(schema))
            }
        }
        return record
    }

    func readResponse(_ body: [String: OpenInferenceJSON]) -> WireResponseRecord {
        var record = WireResponseRecord()
        record.model = Self.field(body, "modelVersion", "model_version")?.stringValue
        for (position, candidate) in (body["candidates"]?.arrayValue ?? []).enumerated() {
            let content = candidate["content"]
            record.messages.append(
                Self.message(role: content?["role"]?.stringValue ?? "model", parts: content?["parts"]?.arrayValue ?? [])
            )
            if (candidate["index"]?.intValue ?? position) == 0 {
                record.finishReason = Self.field(candidate, "finishReason", "finish_reason")?.stringValue
            }
        }
        record.usage = Self.field(body, "usageMetadata", "usage_metadata").map(Self.usage)
        return record
    }

    mutating func readStreamEvent(_ event: [String: OpenInferenceJSON]) -> Bool {
        stream.add(event)
    }

    func streamIsComplete(sawDone: Bool) -> Bool { stream.isComplete }

    var streamedResponse: [String: OpenInferenceJSON]? { stream.merged }

    /// A message of parts: one plain text part as its content, otherwise text, reasoning and images as
    /// parts and function calls as tool calls.
    static func message(role: String, parts: [OpenInferenceJSON]) -> LLMMessage {
        var message = LLMMessage(role: role)
        for part in parts {
            let signature = field(part, "thoughtSignature", "thought_signature")?.stringValue
            if part["thought"]?.boolValue == true {
                let text = part["text"]?.stringValue
                if text?.isEmpty == false || signature != nil {
                    message.contents.append(.reasoning(text: text?.isEmpty == false ? text : nil, signature: signature))
                }
            } else if let text = part["text"]?.stringValue {
                if !text.isEmpty || signature != nil { message.contents.append(.text(text)) }
            } else if let call = field(part, "functionCall", "function_call") {
                message.toolCalls.append(
                    LLMToolCall(
                        id: call["id"]?.stringValue,
                        name: call["name"]?.stringValue ?? "",
                        arguments: call["args"]?.jsonString ?? "{}",
                        reasoningSignature: signature
                    )
                )
            }
            if let inline = field(part, "inlineData", "inline_data"),
                let mimeType = field(inline, "mimeType", "mime_type")?.stringValue, mimeType.hasPrefix("image/"),
                let data = inline["data"]?.stringValue
            {
                message.contents.append(.image(url: "data:\(mimeType);base64,\(data)"))
            }
            if let file = field(part, "fileData", "file_data"),
                field(file, "mimeType", "mime_type")?.stringValue?.hasPrefix("image/") == true,
                let uri = field(file, "fileUri", "file_uri")?.stringValue
            {
                message.contents.append(.image(url: uri))
            }
        }
        if parts.count == 1, message.contents.count == 1, case .text(let text) = message.contents[0] {
            message.contents = []
            message.content = text
        }
        return message
    }

    /// Gemini's `usageMetadata`: tool-use prompt tokens count as prompt, thought tokens as completion;
    /// counts of zero are left out, and the total is never less than the parts.
    static func usage(_ json: OpenInferenceJSON) -> TokenUsage {
        func count(_ camel: String, _ snake: String) -> Int { field(json, camel, snake)?.intValue ?? 0 }
        func audio(_ camel: String, _ snake: String) -> Int {
            (field(json, camel, snake)?.arrayValue ?? []).reduce(0) { sum, detail in
                detail["modality"]?.stringValue == "AUDIO"
                    ? sum + (field(detail, "tokenCount", "token_count")?.intValue ?? 0) : sum
            }
        }
        func nonZero(_ value: Int) -> Int? { value > 0 ? value : nil }
        let prompt = count("promptTokenCount", "prompt_token_count") + count("toolUsePromptTokenCount", "tool_use_prompt_token_count")
        let thoughts = count("thoughtsTokenCount", "thoughts_token_count")
        let completion = count("candidatesTokenCount", "candidates_token_count") + thoughts
        let total = max(prompt + completion, count("totalTokenCount", "total_token_count"))
        return TokenUsage(
            prompt: nonZero(prompt),
            completion: nonZero(completion),
            total: nonZero(total),
            promptCacheRead: nonZero(count("cachedContentTokenCount", "cached_content_token_count")),
            completionReasoning: nonZero(thoughts),
            promptAudio: nonZero(audio("promptTokensDetails", "prompt_tokens_details")),
            completionAudio: nonZero(audio("candidatesTokensDetails", "candidates_tokens_details"))
        )
    }

    /// The member `camel` of `json`, or `snake` when the body spells it that way.
    static func field(_ json: OpenInferenceJSON, _ camel: String, _ snake: String) -> OpenInferenceJSON? {
        json[camel] ?? json[snake]
    }

    static func field(_ json: [String: OpenInferenceJSON], _ camel: String, _ snake: String) -> OpenInferenceJSON? {
        json[camel] ?? json[snake]
    }
}
