import OpenInference

/// The keys the application adds to its AGENT spans, in a `stack.` namespace of its own so they never
/// collide with a key the OpenInference specification may define later.
public enum StackAgentAttributes {
    /// Why an agent loop ended: `final_answer`, `max_iterations` or `error`.
    public static let stopReason = "stack.agent.stop_reason"
    /// How many model calls an agent loop made.
    public static let iterations = "stack.agent.iterations"
}

extension AgentSpan {
    /// Records why the loop ended and how many model calls it made (``StackAgentAttributes``).
    public func recordStop(reason: String, iterations: Int) {
        base.record { writer in
            writer.set(StackAgentAttributes.stopReason, reason)
            writer.set(StackAgentAttributes.iterations, iterations)
        }
    }
}
