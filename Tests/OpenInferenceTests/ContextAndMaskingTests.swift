import InMemoryTracing
import OpenInference
import OpenInferenceTesting
import Testing
import Tracing

@Suite("Context attributes and masking")
struct ContextAndMaskingTests {
    @Test("Context attributes reach every OpenInference span in scope and nested scopes merge")
    func contextAttributesApplyAndMerge() async throws {
        let template = PromptTemplate(template: "Answer {question}", variables: ["question": "why"], version: "v2")
        let spans = await recordSpans {
            await withOpenInferenceContext(
                sessionID: "s-1",
                userID: "ana",
                metadata: ["tier": "free"],
                tags: ["beta"],
                promptTemplate: template
            ) {
                await withChainSpan("outer") { _ in
                    await withOpenInferenceContext(metadata: ["region": "eu"], tags: ["eval"]) {
                        await withLLMSpan(model: "m", messages: [.user("why")]) { _ in }
                    }
                }
            }
            await withChainSpan("outside") { _ in }
        }
        let outer = try #require(spans.first { $0.operationName == "outer" })
        let llm = try #require(spans.first { $0.openInferenceKind == .llm })
        let outside = try #require(spans.first { $0.operationName == "outside" })
        #expect(outer.attribute("session.id") == "s-1")
        #expect(outer.attribute("user.id") == "ana")
        #expect(outer.attribute("metadata") == #"{"tier":"free"}"#)
        #expect(outer.attributes.get("tag.tags") == .stringArray(["beta"]))
        #expect(outer.attribute("llm.prompt_template.template") == "Answer {question}")
        #expect(outer.attribute("llm.prompt_template.variables") == #"{"question":"why"}"#)
        #expect(outer.attribute("llm.prompt_template.version") == "v2")
        #expect(llm.attribute("session.id") == "s-1")
        #expect(llm.attribute("metadata") == #"{"region":"eu","tier":"free"}"#)
        #expect(llm.attributes.get("tag.tags") == .stringArray(["beta", "eval"]))
        #expect(outside.attribute("session.id") == nil)
        #expect(outside.attribute("metadata") == nil)
    }

    @Test("A template kept in a prompt registry puts prompt.id, prompt.url and prompt.vendor on the spans in scope")
    func promptRegistryAttributes() async throws {
        let template = PromptTemplate(
            template: "Be brief.", version: "UHJvbXB0VmVyc2lvbjox", id: "UHJvbXB0VmVyc2lvbjox",
            url: "http://phoenix/v1/prompt_versions/UHJvbXB0VmVyc2lvbjox", vendor: "phoenix"
        )
        let spans = await recordSpans {
            await withOpenInferenceContext(promptTemplate: template) {
                await withLLMSpan(model: "m", messages: [.user("hi")]) { _ in }
            }
            await withLLMSpan(model: "m", messages: [.user("hi")]) { _ in }
        }
        #expect(spans.count == 2)
        let inside = try #require(spans.first)
        #expect(inside.attribute("prompt.id") == "UHJvbXB0VmVyc2lvbjox")
        #expect(inside.attribute("prompt.url") == "http://phoenix/v1/prompt_versions/UHJvbXB0VmVyc2lvbjox")
        #expect(inside.attribute("prompt.vendor") == "phoenix")
        #expect(inside.attribute("llm.prompt_template.template") == "Be brief.")
        #expect(spans.last?.attribute("prompt.vendor") == nil)
    }

    @Test("The environment variables map onto the trace configuration")
    func environmentVariablesAreRead() {
        let config = TraceConfig.fromEnvironment([
            "OPENINFERENCE_HIDE_INPUTS": "true",
            "OPENINFERENCE_HIDE_OUTPUTS": "1",
            "OPENINFERENCE_HIDE_INPUT_MESSAGES": "yes",
            "OPENINFERENCE_HIDE_OUTPUT_MESSAGES": "TRUE",
            "OPENINFERENCE_HIDE_INPUT_IMAGES": "true",
            "OPENINFERENCE_HIDE_INPUT_TEXT": "true",
            "OPENINFERENCE_HIDE_OUTPUT_TEXT": "true",
            "OPENINFERENCE_HIDE_EMBEDDING_VECTORS": "true",
            "OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS": "true",
            "OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH": "100",
            "OPENINFERENCE_MAX_ATTRIBUTE_LENGTH": "2048",
        ])
        #expect(config.hideInputs && config.hideOutputs && config.hideInputMessages && config.hideOutputMessages)
        #expect(config.hideInputImages && config.hideInputText && config.hideOutputText)
        #expect(config.hideEmbeddingVectors && config.hideLLMInvocationParameters)
        #expect(config.base64ImageMaxLength == 100)
        #expect(config.maxAttributeLength == 2048)
        let unreadable = TraceConfig.fromEnvironment([
            "OPENINFERENCE_HIDE_INPUTS": "maybe", "OPENINFERENCE_MAX_ATTRIBUTE_LENGTH": "-4",
            "OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH": "big",
        ])
        #expect(unreadable == .default)
        let completions = TraceConfig.fromEnvironment(["OPENINFERENCE_HIDE_PROMPTS": "true", "OPENINFERENCE_HIDE_CHOICES": "true"])
        #expect(completions.hidePrompts && completions.hideChoices)
    }

