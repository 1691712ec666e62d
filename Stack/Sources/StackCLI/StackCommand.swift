import ArgumentParser

/// `stack`: the traced AI stack from the command line.
@main
struct StackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stack",
        abstract: "A traced LLM agent with hybrid retrieval; every step is an OpenInference span in Phoenix.",
        discussion: """
            The model server is any OpenAI-compatible API: OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_MODEL and \
            OPENAI_EMBEDDING_MODEL choose it. Spans go to PHOENIX_COLLECTOR_ENDPOINT (default http://localhost:6006), \
            project PHOENIX_PROJECT_NAME.
            """,
        subcommands: [
            AskCommand.self, CallCommand.self, DatasetCommand.self, DemoCommand.self, EvalCommand.self, ExperimentCommand.self, IngestCommand.self,
            MCPCommand.self, PromptCommand.self, ServeCommand.self, TraceCommand.self,
        ]
    )
}
