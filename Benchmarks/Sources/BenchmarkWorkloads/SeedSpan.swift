import OpenInference

/// The seed LLM span of the performance issue, the same as `Stack/Benchmarks/python/otel_llm_span.py`
/// records with Python's SDK: kind, model, system, invocation parameters, ten input messages of about 150
/// characters flattened, one output message, three token counts.
public enum SeedSpan {
    public static let messages: [LLMMessage] = (0..<10).map { index in
        let text = String(
            "Message \(index): compare Postgres and SQLite for a small Django app, covering concurrency, backups, deployment and cost. "
                .prefix(150)
        )
        return index == 0 ? .system(text) : (index.isMultiple(of: 2) ? .assistant(text) : .user(text))
    }
    public static let parameters: OpenInferenceJSON = ["temperature": 0.2, "max_tokens": 512, "top_p": 1]
    public static let output = LLMMessage.assistant(String(repeating: "SQLite suits one machine; Postgres suits many writers. ", count: 3))
    public static let usage = TokenUsage(prompt: 412, completion: 38)

    /// Records `count` spans, yielding every 100 so that the export task gets its turn on the cooperative
    /// pool, as it does between an application's requests (the benchmark harness keeps one of its threads).
    public static func record(_ count: Int) async {
        for index in 0..<count {
            if index % 100 == 99 { await Task.yield() }
            await record()
        }
    }

    public static func record() async {
        await withLLMSpan(model: "gpt-4o-mini", system: "openai", messages: messages, parameters: parameters) { span in
            span.recordOutput(messages: [output])
            span.recordTokenUsage(usage)
        }
    }
}
