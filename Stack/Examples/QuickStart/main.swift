import OpenInference
import OpenInferenceTelemetry

// The README's quick start, verbatim: `make test` runs it and checks the trace in Phoenix.
try await withTelemetry(.fromEnvironment(serviceName: "quickstart")) { _ in
    await withAgentSpan(goal: "What is SQLite?") { agent in
        let messages: [LLMMessage] = [.system("Answer in one sentence."), .user("What is SQLite?")]
        let answer = await withLLMSpan(model: "smollm2", system: "openai", messages: messages) { llm in
            let reply = "SQLite is an embedded SQL database engine."  // call your model here
            llm.recordOutput(messages: [.assistant(reply)])
            llm.recordTokenUsage(TokenUsage(prompt: 24, completion: 9))
            return reply
        }
        agent.recordOutput(answer)
        print("trace_id:", Telemetry.currentTraceID ?? "none")
    }
}
