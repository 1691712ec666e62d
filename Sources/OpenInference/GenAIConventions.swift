import Foundation
import Tracing

/// The OpenTelemetry GenAI semantic conventions (`gen_ai.*`), derived from a span's OpenInference
/// attributes so one span is understood by Phoenix and by GenAI-aware backends (Datadog, Honeycomb,
/// Grafana) alike.
///
/// The helpers add them when a span ends if ``TraceConfig/enableGenAISemanticConventions`` is set
/// (`OPENINFERENCE_ENABLE_GENAI_SEMCONV`), from the attributes as recorded, that is after masking, and never
/// over a `gen_ai.*` key the span already has. The mapping follows the reference Python implementation
/// (`openinference-instrumentation` 0.1.72's GenAI conversion, targeting GenAI conventions v1.41).
///
/// With ``TraceConfig/genAILatestExperimental`` (`OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental`)
/// they follow the latest experimental GenAI conventions instead, from `open-telemetry/semantic-conventions-genai`
/// (the repository the GenAI conventions moved to after v1.41; its registry as of its pull request #217):
/// `gen_ai.request.top_k` is an integer, and `gen_ai.usage.reasoning.output_tokens`,
/// `gen_ai.system_instructions` (from a `system` invocation parameter, the instructions an API takes apart
/// from the chat history) and `gen_ai.response.time_to_first_chunk` (``LLMSpan/recordTimeToFirstChunk(_:)``)
/// are written.
public enum GenAIConventions {
    /// The `gen_ai.*` attributes that `attributes` imply, in no particular order.
    ///
    /// `latest` selects the latest experimental conventions (``TraceConfig/genAILatestExperimental``).
    public static func attributes(derivedFrom attributes: SpanAttributes, latest: Bool = false) -> [(key: String, value: SpanAttribute)] {
        let reader = Reader(attributes)
        var out: [(key: String, value: SpanAttribute)] = []
        func put(_ key: String, _ value: SpanAttribute?) {
            guard let value, attributes.get(key) == nil else { return }
            out.append((key, value))
        }
        let kind = reader.string(SemanticConventions.spanKind).flatMap(OpenInferenceSpanKind.init(rawValue:))

        put("gen_ai.operation.name", operationName(kind: kind, reader: reader).map(SpanAttribute.string))
        put("gen_ai.provider.name", providerName(reader).map(SpanAttribute.string))
        put("gen_ai.conversation.id", reader.string(SemanticConventions.Context.sessionID).map(SpanAttribute.string))
        put("gen_ai.agent.name", reader.string(SemanticConventions.Agent.name).map(SpanAttribute.string))

        var parameters: [String: OpenInferenceJSON] = [:]
        for key in [SemanticConventions.Embedding.invocationParameters, SemanticConventions.LLM.invocationParameters] {
            if case .object(let object)? = reader.json(key) { parameters.merge(object) { _, new in new } }
        }
        let model =
            reader.string(SemanticConventions.LLM.modelName) ?? reader.string(SemanticConventions.Embedding.modelName)
            ?? parameters["model"]?.stringValue
        put("gen_ai.request.model", model.map(SpanAttribute.string))
        for (target, sources) in [
            ("gen_ai.request.temperature", ["temperature"]), ("gen_ai.request.top_p", ["top_p"]),
            ("gen_ai.request.frequency_penalty", ["frequency_penalty"]), ("gen_ai.request.presence_penalty", ["presence_penalty"]),
        ] {
            put(target, sources.lazy.compactMap { parameters[$0]?.doubleValue }.first.map(SpanAttribute.double))
        }
        if let topK = parameters["top_k"]?.doubleValue {
            // v1.41 types it double; the latest conventions, an integer (a count of candidate tokens).
            put("gen_ai.request.top_k", latest ? .int64(Int64(topK.rounded())) : .double(topK))
        }
        if latest {
            put("gen_ai.usage.reasoning.output_tokens", reader.int(SemanticConventions.LLM.TokenCount.completionReasoning))
            put("gen_ai.system_instructions", systemInstructions(parameters["system"]))
        }
        for (target, sources) in [
            ("gen_ai.request.max_tokens", ["max_tokens", "max_completion_tokens", "max_output_tokens"]),
            ("gen_ai.request.seed", ["seed"]),
        ] {
            put(target, sources.lazy.compactMap { parameters[$0]?.intValue }.first.map { .int64(Int64($0)) })
        }
        if let count = ["n", "choice_count", "candidate_count"].lazy.compactMap({ parameters[$0]?.intValue }).first, count != 1 {
            put("gen_ai.request.choice.count", .int64(Int64(count)))
        }
        if case .bool(let stream)? = parameters["stream"] { put("gen_ai.request.stream", .bool(stream)) }
        if let stop = parameters["stop_sequences"] ?? parameters["stop"] {
            put("gen_ai.request.stop_sequences", stringArray(stop).map(SpanAttribute.stringArray))
        }
        if let formats = parameters["encoding_formats"] ?? parameters["encoding_format"] {
            put("gen_ai.request.encoding_formats", stringArray(formats).map(SpanAttribute.stringArray))
        }

        put("gen_ai.usage.input_tokens", reader.int(SemanticConventions.LLM.TokenCount.prompt))
        put("gen_ai.usage.output_tokens", reader.int(SemanticConventions.LLM.TokenCount.completion))
        put("gen_ai.usage.cache_read.input_tokens", reader.int(SemanticConventions.LLM.TokenCount.promptCacheRead))
        put("gen_ai.usage.cache_creation.input_tokens", reader.int(SemanticConventions.LLM.TokenCount.promptCacheWrite))

        switch kind {
        case .llm?:
            if let reason = reader.string(SemanticConventions.LLM.finishReason) {
                put("gen_ai.response.finish_reasons", .stringArray([finishReason(reason)]))
            }
            if reader.string(SemanticConventions.Output.mimeType) == "application/json",
                case .object(let response)? = reader.json(SemanticConventions.Output.value)
            {
                put("gen_ai.response.id", response["id"]?.stringValue.map(SpanAttribute.string))
                put("gen_ai.response.model", response["model"]?.stringValue.map(SpanAttribute.string))
            }
            put("gen_ai.input.messages", messages(under: SemanticConventions.LLM.inputMessages, reader: reader, output: false))
            put("gen_ai.output.messages", messages(under: SemanticConventions.LLM.outputMessages, reader: reader, output: true))
            put("gen_ai.tool.definitions", toolDefinitions(reader))
        case .tool?:
            put("gen_ai.tool.name", reader.string(SemanticConventions.Tool.name).map(SpanAttribute.string))
            put("gen_ai.tool.type", .string("function"))
            put("gen_ai.tool.description", reader.string(SemanticConventions.Tool.description).map(SpanAttribute.string))
            put(
                "gen_ai.tool.call.id",
                (reader.string(SemanticConventions.Tool.id) ?? reader.string(SemanticConventions.ToolCall.id)).map(SpanAttribute.string))
            put("gen_ai.tool.call.arguments", reader.string(SemanticConventions.Tool.parameters).map(SpanAttribute.string))
            put("gen_ai.tool.call.result", reader.string(SemanticConventions.Output.value).map(SpanAttribute.string))
        case .retriever?:
            if reader.string(SemanticConventions.Input.mimeType) != "application/json" {
                put("gen_ai.retrieval.query.text", reader.string(SemanticConventions.Input.value).map(SpanAttribute.string))
            }
        case .embedding?:
            if case .doubleArray(let vector)? = attributes.get(AttributeKeys.embedding(0, SemanticConventions.Embedding.vector)) {
                put("gen_ai.embeddings.dimension.count", .int64(Int64(vector.count)))
            }
        default:
            break
        }
        return out
    }

