import Foundation
import InMemoryTracing
import OpenInference
import OpenInferenceTesting
import Testing
import Tracing

/// The behaviours that make a span read like one from Python's OpenInference instrumentation.
@Suite("Conformance with the reference instrumentation")
struct ConformanceTests {
    @Test("A helper whose body returns marks its span OK; one that recorded an error stays ERROR")
    func statusFollowsTheOutcome() async throws {
        let spans = await recordSpans {
            await withToolSpan(tool: "fine") { _ in }
            await withToolSpan(tool: "failed softly") { span in span.recordError(ScriptedFailure()) }
        }
        #expect(try spans.only(named: "fine").status?.code == .ok)
        #expect(try spans.only(named: "failed softly").status?.code == .error)
    }

    @Test("The finish reason is recorded as llm.finish_reason")
    func finishReason() async throws {
        let spans = await recordSpans {
            await withLLMSpan(model: "m", messages: [.user("hi")]) { span in
                span.recordOutput(
                    messages: [.assistant(nil, toolCalls: [LLMToolCall(id: "c", name: "f", arguments: "{}")])],
                    responseJSON: #"{"choices":[]}"#)
                span.recordFinishReason("tool_calls")
            }
        }
        let llm = try spans.only(kind: .llm)
        #expect(llm.attribute("llm.finish_reason") == "tool_calls")
        #expect(llm.attribute("output.value") == #"{"choices":[]}"#)
        #expect(llm.attribute("output.mime_type") == "application/json")
    }

    @Test("Embedding spans are named CreateEmbeddings and carry their invocation parameters")
    func embeddingSpan() async throws {
        let spans = await recordSpans {
            await withEmbeddingSpan(model: "e", texts: ["a"], parameters: ["model": "e"], system: "openai") { span in
                span.recordVectors([[0.5]])
            }
        }
        let embedding = try spans.only(kind: .embedding)
        #expect(embedding.operationName == "CreateEmbeddings")
        #expect(embedding.jsonAttribute("embedding.invocation_parameters") == ["model": "e"])
        #expect(embedding.attribute("llm.system") == "openai")
        #expect(embedding.attribute("embedding.embeddings.0.embedding.text") == "a")
    }

    @Test("Hiding inputs also drops the tools offered to the model; hiding tools drops only them")
    func toolsAreInputs() async throws {
        for (config, toolsKept, inputKept) in [(Self.config(\.hideInputs), false, false), (Self.config(\.hideLLMTools), false, true)] {
            let spans = await recordSpans(config: config) {
                await withLLMSpan(model: "m", messages: [.user("q")], tools: [LLMToolDefinition(name: "t", description: "d", parameters: [:])]) {
                    $0.recordInput("q")
                }
            }
            let llm = try spans.only(kind: .llm)
            #expect((llm.attribute("llm.tools.0.tool.json_schema") != nil) == toolsKept)
            #expect((llm.attribute("input.value") == "q") == inputKept)
        }
    }

    @Test("Hidden embedding vectors and texts become __REDACTED__ instead of disappearing")
    func embeddingsAreRedacted() async throws {
        var config = TraceConfig()
        config.hideEmbeddingVectors = true
        config.hideEmbeddingsText = true
        let spans = await recordSpans(config: config) {
            await withEmbeddingSpan(model: "e", texts: ["secret"]) { $0.recordVectors([[0.1, 0.2]]) }
        }
        let embedding = try spans.only(kind: .embedding)
        #expect(embedding.attribute("embedding.embeddings.0.embedding.vector") == "__REDACTED__")
        #expect(embedding.attribute("embedding.embeddings.0.embedding.text") == "__REDACTED__")
    }

    @Test("Either embedding-vector variable hides the vectors, whatever the other says")
    func vectorVariablesCombine() {
        for environment in [
            ["OPENINFERENCE_HIDE_EMBEDDING_VECTORS": "true", "OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS": "false"],
            ["OPENINFERENCE_HIDE_EMBEDDING_VECTORS": "false", "OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS": "true"],
        ] {
            #expect(TraceConfig.fromEnvironment(environment).hideEmbeddingVectors)
        }
        #expect(!TraceConfig.fromEnvironment(["OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS": "false"]).hideEmbeddingVectors)
    }

    @Test("The new switches are read from the environment, and unreadable values are reported by name")
    func newVariables() {
        let config = TraceConfig.fromEnvironment([
            "OPENINFERENCE_HIDE_LLM_TOOLS": "TRUE", "OPENINFERENCE_HIDE_EMBEDDINGS_TEXT": "Yes",
            "OPENINFERENCE_HIDE_RETRIEVAL_DOCUMENTS": "1", "OPENINFERENCE_ENABLE_GENAI_SEMCONV": "yes",
        ])
        #expect(config.hideLLMTools && config.hideEmbeddingsText && config.hideRetrievalDocuments)
        #expect(config.enableGenAISemanticConventions)
        let issues = TraceConfig.environmentIssues(["OPENINFERENCE_HIDE_INPUTS": "maybe", "OPENINFERENCE_MAX_ATTRIBUTE_LENGTH": "0"])
        #expect(issues.map(\.variable).sorted() == ["OPENINFERENCE_HIDE_INPUTS", "OPENINFERENCE_MAX_ATTRIBUTE_LENGTH"])
        #expect(
            issues.first { $0.variable == "OPENINFERENCE_HIDE_INPUTS" }?.description
                == "OPENINFERENCE_HIDE_INPUTS=maybe is not valid: use true or false")
    }

