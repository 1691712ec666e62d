import Logging
import PhoenixClient
import _OpenInferenceConfiguration

extension CommandEnvironment {
    /// The agent's system prompt from Phoenix, when `STACK_PROMPT` names one (`name` or `name:tag`), kept
    /// for `STACK_PROMPT_TTL` seconds (default 60) before it is fetched again; `nil` when unset.
    func promptSource(logger: Logger) throws -> PromptSource? {
        guard let reference = try PromptReference.fromEnvironment(variables) else { return nil }
        let timeToLive = try ConfigurationReader(variables).seconds("STACK_PROMPT_TTL") ?? .seconds(60)
        return PromptSource(reference: reference, phoenix: try phoenix(), timeToLive: timeToLive, logger: logger)
    }
}
