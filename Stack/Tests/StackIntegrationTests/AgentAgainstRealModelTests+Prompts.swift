import Foundation
import Logging
import OpenInference
import OpenInferenceTelemetry
import PhoenixClient
import StackAgent
import StackLLM
import StackService
import Synchronization
import Testing
import Tracing

/// The agent takes its system prompt from a real Phoenix (what `STACK_PROMPT` does in `stack ask` and
/// `stack serve`), runs against the real model, and its LLM spans in Phoenix name the template and version.
/// Part of the serialized real-model suite, so the one model server is not asked by more tests at once.
extension AgentAgainstRealModelTests {
    @Test("LLM spans record the template, its variables, its version and the prompt's id, link and vendor")
    func llmSpansRecordTemplate() async throws {
        let modelURL = try #require(LiveServers.model, "STACK_MODEL_URL is not set; run `make test`")
        let phoenixURL = try #require(LiveServers.phoenix, "STACK_PHOENIX_URL is not set; run `make test`")
        let phoenix = PhoenixClient(baseURL: phoenixURL)
        let name = "stack-agent-prompt-\(UUID().uuidString.prefix(8).lowercased())"
        let template = "You are terse. Today is {{date}}. Your tools: {{tools}}."
        let pushed = try await phoenix.pushPrompt(name: name, template: template, tag: "production")
        let source = PromptSource(reference: PromptReference(name: name, tag: "production"), phoenix: phoenix, logger: Logger(label: "test"))

        let client = LLMClient(configuration: LLMClientConfiguration(baseURL: modelURL, model: "smollm2", timeout: .seconds(120)))
        let base = Agent(model: client, tools: ToolRegistry([NowTool()]), maxIterations: 1, temperature: 0, maxTokens: 24)
        let (agent, spanTemplate) = await base.prompted(by: source, logger: Logger(label: "test"))
        let recorded = try #require(spanTemplate)
        #expect(agent.systemPrompt.hasPrefix("You are terse. Today is 20"))
        #expect(agent.systemPrompt.hasSuffix("Your tools: now."))

        let project = "stack-prompt-it-\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = TelemetryConfiguration(serviceName: "stack-integration-tests")
        configuration.endpoint = phoenixURL.absoluteString + "/v1/traces"
        configuration.projectName = project
        let telemetry = try Telemetry(configuration: configuration)
        let traceID = Mutex<String?>(nil)
        _ = try await withTracer(telemetry.tracer) {
            try await withOpenInferenceContext(promptTemplate: recorded) {
                try await agent.run(goal: "Say hello.") { traceID.withLock { $0 = Telemetry.currentTraceID } }
            }
        }
        await telemetry.forceFlush()
        let exported = try #require(telemetry.batchProcessors.first?.exportedSpans)
        let spans = try await phoenix.waitForTrace(project: project, traceID: try #require(traceID.withLock { $0 }), count: exported)
        let llm = try #require(spans.first { $0.spanKind == "LLM" })
        #expect(llm.string("llm.prompt_template.template") == template)
        #expect(llm.string("llm.prompt_template.version") == pushed.versionID)
        // Phoenix parses the variables' JSON and returns it flattened.
        #expect(llm.string("llm.prompt_template.variables.tools") == "now")
        #expect(llm.string("prompt.id") == pushed.versionID)
        #expect(llm.string("prompt.vendor") == "phoenix")
        #expect(llm.string("prompt.url") == phoenixURL.absoluteString + "/v1/prompt_versions/\(pushed.versionID)")
        #expect(llm.string("llm.input_messages.0.message.content") == agent.systemPrompt)
        await telemetry.shutdown()
    }

    @Test("Without Phoenix the agent keeps its built-in prompt and records no template")
    func phoenixDownKeepsBuiltInPrompt() async throws {
        let phoenix = PhoenixClient(baseURL: URL(string: "http://127.0.0.1:9")!, requestTimeout: .seconds(1))
        let source = PromptSource(reference: PromptReference(name: "agent"), phoenix: phoenix, logger: Logger(label: "test"))
        let base = Agent(model: LLMClient(configuration: LLMClientConfiguration()))
        let (agent, template) = await base.prompted(by: source, logger: Logger(label: "test"))
        #expect(agent.systemPrompt == Agent.defaultSystemPrompt)
        #expect(template == nil)
    }
}
