import InMemoryTracing
import OpenInference
import OpenInferenceTesting
import Testing
import Tracing

/// What the span helpers write for the keys and masking rules openinference-semantic-conventions 0.1.42
/// and openinference-instrumentation 0.1.72 added, end to end through recorded spans.
@Suite("Keys and masking of the 0.1.42 conventions on recorded spans")
struct ReferenceAttributesTests {
    static let image = "data:image/png;base64,iVBORw0KGgo"
    static let input = "llm.input_messages.0.message.contents."
    static let output = "llm.output_messages.0.message.contents."

    /// One LLM span using every helper that records a key new in 0.1.42.
    static func recordedSpan(config: TraceConfig = .default) async throws -> FinishedInMemorySpan {
        try await recordSpans(config: config) {
            await withLLMSpan(
                model: "gpt-4o", system: "OpenAI", provider: "Azure",
                messages: [
                    LLMMessage(
                        role: "user",
                        contents: [
                            .audio(url: "https://example.com/q.wav", mimeType: "audio/wav", transcript: "what is it"),
                            .video(url: "https://example.com/clip.mp4"),
                            .document(LLMDocument(id: "file-1", url: "https://example.com/a.pdf", mimeType: "application/pdf", name: "a.pdf")),
                        ])
                ],
                tools: [LLMToolDefinition(name: "search", description: "searches the notes", parameters: ["type": "object"])]
            ) { span in
                span.recordOutput(messages: [
                    LLMMessage(
                        role: "assistant",
                        contents: [.reasoning(text: "thinking", id: "rs_1", signature: "sig", data: "opaque", encryptedContent: "enc")],
                        toolCalls: [LLMToolCall(id: "c1", name: "search", arguments: "{}", reasoningSignature: "thought-sig")]
                    )
                ])
                span.recordModelName("gpt-4o-2024-08-06")
                span.recordTokenUsage(TokenUsage(prompt: 10, completion: 5, promptCacheInput: 4))
                span.recordCost(
                    TokenCost(
                        prompt: 0.5, completion: 0.25, promptInput: 0.4, promptCacheInput: 0.1, promptCacheRead: 0.05,
                        promptCacheWrite: 0.02, promptAudio: 0.03, completionOutput: 0.2, completionReasoning: 0.04,
                        completionAudio: 0.01
                    ))
                span.recordPrompts(["Once upon a time"])
                span.recordChoices(["there was a database"])
                span.recordInputImages([Self.image])
                span.recordOutputImages(["https://example.com/out.png"])
                span.recordInputDocuments([LLMDocument(content: "inline text", name: "notes.txt")])
                span.recordOutputDocuments([LLMDocument(url: "https://example.com/report.pdf", mimeType: "application/pdf")])
            }
        }.only(kind: .llm)
    }

    static let recordedKeys: [(key: String, value: SpanAttribute)] = [
        ("llm.request.model_name", .string("gpt-4o")),
        ("llm.response.model_name", .string("gpt-4o-2024-08-06")),
        ("llm.model_name", .string("gpt-4o-2024-08-06")),
        ("llm.tools.0.tool.name", .string("search")),
        ("llm.tools.0.tool.description", .string("searches the notes")),
        (input + "0.message_content.type", .string("audio")),
        (input + "0.message_content.audio.audio.url", .string("https://example.com/q.wav")),
        (input + "0.message_content.audio.audio.mime_type", .string("audio/wav")),
        (input + "0.message_content.audio.audio.transcript", .string("what is it")),
        (input + "1.message_content.type", .string("video")),
        (input + "1.message_content.video.video.url", .string("https://example.com/clip.mp4")),
        (input + "2.message_content.type", .string("document")),
        (input + "2.message_content.document.document.id", .string("file-1")),
        (input + "2.message_content.document.document.url", .string("https://example.com/a.pdf")),
        (input + "2.message_content.document.document.mime_type", .string("application/pdf")),
        (input + "2.message_content.document.document.name", .string("a.pdf")),
        (output + "0.message_content.type", .string("reasoning")),
        (output + "0.message_content.text", .string("thinking")),
        (output + "0.message_content.id", .string("rs_1")),
        (output + "0.message_content.signature", .string("sig")),
        (output + "0.message_content.data", .string("opaque")),
        (output + "0.message_content.encrypted_content", .string("enc")),
        ("llm.output_messages.0.message.tool_calls.0.tool_call.reasoning_signature", .string("thought-sig")),
        ("llm.token_count.prompt_details.cache_input", .int64(4)),
        ("llm.cost.prompt_details.input", .double(0.4)),
        ("llm.cost.prompt_details.cache_input", .double(0.1)),
        ("llm.cost.prompt_details.cache_read", .double(0.05)),
        ("llm.cost.prompt_details.cache_write", .double(0.02)),
        ("llm.cost.prompt_details.audio", .double(0.03)),
        ("llm.cost.completion_details.output", .double(0.2)),
        ("llm.cost.completion_details.reasoning", .double(0.04)),
        ("llm.cost.completion_details.audio", .double(0.01)),
        ("llm.prompts.0.prompt.text", .string("Once upon a time")),
        ("llm.choices.0.completion.text", .string("there was a database")),
        ("input.images.0.image.url", .string(image)),
        ("output.images.0.image.url", .string("https://example.com/out.png")),
        ("input.documents.0.document.content", .string("inline text")),
        ("input.documents.0.document.name", .string("notes.txt")),
        ("output.documents.0.document.url", .string("https://example.com/report.pdf")),
        ("output.documents.0.document.mime_type", .string("application/pdf")),
    ]

