import Foundation

/// Anthropic Messages, `POST …/v1/messages`, plain or streamed.
///
/// Records what `openinference-instrumentation-anthropic` 3.1.0 records for `messages.create`: `system` as
/// the first input message, each `tool_result` block as a `tool` message of its own, `thinking` and
/// `redacted_thinking` blocks as `reasoning` parts (with `message_content.signature` / `.data`),
/// `tool_use` blocks as tool calls and as `tool_use` parts, any other block as a part of its own type
/// holding the block as JSON (base64 sources redacted), so content indices follow block indices; the body without `model`, `system`, `messages` and `tools` as
/// invocation parameters, `stop_reason` as `llm.finish_reason`, and prompt tokens counted as
/// `input_tokens + cache_creation_input_tokens + cache_read_input_tokens`.
struct AnthropicMessagesAPI: WireAPI {
    private var stream = AnthropicStream()

    init?(method: String, url: URL) {
        guard method.uppercased() == "POST", url.path.hasSuffix("/v1/messages") else { return nil }
    }

    var spanName: String { "messages.create" }
    var system: String? { "anthropic" }
    var fallbackProvider: String? { "anthropic" }

    func readRequest(_ body: [String: OpenInferenceJSON]) -> WireRequestRecord {
        var record = WireRequestRecord()
        record.model = body["model"]?.stringValue
        record.recordsRequestModel = true
        record.parameters = .object(body.removing(["model", "system", "messages", "tools", "output_format"]))
        record.tools = body["tools"]?.arrayValue ?? []
        switch body["system"] {
        case .string(let text)? where !text.isEmpty:
            record.messages.append(.system(text))
        case .array(let blocks)? where !blocks.isEmpty:
            record.messages.append(Self.message(role: "system", blocks: blocks, notes: &record.notes))
        default:
            break
        }
        for message in body["messages"]?.arrayValue ?? [] {
            let role = message["role"]?.stringValue ?? "user"
            guard let blocks = message["content"]?.arrayValue else {
                record.messages.append(LLMMessage(role: role, content: message["content"]?.stringValue))
                continue
            }
            // Each result is a message of its own, so parallel results do not overwrite one another; they
            // come first, as Anthropic requires them before the rest of a user message.
            let results = blocks.filter { $0["type"]?.stringValue == "tool_result" }
            for result in results {
                record.messages.append(
                    LLMMessage(
                        role: "tool",
                        content: result["content"].map(\.textOrJSON),
                        toolCallID: result["tool_use_id"]?.stringValue
                    )
                )
            }
            let rest = results.isEmpty ? blocks : blocks.filter { $0["type"]?.stringValue != "tool_result" }
            if !rest.isEmpty || results.isEmpty {
                record.messages.append(Self.message(role: role, blocks: rest, notes: &record.notes))
            }
        }
        return record
    }

    func readResponse(_ body: [String: OpenInferenceJSON]) -> WireResponseRecord {
        var record = WireResponseRecord()
        record.model = body["model"]?.stringValue
        record.recordsResponseModel = true
        let blocks = body["content"]?.arrayValue ?? []
        record.messages = [
            Self.message(role: body["role"]?.stringValue ?? "assistant", blocks: blocks, notes: &record.notes)
        ]
        record.finishReason = body["stop_reason"]?.stringValue
        record.usage = body["usage"].map(Self.usage)
        return record
    }

    mutating func readStreamEvent(_ event: [String: OpenInferenceJSON]) -> Bool {
        stream.add(event)
    }

    func streamIsComplete(sawDone: Bool) -> Bool { stream.isComplete }

    var streamFailure: String? { stream.failure }

    var streamedResponse: [String: OpenInferenceJSON]? { stream.merged }

    /// A message of content blocks: text, images and reasoning as parts, `tool_use` as tool calls and as
    /// `tool_use` parts, any other block as JSON in a part of its type.
    static func message(role: String, blocks: [OpenInferenceJSON], notes: inout [String]) -> LLMMessage {
        var message = LLMMessage(role: role)
        for block in blocks {
            let type = block["type"]?.stringValue
            switch type {
            case "text":
                message.contents.append(.text(block["text"]?.stringValue ?? ""))
            case "thinking":
                message.contents.append(
                    .reasoning(text: block["thinking"]?.stringValue, signature: block["signature"]?.stringValue)
                )
            case "redacted_thinking":
                message.contents.append(.reasoning(text: nil, data: block["data"]?.stringValue))
            case "tool_use", "server_tool_use", "mcp_tool_use":
                let call = LLMToolCall(
                    id: block["id"]?.stringValue,
                    name: block["name"]?.stringValue ?? "",
                    arguments: block["input"]?.jsonString ?? "{}"
                )
                message.toolCalls.append(call)
                message.contents.append(.toolUse(call))
            case "image" where ["base64", "url"].contains(block["source"]?["type"]?.stringValue):
                let source = block["source"]
                if source?["type"]?.stringValue == "url" {
                    message.contents.append(.image(url: source?["url"]?.stringValue ?? ""))
                } else {
                    let mediaType = source?["media_type"]?.stringValue ?? "image/png"
                    message.contents.append(.image(url: "data:\(mediaType);base64,\(source?["data"]?.stringValue ?? "")"))
                }
            default:
                // A file image, a document, a server tool's result, a block newer than this code: kept as
                // JSON, its base64 data redacted (a whole PDF would fill the span).
                message.contents.append(.other(type: type ?? "unknown", json: Self.redactingSources(block).jsonString))
            }
        }
        return message
    }

    /// `value` with the data of every base64 `source` replaced by `__REDACTED__` (type and media type kept).
    static func redactingSources(_ value: OpenInferenceJSON) -> OpenInferenceJSON {
        switch value {
        case .array(let items):
            return .array(items.map(redactingSources))
        case .object(var members):
            for (key, member) in members {
                if key == "source", case .object(var source) = member, source["type"]?.stringValue == "base64" {
                    for sourceKey in source.keys where sourceKey != "type" && sourceKey != "media_type" {
                        source[sourceKey] = .string("__REDACTED__")
                    }
                    members[key] = .object(source)
                } else {
                    members[key] = redactingSources(member)
                }
            }
            return .object(members)
        default:
            return value
        }
    }

    /// Anthropic's `usage`: its `input_tokens` leaves out cached tokens, which the prompt count includes.
    static func usage(_ json: OpenInferenceJSON) -> TokenUsage {
        let input = json["input_tokens"]?.intValue
        let cacheWrite = json["cache_creation_input_tokens"]?.intValue
        let cacheRead = json["cache_read_input_tokens"]?.intValue
        let prompt = input.map { $0 + (cacheWrite ?? 0) + (cacheRead ?? 0) }
        return TokenUsage(
            prompt: prompt,
            completion: json["output_tokens"]?.intValue,
            // Counts Anthropic reports as 0 when caching or thinking did not run are left out.
            promptCacheRead: cacheRead.flatMap { $0 > 0 ? $0 : nil },
            promptCacheWrite: cacheWrite.flatMap { $0 > 0 ? $0 : nil },
            completionReasoning: json["output_tokens_details"]?["thinking_tokens"]?.intValue.flatMap { $0 > 0 ? $0 : nil }
        )
    }
}
