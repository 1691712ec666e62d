import StackLLM

/// Anything that answers chat requests: ``LLMClient`` over HTTP, or a scripted model in tests and benchmarks.
public protocol ChatModel: Sendable {
    func chat(_ request: ChatRequest) async throws -> ChatResponse
}

extension LLMClient: ChatModel {}
