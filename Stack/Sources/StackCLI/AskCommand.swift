import ArgumentParser
import Foundation
import Logging
import OpenInference
import OpenInferenceTelemetry
import PhoenixClient
import StackAgent
import StackLLM
import StackMCP
import StackService
import Synchronization

/// `stack ask "<goal>"`: runs the traced agent once and shows its trace.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ask", abstract: "Run the agent on one goal and print the answer and its trace.")

    @Argument(help: "What to ask the agent.")
    var goal: String

    @OptionGroup var options: AgentOptions

    func run() async throws {
        CommandEnvironment.current.announce()
        try await options.runAgent(goal: goal)
    }
}

/// `stack demo`: the seed question over the demo corpus.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Ingest the demo corpus if needed and ask the seed question."
    )

    static let question = "Compare Postgres and SQLite for a small Django app's database."

    @Option(help: "The folder of notes to ingest when the index is empty (default: the demo corpus).")
    var corpus = ["Stack/Examples/corpus", "Examples/corpus"].first { FileManager.default.fileExists(atPath: $0) } ?? "Stack/Examples/corpus"

    @OptionGroup var options: AgentOptions

    func run() async throws {
        CommandEnvironment.current.announce()
        try await options.ensureIndex(corpus: corpus)
        try await options.runAgent(goal: Self.question)
    }
}

/// Options shared by the commands that run the agent.
struct AgentOptions: ParsableArguments {
    @Option(help: "Model calls before the agent must answer.")
    var maxIterations = 3

    @Option(help: "The retrieval index (SQLite file).")
    var index: String = CommandEnvironment.current.defaultIndexPath

    @Option(help: "The Phoenix project (default: PHOENIX_PROJECT_NAME or 'default').")
    var project: String?

    @Flag(help: "Do not read the trace back from Phoenix.")
    var noWaterfall = false

    @Option(
        name: .customLong("mcp-server"),
        help:
            "An MCP server whose tools the agent may call: a command starting it on stdio, or its http(s):// URL (repeatable; adds to STACK_MCP_SERVERS)."
    )
    var mcpServers: [String] = []

    /// Prints the answer, or what the tools found when the model gave none, then a blank line. What
    /// the tools found is the passages the built-in tools returned, each once; tools served over MCP
    /// report no passages here, so their distinct answers are printed instead.
    static func printAnswer(_ result: AgentResult, passages: [RetrievalDocument]) {
        if result.answer.isEmpty {
            print("The model gave no usable answer (\(result.stopReason.rawValue), \(result.iterations) model calls).")
            var found = passages.compactMap { passage in
                passage.content.flatMap { $0.isEmpty ? nil : "[\(passage.id ?? "?")] \($0)" }
            }
            if found.isEmpty {
                var seen = Set<String>()
                found = result.transcript.filter { $0.role == "tool" }.compactMap(\.content).filter { !$0.isEmpty && seen.insert($0).inserted }
            }
            if !found.isEmpty {
                print("What its tools found:")
                for text in found { print(text) }
            }
        } else {
            print("answer (\(result.stopReason.rawValue), \(result.iterations) model calls):")
            print(result.answer)
        }
        print("")
        fflush(nil)
    }

