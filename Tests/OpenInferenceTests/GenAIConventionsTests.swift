import InMemoryTracing
import OpenInference
import OpenInferenceTesting
import Testing
import Tracing

@Suite("OpenTelemetry GenAI conventions beside OpenInference")
struct GenAIConventionsTests {
    static var enabled: TraceConfig {
        var config = TraceConfig()
        config.enableGenAISemanticConventions = true
        return config
    }

    static func chat() async {
        await withOpenInferenceContext(sessionID: "s-1") {
            await withLLMSpan(
                model: "gpt-4o-mini",
                system: "openai",
                provider: "azure",
                messages: [.user("weather?"), .tool("-3°C", toolCallID: "c1")],
                parameters: ["model": "gpt-4o-mini", "temperature": 0.2, "max_tokens": 64, "stop": "END", "n": 1],
                tools: [LLMToolDefinition(name: "weather", description: "Weather", parameters: ["type": "object"])]
            ) { span in
                span.recordOutput(
                    messages: [.assistant(nil, toolCalls: [LLMToolCall(id: "c2", name: "weather", arguments: #"{"city":"Oslo"}"#)])],
                    responseJSON: #"{"id":"chatcmpl-1","model":"gpt-4o-mini-2024"}"#
                )
                span.recordFinishReason("tool_calls")
                span.recordTokenUsage(TokenUsage(prompt: 10, completion: 5, promptCacheRead: 4))
            }
        }
    }

    @Test("With the switch on, an LLM span also carries the gen_ai attributes derived from it")
    func chatSpanGetsGenAIAttributes() async throws {
        let spans = await recordSpans(config: Self.enabled) { await Self.chat() }
        let llm = try spans.only(kind: .llm)
        #expect(llm.attribute("gen_ai.operation.name") == "chat")
        #expect(llm.attribute("gen_ai.provider.name") == "azure.ai.openai")
        #expect(llm.attribute("gen_ai.request.model") == "gpt-4o-mini")
        #expect(llm.doubleAttribute("gen_ai.request.temperature") == 0.2)
        #expect(llm.intAttribute("gen_ai.request.max_tokens") == 64)
        #expect(llm.stringArrayAttribute("gen_ai.request.stop_sequences") == ["END"])
        #expect(llm.attributes.get("gen_ai.request.choice.count") == nil)
        #expect(llm.intAttribute("gen_ai.usage.input_tokens") == 10)
        #expect(llm.intAttribute("gen_ai.usage.output_tokens") == 5)
        #expect(llm.intAttribute("gen_ai.usage.cache_read.input_tokens") == 4)
        #expect(llm.stringArrayAttribute("gen_ai.response.finish_reasons") == ["tool_call"])
        #expect(llm.attribute("gen_ai.response.id") == "chatcmpl-1")
        #expect(llm.attribute("gen_ai.response.model") == "gpt-4o-mini-2024")
        #expect(llm.attribute("gen_ai.conversation.id") == "s-1")
        #expect(
            llm.jsonAttribute("gen_ai.input.messages")
                == [
                    ["role": "user", "parts": [["type": "text", "content": "weather?"]]],
                    ["role": "tool", "parts": [["type": "tool_call_response", "id": "c1", "response": "-3°C"]]],
                ]
        )
        #expect(
            llm.jsonAttribute("gen_ai.output.messages")
                == [
                    [
                        "role": "assistant", "finish_reason": "tool_call",
                        "parts": [["type": "tool_call", "id": "c2", "name": "weather", "arguments": ["city": "Oslo"]]],
                    ]
                ]
        )
        #expect(
            llm.jsonAttribute("gen_ai.tool.definitions")
                == [["type": "function", "name": "weather", "description": "Weather", "parameters": ["type": "object"]]]
        )
    }

    @Test("With the switch off, no gen_ai attribute is written")
    func offByDefault() async throws {
        let spans = await recordSpans(config: .default) { await Self.chat() }
        let llm = try spans.only(kind: .llm)
        var genAI: [String] = []
        llm.attributes.forEach { key, _ in if key.hasPrefix("gen_ai.") { genAI.append(key) } }
        #expect(genAI.isEmpty)
    }

    @Test("A gen_ai attribute the span already has is kept, and masking applies first")
    func existingKeysWinAndMaskingApplies() async throws {
        var config = Self.enabled
        config.hideOutputs = true
        let spans = await recordSpans(config: config) {
            await withToolSpan(tool: "search", arguments: #"{"q":"x"}"#) { span in
                span.setAttribute("gen_ai.tool.type", "extension")
                span.recordOutput("secret")
            }
        }
        let tool = try spans.only(kind: .tool)
        #expect(tool.attribute("gen_ai.operation.name") == "execute_tool")
        #expect(tool.attribute("gen_ai.tool.name") == "search")
        #expect(tool.attribute("gen_ai.tool.type") == "extension")
        #expect(tool.attribute("gen_ai.tool.call.result") == "__REDACTED__")
    }

    static let optIns: [(value: String?, latest: Bool)] = [
        (nil, false), ("", false), ("http", false), ("gen_ai_latest_experimental", true),
        ("http, gen_ai_latest_experimental", true), ("database,gen_ai_latest_experimental,http", true),
        ("gen_ai_latest_experimental/dup", false), ("GEN_AI_LATEST_EXPERIMENTAL", false),
    ]

    @Test("OTEL_SEMCONV_STABILITY_OPT_IN selects the latest GenAI conventions when its list holds gen_ai_latest_experimental", arguments: optIns)
    func stabilityOptIn(value: String?, latest: Bool) {
        let environment = value.map { ["OTEL_SEMCONV_STABILITY_OPT_IN": $0] } ?? [:]
        #expect(TraceConfig.fromEnvironment(environment).genAILatestExperimental == latest)
        #expect(TraceConfig.environmentIssues(environment).isEmpty)
    }

    static let versions: [(latest: Bool, key: String, value: SpanAttribute?)] = [
        (false, "gen_ai.request.top_k", .double(40)),
        (true, "gen_ai.request.top_k", .int64(40)),
        (false, "gen_ai.usage.reasoning.output_tokens", nil),
        (true, "gen_ai.usage.reasoning.output_tokens", .int64(3)),
        (false, "gen_ai.system_instructions", nil),
        (true, "gen_ai.system_instructions", .string(#"[{"content":"Be brief.","type":"text"}]"#)),
        (false, "gen_ai.response.time_to_first_chunk", nil),
        (true, "gen_ai.response.time_to_first_chunk", .double(0.25)),
        (true, "gen_ai.request.temperature", .double(0.2)),
        (false, "gen_ai.request.temperature", .double(0.2)),
    ]

    @Test("v1.41 by default, the latest experimental GenAI conventions when opted in", arguments: versions)
    func conventionVersions(latest: Bool, key: String, value: SpanAttribute?) async throws {
        var config = Self.enabled
        config.genAILatestExperimental = latest
        let llm = try await recordSpans(config: config) {
            await withLLMSpan(
                model: "claude", system: "anthropic", messages: [.user("hi")],
                parameters: ["top_k": 40, "temperature": 0.2, "system": [["type": "text", "text": "Be brief."]]]
            ) { span in
                span.recordTimeToFirstChunk(.milliseconds(250))
                span.recordTokenUsage(TokenUsage(prompt: 4, completion: 9, completionReasoning: 3))
            }
        }.only(kind: .llm)
        #expect(llm.attributes.get(key) == value)
    }
}