    @Test("The base64 image limit applies to images in output messages too")
    func outputImagesAreLimited() async throws {
        var config = TraceConfig()
        config.base64ImageMaxLength = 40
        let image = "data:image/png;base64," + String(repeating: "A", count: 100)
        let spans = await recordSpans(config: config) {
            await withLLMSpan(model: "m") { span in
                span.recordOutput(messages: [LLMMessage(role: "assistant", contents: [.image(url: image)])])
            }
        }
        let llm = try spans.only(kind: .llm)
        #expect(llm.attribute("llm.output_messages.0.message.contents.0.message_content.image.image.url") == "__REDACTED__")
    }

    @Test("A cut JSON value stays valid: input.value turns text/plain, parameters become a JSON string")
    func cutJSONStaysValid() async throws {
        var config = TraceConfig()
        config.maxAttributeLength = 64
        let long = String(repeating: "x", count: 500)
        let spans = await recordSpans(config: config) {
            await withLLMSpan(model: "m", parameters: ["note": .string(long)]) { span in
                span.recordInput(json: ["prompt": .string(long)])
            }
        }
        let llm = try spans.only(kind: .llm)
        #expect(llm.attribute("input.mime_type") == "text/plain")
        #expect(llm.attribute("input.value")?.hasSuffix("bytes]") == true)
        let parameters = try #require(llm.jsonAttribute("llm.invocation_parameters"))
        guard case .string(let cut) = parameters else {
            Issue.record("the cut parameters are not a JSON string: \(parameters)")
            return
        }
        #expect(cut.contains("[truncated from"))
    }

    @Test("Retrieved documents' content and metadata are redacted when outputs are hidden")
    func retrievalDocumentsFollowOutputs() async throws {
        let spans = await recordSpans(config: Self.config(\.hideOutputs)) {
            await withRetrieverSpan(query: "q") { span in
                span.recordDocuments([RetrievalDocument(id: "d", content: "secret", metadata: ["path": "a"])])
            }
        }
        let retriever = try spans.only(kind: .retriever)
        #expect(retriever.attribute("retrieval.documents.0.document.id") == "d")
        #expect(retriever.attribute("retrieval.documents.0.document.content") == "__REDACTED__")
        #expect(retriever.attribute("retrieval.documents.0.document.metadata") == "__REDACTED__")
    }

    @Test(
        "The provider is inferred from the model server's host as the reference does",
        arguments: [
            ("api.openai.com", "openai"), ("eastus.openai.azure.com", "azure"), ("API.ANTHROPIC.COM", "anthropic"),
            ("bedrock-runtime.us-east-1.amazonaws.com", "aws"), ("127.0.0.1", nil), ("notapi.openai.com.evil.example", nil),
        ] as [(String, String?)]
    )
    func providerFromHost(host: String, provider: String?) {
        #expect(LLMProvider.inferred(fromHost: host) == provider)
    }

    @Test("UNKNOWN is a span kind")
    func unknownKind() {
        #expect(OpenInferenceSpanKind(rawValue: "UNKNOWN") == .unknown)
    }

    private static func config(_ flag: WritableKeyPath<TraceConfig, Bool>) -> TraceConfig {
        var config = TraceConfig()
        config[keyPath: flag] = true
        return config
    }
}
