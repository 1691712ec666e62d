import Foundation
import Logging
import OpenInference
import PhoenixClient
import StackAgent

extension Agent {
    /// This agent with its system prompt from `source` (`STACK_PROMPT`), and the template its LLM spans
    /// should record (run the agent inside `withOpenInferenceContext(promptTemplate:)`).
    ///
    /// The template may use `{{tools}}` (the tool names, comma-separated) and `{{date}}` (today, ISO 8601),
    /// or `{tools}`/`{date}` in F_STRING format. Without a source, before Phoenix ever answered, or when the
    /// template cannot be filled, the agent keeps its built-in prompt and no template is recorded.
    public func prompted(by source: PromptSource?, logger: Logger) async -> (agent: Agent, template: PromptTemplate?) {
        guard let source, let prompt = await source.current() else { return (self, nil) }
        let variables = [
            "tools": tools.definitions.map(\.name).joined(separator: ", "),
            "date": String(ISO8601DateFormatter().string(from: Date()).prefix(10)),
        ]
        do {
            var agent = self
            agent.systemPrompt = try prompt.render(variables)
            return (agent, prompt.spanTemplate(variables: variables))
        } catch {
            logger.warning(
                "the prompt from Phoenix cannot be used; keeping the built-in prompt",
                metadata: ["prompt": "\(source.reference)", "error": "\(error)"])
            return (self, nil)
        }
    }
}