    /// `gen_ai.system_instructions`: a `system` parameter (text, or text blocks) as `[{"type":"text","content"}]`.
    private static func systemInstructions(_ system: OpenInferenceJSON?) -> SpanAttribute? {
        let texts: [String]
        switch system {
        case .string(let text)?: texts = [text]
        case .array(let blocks)?:
            texts = blocks.compactMap { block in
                if case .object(let object) = block { return object["text"]?.stringValue }
                return block.stringValue
            }
        default: return nil
        }
        guard !texts.isEmpty else { return nil }
        return .string(OpenInferenceJSON.array(texts.map { ["type": "text", "content": .string($0)] }).jsonString)
    }

    /// Hides nothing and cuts nothing: the derived attributes come from values already masked.
    private static let passThrough: TraceConfig = {
        var config = TraceConfig.default
        config.maxAttributeLength = .max
        config.base64ImageMaxLength = .max
        config.maxRecordedMessages = .max
        return config
    }()

    /// Adds the derived `gen_ai.*` attributes to `span`; spans whose tracer cannot give their attributes
    /// back get none.
    static func record(on span: any Tracing.Span, latest: Bool) {
        guard span.isRecording else { return }
        let derived = attributes(derivedFrom: span.attributes, latest: latest)
        guard !derived.isEmpty else { return }
        if let batched = span as? any SpanAttributeBatchRecording {
            // Derived from values already masked: written as they are.
            batched.recordAttributes(config: passThrough) { writer in
                for pair in derived { writer.set(pair.key, pair.value) }
            }
        } else {
            span.updateAttributes { attributes in
                for pair in derived { attributes.set(pair.key, value: pair.value) }
            }
        }
    }

    private static func operationName(kind: OpenInferenceSpanKind?, reader: Reader) -> String? {
        switch kind {
        case .llm?: reader.hasPrefix(SemanticConventions.LLM.prompts) ? "text_completion" : "chat"
        case .embedding?: "embeddings"
        case .tool?: "execute_tool"
        case .retriever?: "retrieval"
        case .agent?: "invoke_agent"
        default: nil
        }
    }

