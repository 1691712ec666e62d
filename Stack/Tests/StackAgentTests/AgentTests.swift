import Foundation
import OpenInference
import OpenInferenceTelemetry
import StackAgent
import StackLLM
import StackTestSupport
import Testing
import Tracing

@Suite("Agent loop and tools")
struct AgentTests {
    static func toolCallReply(_ calls: [(id: String, name: String, arguments: String)]) -> ScriptedHTTPServer.Reply {
        let encoded = calls.map { call in
            let arguments = String(data: try! JSONEncoder().encode(call.arguments), encoding: .utf8)!
            return #"{"id":"\#(call.id)","type":"function","function":{"name":"\#(call.name)","arguments":\#(arguments)}}"#
        }
        return .json(
            #"{"choices":[{"finish_reason":"tool_calls","message":{"role":"assistant","content":null,"tool_calls":[\#(encoded.joined(separator: ","))]}}],"usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25}}"#
        )
    }

    static func textReply(_ text: String) -> ScriptedHTTPServer.Reply {
        .json(
            #"{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"\#(text)"}}],"usage":{"prompt_tokens":40,"completion_tokens":6,"total_tokens":46}}"#
        )
    }

    @Test("Parallel tool calls, a bad one included, give the exact AGENT > LLM, TOOL span tree and a final answer")
    func agentRunSpanTree() async throws {
        let server = ScriptedHTTPServer([
            Self.toolCallReply([
                ("call_a", "search_docs", #"{"query":"sqlite"}"#),
                ("call_b", "now", "{not json"),
                ("call_c", "teleport", "{}"),
            ]),
            Self.textReply("SQLite suits a small app [n1]."),
        ])
        let url = try await server.start()
        let client = LLMClient(configuration: LLMClientConfiguration(baseURL: url, model: "scripted"))
        let tools = ToolRegistry([
            NowTool(),
            SearchDocsTool { query, limit in [RetrievalDocument(id: "n1", content: "SQLite notes about \(query)", score: 1)] },
        ])
        let recorder = InMemorySpanRecorder()
        let result = try await withTracer(StackTracer(processor: recorder)) {
            try await Agent(model: client, tools: tools).run(goal: "Which database?")
        }
        #expect(result.answer == "SQLite suits a small app [n1].")
        #expect(result.stopReason == .finalAnswer)
        #expect(result.iterations == 2)

        let spans = recorder.spans
        let agent = try #require(spans.first { $0.attributes.get("openinference.span.kind") == .string("AGENT") })
        let children = spans.filter { $0.parentSpanID == agent.context.traceContext.spanID }
        #expect(spans.count == 6)
        #expect(children.count == 5)
        #expect(children.filter { $0.attributes.get("openinference.span.kind") == .string("LLM") }.count == 2)
        let toolSpans = children.filter { $0.attributes.get("openinference.span.kind") == .string("TOOL") }
        #expect(Set(toolSpans.map(\.name)) == ["search_docs", "now", "teleport"])
        let search = try #require(toolSpans.first { $0.name == "search_docs" })
        #expect(search.status?.code == .ok)
        #expect(search.attributes.get("output.value") == .string("[n1] SQLite notes about sqlite"))
        #expect(toolSpans.first { $0.name == "now" }?.status?.code == .error)
        #expect(toolSpans.first { $0.name == "teleport" }?.status?.code == .error)
        #expect(agent.attributes.get("stack.agent.stop_reason") == .string("final_answer"))
        #expect(agent.attributes.get("stack.agent.iterations") == .int64(2))
        #expect(agent.attributes.get("output.value") == .string("SQLite suits a small app [n1]."))

        // The model saw every tool result, errors included, in the order it asked.
        let secondRequest = try #require(server.requests.last?.json?["messages"] as? [[String: Any]])
        let toolMessages = secondRequest.filter { $0["role"] as? String == "tool" }
        #expect(toolMessages.map { $0["tool_call_id"] as? String } == ["call_a", "call_b", "call_c"])
        #expect((toolMessages[1]["content"] as? String)?.hasPrefix("error: the arguments for 'now' are invalid") == true)
        #expect((toolMessages[2]["content"] as? String)?.contains("there is no tool named 'teleport'") == true)
    }

    @Test("The passages search_docs and fetch_chunk return are collected per piece of work, from its child tasks too, each id once")
    func retrievedPassagesPerRun() async throws {
        let search = SearchDocsTool { query, _ in
            [RetrievalDocument(id: "\(query)-1", content: "a", score: 1), RetrievalDocument(id: "\(query)-2", content: "b", score: 0.5)]
        }
        let fetch = FetchChunkTool { id in RetrievalDocument(id: id, content: "all of \(id)") }
        @Sendable func run(_ query: String) async throws -> [String] {
            let (_, passages) = try await RetrievedPassages.collecting {
                try await withThrowingTaskGroup(of: String.self) { group in
                    group.addTask {
                        try await search.call(JSONDecoder().decode(SearchDocsTool.Arguments.self, from: Data(#"{"query":"\#(query)"}"#.utf8)))
                    }
                    group.addTask {
                        try await fetch.call(JSONDecoder().decode(FetchChunkTool.Arguments.self, from: Data(#"{"id":"\#(query)-1"}"#.utf8)))
                    }
                    try await group.waitForAll()
                }
            }
            return passages.compactMap(\.id)
        }
        async let sqlite = run("sqlite")
        async let postgres = run("postgres")
        #expect(try await Set(sqlite) == ["sqlite-1", "sqlite-2"])
        #expect(try await sqlite.count == 2)
        #expect(try await Set(postgres) == ["postgres-1", "postgres-2"])
        // Outside a collector the tools only answer.
        #expect(try await search.call(JSONDecoder().decode(SearchDocsTool.Arguments.self, from: Data(#"{"query":"q"}"#.utf8))).contains("[q-1] a"))
    }

    @Test("A model that keeps calling tools is asked for an answer without tools on the last turn")
    func iterationLimit() async throws {
        let server = ScriptedHTTPServer(
            Array(repeating: Self.toolCallReply([("c", "now", "{}")]), count: 2) + [Self.textReply("Out of turns.")]
        )
        let url = try await server.start()
        let client = LLMClient(configuration: LLMClientConfiguration(baseURL: url, model: "scripted"))
        let result = try await Agent(model: client, tools: ToolRegistry([NowTool()]), maxIterations: 3).run(goal: "loop")
        #expect(result.stopReason == .maxIterations)
        #expect(result.iterations == 3)
        #expect(result.answer == "Out of turns.")
        #expect(server.requests.last?.json?["tools"] == nil)
        #expect(server.requests.first?.json?["tools"] != nil)
    }

    @Test("A tool call the model writes out as text on its last turn is not reported as the answer")
    func writtenToolCallIsNoAnswer() async throws {
        let server = ScriptedHTTPServer([
            Self.toolCallReply([("c", "now", "{}")]),
            Self.textReply(#"functions.search_docs:\n{ &#34;query&#34;: &#34;sqlite&#34; }"#),
        ])
        let url = try await server.start()
        let client = LLMClient(configuration: LLMClientConfiguration(baseURL: url, model: "scripted"))
        let result = try await Agent(model: client, tools: ToolRegistry([NowTool()]), maxIterations: 2).run(goal: "loop")
        #expect(result.answer == "")
        #expect(result.stopReason == .maxIterations)
    }

    @Test(
        "Written-out tool calls are told apart from answers",
        arguments: [
            ("functions.search_docs:\n{ \"query\": \"x\" }", true),
            ("  functions.now:\n{}", true),
            ("functions.search_docs: is what I would call", false),
            ("Use functions.search_docs: it helps.", false),
            ("SQLite is a library [n1].", false),
        ]
    )
    func writtenToolCalls(text: String, isCall: Bool) {
        #expect(Agent.isWrittenToolCall(text) == isCall)
    }

    @Test("A failing model call ends the run with an ERROR agent span")
    func modelFailure() async throws {
        let server = ScriptedHTTPServer([.json(#"{"error":{"message":"bad request"}}"#, status: 400)])
        let url = try await server.start()
        let client = LLMClient(configuration: LLMClientConfiguration(baseURL: url, model: "scripted"))
        let recorder = InMemorySpanRecorder()
        _ = await withTracer(StackTracer(processor: recorder)) {
            await #expect(throws: LLMClientError.self) { try await Agent(model: client).run(goal: "x") }
        }
        let agent = recorder.spans.first { $0.attributes.get("openinference.span.kind") == .string("AGENT") }
        #expect(agent?.status?.code == .error)
    }

    @Test("Tool argument schemas are derived from the Decodable type")
    func derivedSchema() {
        struct Nested: Decodable, Sendable {
            var lat: Double
            var tags: [String]
        }
        struct Lookup: AgentTool {
            struct Arguments: Decodable, Sendable {
                var query: String
                var limit: Int?
                var exact: Bool
                var place: Nested
            }
            let name = "lookup"
            let description = "Looks things up"
            var argumentDescriptions: [String: String] { ["query": "What to find"] }
            func call(_ arguments: Arguments) async throws -> String { "" }
        }
        #expect(
            Lookup().parameters.jsonString
                == #"{"properties":{"exact":{"type":"boolean"},"limit":{"type":"integer"},"place":{"properties":{"lat":{"type":"number"},"tags":{"items":{"type":"string"},"type":"array"}},"required":["lat","tags"],"type":"object"},"query":{"description":"What to find","type":"string"}},"required":["query","exact","place"],"type":"object"}"#
        )
    }
}
