import Foundation
import OpenInference
import OpenInferenceTelemetry
import StackLLM

// The OpenAI calls of the conformance check (scripts/conformance.sh), made through `LLMClient` and
// exported to Phoenix. scripts/conformance/python_calls.py makes the same calls through Python's
// openinference-instrumentation-openai; scripts/conformance/compare.py compares the two projects' spans.
// Keep the two files' calls identical.

let weather = LLMToolDefinition(
    name: "weather",
    description: "Current weather for a city",
    parameters: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]
)
let question: [LLMMessage] = [.system("You can call tools."), .user("What is the weather in Oslo?")]
let call = LLMToolCall(id: "call_1", name: "weather", arguments: #"{"city":"Oslo"}"#)

var configuration = try LLMClientConfiguration.fromEnvironment()
configuration.model = "smollm2"
configuration.embeddingModel = "smollm2-embed"
configuration.maxRetries = 0
let client = LLMClient(configuration: configuration)

try await withTelemetry(.fromEnvironment(serviceName: "conformance-swift")) { _ in
    // 1. A chat offering one tool, answered with a call to it.
    _ = try await client.chat(
        ChatRequest(messages: question, temperature: 0, maxTokens: 64, tools: [weather], toolChoice: .function("weather"))
    )
    // 2. The follow-up carrying the tool's result.
    _ = try await client.chat(
        ChatRequest(
            messages: question + [.assistant(nil, toolCalls: [call]), .tool("-3°C and clear", toolCallID: "call_1")],
            temperature: 0,
            maxTokens: 32,
            tools: [weather]
        )
    )
    // 3. A streamed answer with usage.
    _ = try await client.chatStream(ChatRequest(messages: [.user("Say hello in three words.")], temperature: 0, maxTokens: 16))
    // 4. Embeddings.
    _ = try await client.embed(["SQLite is a library.", "Postgres is a server."])
    // 5. A call the server refuses.
    do {
        _ = try await client.chat(ChatRequest(messages: [LLMMessage(role: "bogus", content: "x")], maxTokens: 8))
        print("error: the server accepted a message with role 'bogus'")
        exit(1)
    } catch let error as LLMClientError {
        print("refused as expected: \(error)")
    }
}