    private static func providerName(_ reader: Reader) -> String? {
        let provider = reader.string(SemanticConventions.LLM.provider)?.lowercased()
        let system = reader.string(SemanticConventions.LLM.system)?.lowercased()
        switch (provider, system) {
        case ("azure"?, "openai"?): return "azure.ai.openai"
        case ("azure"?, _): return "azure.ai.inference"
        case ("aws"?, _): return "aws.bedrock"
        case ("google"?, "vertexai"?), (nil, "vertexai"?): return "gcp.vertex_ai"
        case ("google"?, _): return "gcp.gen_ai"
        case ("mistralai"?, _), (nil, "mistralai"?): return "mistral_ai"
        case ("xai"?, _): return "x_ai"
        default: return provider ?? system
        }
    }

    private static func finishReason(_ reason: String) -> String {
        switch reason.lowercased() {
        case "tool_calls", "function_call": "tool_call"
        case let other: other
        }
    }

    private static func stringArray(_ value: OpenInferenceJSON) -> [String]? {
        switch value {
        case .string(let text): [text]
        case .array(let items): items.compactMap(\.stringValue)
        default: nil
        }
    }

    /// `gen_ai.input.messages` / `gen_ai.output.messages`: the flattened OpenInference messages as the
    /// GenAI JSON shape, `[{"role", "parts": [...]}]`.
    private static func messages(under prefix: String, reader: Reader, output: Bool) -> SpanAttribute? {
        var result: [OpenInferenceJSON] = []
        var index = 0
        while let role = reader.string("\(prefix).\(index).\(SemanticConventions.Message.role)") {
            let base = "\(prefix).\(index)."
            var parts: [OpenInferenceJSON] = []
            let toolCallID = reader.string(base + SemanticConventions.Message.toolCallID)
            if let content = reader.string(base + SemanticConventions.Message.content) {
                if role == "tool", let toolCallID {
                    parts.append(["type": "tool_call_response", "id": .string(toolCallID), "response": .string(content)])
                } else {
                    parts.append(["type": "text", "content": .string(content)])
                }
            }
            var part = 0
            while let text = reader.string(base + AttributeKeys.messageContent(part, SemanticConventions.MessageContent.text)) {
                parts.append(["type": "text", "content": .string(text)])
                part += 1
            }
            var call = 0
            while let name = reader.string(base + AttributeKeys.toolCall(call, SemanticConventions.ToolCall.functionName)) {
                let arguments = reader.string(base + AttributeKeys.toolCall(call, SemanticConventions.ToolCall.functionArguments)) ?? ""
                var object: [String: OpenInferenceJSON] = [
                    "type": "tool_call", "name": .string(name),
                    "arguments": (try? JSONDecoder().decode(OpenInferenceJSON.self, from: Data(arguments.utf8))) ?? .string(arguments),
                ]
                if let id = reader.string(base + AttributeKeys.toolCall(call, SemanticConventions.ToolCall.id)) { object["id"] = .string(id) }
                parts.append(.object(object))
                call += 1
            }
            var message: [String: OpenInferenceJSON] = ["role": .string(role.lowercased()), "parts": .array(parts)]
            if let name = reader.string(base + SemanticConventions.Message.name) { message["name"] = .string(name) }
            if output {
                let reason = reader.string(SemanticConventions.LLM.finishReason).map(finishReason) ?? (call > 0 ? "tool_call" : "stop")
                message["finish_reason"] = .string(reason)
            }
            result.append(.object(message))
            index += 1
        }
        return result.isEmpty ? nil : .string(OpenInferenceJSON.array(result).jsonString)
    }

    /// `gen_ai.tool.definitions`: OpenAI's `{"type":"function","function":{…}}` flattened to
    /// `{"type":"function","name","description","parameters"}`.
    private static func toolDefinitions(_ reader: Reader) -> SpanAttribute? {
        var definitions: [OpenInferenceJSON] = []
        var index = 0
        while let schema = reader.json(AttributeKeys.toolJSONSchema(index)) {
            if case .object(let tool) = schema, case .object(let function)? = tool["function"] {
                var flat = function
                flat["type"] = tool["type"] ?? "function"
                definitions.append(.object(flat))
            } else {
                definitions.append(schema)
            }
            index += 1
        }
        return definitions.isEmpty ? nil : .string(OpenInferenceJSON.array(definitions).jsonString)
    }

    /// Typed reads of span attributes.
    private struct Reader {
        let attributes: SpanAttributes

        init(_ attributes: SpanAttributes) { self.attributes = attributes }

        func string(_ key: String) -> String? {
            if case .string(let value)? = attributes.get(key) { return value }
            return nil
        }

        func int(_ key: String) -> SpanAttribute? {
            switch attributes.get(key) {
            case .int64(let value)?: .int64(value)
            case .int32(let value)?: .int64(Int64(value))
            default: nil
            }
        }

        func json(_ key: String) -> OpenInferenceJSON? {
            guard let text = string(key) else { return nil }
            return try? JSONDecoder().decode(OpenInferenceJSON.self, from: Data(text.utf8))
        }

        func hasPrefix(_ prefix: String) -> Bool {
            var found = false
            attributes.forEach { key, _ in if key.hasPrefix(prefix) { found = true } }
            return found
        }
    }
}
