import Foundation
import StackAgent
import StackLLM
import StackTestSupport
import Synchronization

/// The model's scripted replies: two turns that call a tool, then an answer.
public enum AgentReplies {
    public static let toolCall =
        #"{"choices":[{"finish_reason":"tool_calls","message":{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"now","arguments":"{}"}}]}}],"usage":{"prompt_tokens":120,"completion_tokens":12,"total_tokens":132}}"#
    public static let answer =
        #"{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"Use SQLite for one machine."}}],"usage":{"prompt_tokens":180,"completion_tokens":9,"total_tokens":189}}"#
}

/// An agent run of three model calls (two with a tool call, then an answer) against an in-process server
/// that answers at once: six spans (AGENT, three LLM, two TOOL) when traced.
public final class AgentBench: Sendable {
    public let pipeline = BatchPipeline()
    private let agent = Mutex<Agent?>(nil)

    public init() {}

    /// Starts the model server and builds the agent, once for every benchmark that uses them.
    public func prepare(model: ScriptedHTTPServer) async throws {
        guard agent.withLock({ $0 }) == nil else { return }
        let url = try await model.start()
        agent.withLock {
            $0 = Agent(
                model: LLMClient(configuration: LLMClientConfiguration(baseURL: url, model: "scripted")),
                tools: ToolRegistry([NowTool()]),
                maxIterations: 3
            )
        }
    }

    public func run() async {
        guard let agent = agent.withLock({ $0 }) else { fatalError("the agent benchmark was not prepared") }
        do { _ = try await agent.run(goal: "Compare the databases.") } catch { fatalError("agent run failed: \(error)") }
    }
}
