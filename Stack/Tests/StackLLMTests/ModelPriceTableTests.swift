import Foundation
import OpenInference
import OpenInferenceTelemetry
import StackLLM
import StackTestSupport
import Testing
import Tracing

@Suite("Model prices and llm.cost attributes")
struct ModelPriceTableTests {
    @Test("A dated model name finds its family's price by the longest prefix; unknown models have none")
    func lookup() {
        let table = ModelPriceTable.default
        #expect(table["gpt-4o-mini-2024-07-18"] == table["gpt-4o-mini"])
        #expect(table["gpt-4o-2024-08-06"] == table["gpt-4o"])
        #expect(table["mystery-model"] == nil)
    }

    @Test("Cost counts cached prompt tokens at the cached price")
    func costWithCache() throws {
        let price = ModelPrice(promptPerMillion: 2, completionPerMillion: 8, cachedPromptPerMillion: 1)
        let cost = price.cost(of: TokenUsage(prompt: 1_000_000, completion: 500_000, promptCacheRead: 400_000))
        #expect(abs(try #require(cost.prompt) - 1.6) < 1e-12)
        #expect(cost.completion == 4)
        #expect(abs(try #require(cost.total) - 5.6) < 1e-12)
    }

    @Test("STACK_MODEL_PRICES extends the table, and a malformed entry is named in the error")
    func environment() throws {
        let configuration = try LLMClientConfiguration.fromEnvironment(["STACK_MODEL_PRICES": "house-model=0.5:1.5, other=1:2"])
        #expect(configuration.prices["house-model"] == ModelPrice(promptPerMillion: 0.5, completionPerMillion: 1.5))
        #expect(configuration.prices["gpt-4o"] != nil)
        #expect(throws: LLMClientError.self) { try LLMClientConfiguration.fromEnvironment(["STACK_MODEL_PRICES": "house-model=cheap"]) }
    }

    @Test("A priced model's LLM span carries llm.cost.prompt, completion and total; an unpriced one none")
    func costOnSpan() async throws {
        let reply =
            #"{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"ok"}}],"usage":{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500}}"#
        let server = ScriptedHTTPServer([.json(reply), .json(reply)])
        let url = try await server.start()
        let recorder = InMemorySpanRecorder()
        try await withTracer(StackTracer(processor: recorder)) {
            let priced = LLMClient(
                configuration: LLMClientConfiguration(
                    baseURL: url,
                    model: "house-model",
                    prices: ModelPriceTable(["house-model": ModelPrice(promptPerMillion: 1, completionPerMillion: 4)])
                )
            )
            _ = try await priced.chat(ChatRequest(messages: [.user("hi")]))
            let unpriced = LLMClient(configuration: LLMClientConfiguration(baseURL: url, model: "house-model", prices: ModelPriceTable()))
            _ = try await unpriced.chat(ChatRequest(messages: [.user("hi")]))
        }
        let spans = recorder.spans
        #expect(spans.count == 2)
        #expect(spans[0].attributes.get("llm.cost.prompt") == .double(0.001))
        #expect(spans[0].attributes.get("llm.cost.completion") == .double(0.002))
        guard case .double(let total)? = spans[0].attributes.get("llm.cost.total") else {
            Issue.record("no llm.cost.total")
            return
        }
        #expect(abs(total - 0.003) < 1e-12)
        #expect(spans[1].attributes.get("llm.cost.total") == nil)
    }
}