    @Test("The helpers record each 0.1.42 key they have a value for", arguments: recordedKeys)
    func helperRecordsKey(key: String, value: SpanAttribute) async throws {
        let span = try await Self.recordedSpan()
        #expect(span.attributes.get(key) == value)
    }

    static let vendorNames: [(given: String, recorded: String)] = [
        ("OpenAI", "openai"), ("openai", "openai"), ("AZURE", "azure"), ("Mistral AI", "mistral ai"), ("ÉCOLE", "école"),
    ]

    @Test("llm.system and llm.provider are lowercased, as the reference writes a free-form vendor name", arguments: vendorNames)
    func vendorNamesAreLowercased(given: String, recorded: String) async throws {
        let span = try await recordSpans {
            await withLLMSpan(system: given, provider: given) { _ in }
        }.only(kind: .llm)
        #expect(span.attribute("llm.system") == recorded)
        #expect(span.attribute("llm.provider") == recorded)
    }

    static let hidden: [(variable: String, key: String, recorded: String?)] = [
        ("OPENINFERENCE_HIDE_INPUTS", "input.images.0.image.url", nil),
        ("OPENINFERENCE_HIDE_INPUT_IMAGES", "input.images.0.image.url", nil),
        ("OPENINFERENCE_HIDE_OUTPUTS", "output.images.0.image.url", nil),
        ("OPENINFERENCE_HIDE_INPUTS", "llm.prompts.0.prompt.text", TraceConfig.redacted),
        ("OPENINFERENCE_HIDE_PROMPTS", "llm.prompts.0.prompt.text", TraceConfig.redacted),
        ("OPENINFERENCE_HIDE_OUTPUTS", "llm.choices.0.completion.text", TraceConfig.redacted),
        ("OPENINFERENCE_HIDE_CHOICES", "llm.choices.0.completion.text", TraceConfig.redacted),
        ("OPENINFERENCE_HIDE_INPUTS", "llm.tools.0.tool.name", nil),
        ("OPENINFERENCE_HIDE_LLM_TOOLS", "llm.tools.0.tool.description", nil),
        // The reference leaves span-level documents alone whatever is hidden.
        ("OPENINFERENCE_HIDE_INPUTS", "input.documents.0.document.content", "inline text"),
        ("OPENINFERENCE_HIDE_OUTPUTS", "output.documents.0.document.url", "https://example.com/report.pdf"),
        ("OPENINFERENCE_HIDE_OUTPUT_TEXT", "llm.output_messages.0.message.contents.0.message_content.text", TraceConfig.redacted),
        ("OPENINFERENCE_HIDE_OUTPUT_TEXT", "llm.output_messages.0.message.contents.0.message_content.signature", "sig"),
    ]

    @Test("Hiding a side removes or redacts what the reference removes or redacts there", arguments: hidden)
    func hidingMasksNewKeys(variable: String, key: String, recorded: String?) async throws {
        let span = try await Self.recordedSpan(config: .fromEnvironment([variable: "true"]))
        #expect(span.attribute(key) == recorded)
    }

    @Test("OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH of 0 or less is read and redacts every base64 image, keeping URLs", arguments: ["0", "-1"])
    func zeroImageLengthRedactsEveryBase64Image(value: String) async throws {
        let environment = ["OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH": value]
        #expect(TraceConfig.environmentIssues(environment).isEmpty)
        let span = try await Self.recordedSpan(config: .fromEnvironment(environment))
        #expect(span.attribute("input.images.0.image.url") == TraceConfig.redacted)
        #expect(span.attribute("output.images.0.image.url") == "https://example.com/out.png")
        #expect(span.attribute("llm.prompts.0.prompt.text") == "Once upon a time")
    }
}