    func runAgent(goal: String) async throws {
        var telemetryConfiguration = TelemetryConfiguration.fromEnvironment(CommandEnvironment.current.variables, serviceName: "stack-cli")
        if let project { telemetryConfiguration.projectName = project }
        let projectName = telemetryConfiguration.projectName
        let client = try CommandEnvironment.current.llmClient()
        let mcp = try CommandEnvironment.current.mcpConfiguration()
        let promptSource = try CommandEnvironment.current.promptSource(logger: Logger(label: "stack.prompts"))

        // The MCP servers live for the run; their processes are reaped when it ends, however it ends.
        let (traceID, exported) = try await MCPServerSet.with(
            mcp.servers + mcpServers,
            environment: CommandEnvironment.current.mcpServerEnvironment,
            configuration: mcp,
            logger: mcpLogger
        ) { servers in
            let (agent, template) = try await Self.makeAgent(index: index, client: client, maxIterations: maxIterations, mcp: servers)
                .prompted(by: promptSource, logger: Logger(label: "stack.prompts"))
            if let promptSource {
                let used = template.map { "version \($0.version ?? "?")" } ?? "unavailable, using the built-in prompt"
                FileHandle.standardError.write(Data("stack: system prompt from Phoenix: \(promptSource.reference) (\(used))\n".utf8))
            }
            return try await withTelemetry(telemetryConfiguration) { telemetry in
                let ((result, traceID), passages) = try await withOpenInferenceContext(
                    sessionID: "cli-\(ProcessInfo.processInfo.processIdentifier)",
                    promptTemplate: template
                ) {
                    try await RetrievedPassages.collecting { try await withAgentRun(agent, goal: goal) }
                }
                // The answer first: a Phoenix that is down or slow delays only the trace.
                Self.printAnswer(result, passages: passages)
                await telemetry.forceFlush()
                return (traceID, telemetry.batchProcessors.first?.exportedSpans ?? 0)
            }
        }
        if !noWaterfall, exported > 0 {
            let phoenix = try CommandEnvironment.current.phoenix()
            let spans = try await phoenix.waitForCompleteTrace(project: projectName, traceID: traceID, count: exported)
            print(TraceWaterfall.render(spans))
            print("")
            print("trace_id: \(traceID)")
            if let projectID = try? await phoenix.projectID(named: projectName) {
                print("phoenix: \(phoenix.traceURL(projectID: projectID, traceID: traceID))")
            }
        } else {
            print("trace_id: \(traceID)")
        }
    }

    func ensureIndex(corpus: String) async throws {
        let client = try CommandEnvironment.current.llmClient()
        try await Retrieval.ensureIndex(at: index, corpus: corpus, client: client)
    }

    /// The agent the CLI and the server run: the tools below, and with an index a first turn that
    /// searches before answering (small models otherwise guess).
    static func makeAgent(index: String, client: LLMClient, maxIterations: Int, mcp: MCPServerSet? = nil) async throws -> Agent {
        let tools = try await makeTools(index: index, client: client, mcp: mcp)
        let searches = tools.definitions.contains { $0.name == "search_docs" }
        return Agent(
            model: client,
            tools: tools,
            maxIterations: maxIterations,
            firstTurnToolChoice: searches ? .function("search_docs") : nil
        )
    }

    /// The MCP servers' tools, then `now`, plus `search_docs` and `fetch_chunk` when the index exists. A
    /// server's tool takes the plain name: a built-in tool of the same name is left out (the server was
    /// named on purpose), and tools of later servers that clash are prefixed with their server's name.
    static func makeTools(index: String, client: LLMClient, mcp: MCPServerSet? = nil) async throws -> ToolRegistry {
        var tools = ToolRegistry()
        await mcp?.registerTools(in: &tools, logger: mcpLogger)
        let taken = Set(tools.definitions.map(\.name))
        func builtin(_ tool: some AgentTool) {
            if !taken.contains(tool.name) { tools.register(tool) }
        }
        builtin(NowTool())
        if let retrieval = try await Retrieval.open(at: index, client: client) {
            builtin(SearchDocsTool { query, limit in try await retrieval.search(query, limit: limit) })
            builtin(FetchChunkTool { id in try await retrieval.chunk(id: id) })
        } else if !taken.contains("search_docs") {
            FileHandle.standardError.write(
                Data(
                    """
                    stack: no index at \(index), so the agent has no search tool; index notes with \
                    `swift run --package-path Stack stack ingest FOLDER` (or run `make demo`)

                    """.utf8
                )
            )
        }
        return tools
    }
}

/// Runs the agent and captures the trace id of its root span.
func withAgentRun(_ agent: Agent, goal: String) async throws -> (AgentResult, String) {
    let capture = Mutex<String?>(nil)
    let result = try await agent.run(goal: goal, onStart: { capture.withLock { $0 = TraceParent.current?.traceID } })
    return (result, capture.withLock { $0 } ?? "unknown")
}