    @Test("Hiding inputs redacts input.value and drops input messages; outputs stay")
    func hideInputs() async throws {
        var config = TraceConfig()
        config.hideInputs = true
        let span = try await llmSpan(config: config)
        #expect(span.attribute("input.value") == "__REDACTED__")
        #expect(span.attribute("input.mime_type") == nil)
        #expect(span.attribute("llm.input_messages.0.message.content") == nil)
        #expect(span.attribute("llm.input_messages.0.message.role") == nil)
        #expect(span.attribute("llm.output_messages.0.message.content") == "secret answer")
        #expect(span.attribute("output.value") == "secret answer")
    }

    @Test("Hiding outputs redacts output.value and drops output messages")
    func hideOutputs() async throws {
        var config = TraceConfig()
        config.hideOutputs = true
        let span = try await llmSpan(config: config)
        #expect(span.attribute("output.value") == "__REDACTED__")
        #expect(span.attribute("llm.output_messages.0.message.role") == nil)
        #expect(span.attribute("llm.input_messages.0.message.content") == "secret question")
    }

    @Test("Hiding message text keeps roles and redacts content")
    func hideText() async throws {
        var config = TraceConfig()
        config.hideInputText = true
        config.hideOutputText = true
        let span = try await llmSpan(config: config)
        #expect(span.attribute("llm.input_messages.0.message.role") == "user")
        #expect(span.attribute("llm.input_messages.0.message.content") == "__REDACTED__")
        #expect(span.attribute("llm.input_messages.1.message.contents.0.message_content.text") == "__REDACTED__")
        #expect(span.attribute("llm.output_messages.0.message.content") == "__REDACTED__")
    }

    @Test("Hiding input messages drops them but leaves input.value")
    func hideInputMessages() async throws {
        var config = TraceConfig()
        config.hideInputMessages = true
        let span = try await llmSpan(config: config)
        #expect(span.attribute("llm.input_messages.0.message.role") == nil)
        #expect(span.attribute("input.value") == "raw request")
    }

    @Test("Images are dropped when hidden and long base64 images are redacted")
    func imageMasking() async throws {
        var hidden = TraceConfig()
        hidden.hideInputImages = true
        let hiddenSpan = try await llmSpan(config: hidden)
        #expect(hiddenSpan.attribute("llm.input_messages.1.message.contents.1.message_content.image.image.url") == nil)

        var short = TraceConfig()
        short.base64ImageMaxLength = 10
        let shortSpan = try await llmSpan(config: short)
        #expect(shortSpan.attribute("llm.input_messages.1.message.contents.1.message_content.image.image.url") == "__REDACTED__")
        let keptSpan = try await llmSpan(config: .default)
        #expect(keptSpan.attribute("llm.input_messages.1.message.contents.1.message_content.image.image.url") == Self.image)
    }

    @Test("Embedding vectors and invocation parameters can be hidden")
    func hideVectorsAndParameters() async throws {
        var config = TraceConfig()
        config.hideEmbeddingVectors = true
        config.hideLLMInvocationParameters = true
        let spans = await recordSpans(config: config) {
            await withEmbeddingSpan(texts: ["a"]) { $0.recordVectors([[1, 2]]) }
            await withLLMSpan(messages: [], parameters: ["temperature": 1]) { _ in }
        }
        #expect(spans[0].attribute("embedding.embeddings.0.embedding.text") == "a")
        #expect(spans[0].attributes.get("embedding.embeddings.0.embedding.vector") == .string("__REDACTED__"))
        #expect(spans[1].attribute("llm.invocation_parameters") == nil)
    }

    @Test("A 10 MB message is truncated to the configured length, on a character boundary")
    func hugeMessageIsTruncated() async throws {
        var config = TraceConfig()
        config.maxAttributeLength = 1000
        let huge = String(repeating: "é", count: 5_000_000)  // 10 MB of UTF-8
        let spans = await recordSpans(config: config) {
            await withLLMSpan(messages: [.user(huge)]) { span in span.recordOutput(huge) }
        }
        let content = try #require(spans.first?.attribute("llm.input_messages.0.message.content"))
        #expect(content.utf8.count < 1100)
        #expect(content.hasPrefix(String(repeating: "é", count: 500)))
        #expect(content.hasSuffix("… [truncated from 10000000 bytes]"))
        #expect(spans.first?.attribute("output.value")?.utf8.count ?? .max < 1100)
    }

    static let image = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"

    private func llmSpan(config: TraceConfig) async throws -> FinishedInMemorySpan {
        try await recordSpans(config: config) {
            await withLLMSpan(
                model: "m",
                messages: [
                    .user("secret question"),
                    LLMMessage(role: "user", contents: [.text("look"), .image(url: Self.image)]),
                ]
            ) { span in
                span.recordInput("raw request")
                span.recordOutput(messages: [.assistant("secret answer")])
            }
        }.only(kind: .llm)
    }
}
