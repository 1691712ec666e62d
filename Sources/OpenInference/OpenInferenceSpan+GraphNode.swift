extension OpenInferenceSpan {
    /// Places the span in an agent graph: `graph.node.id`, `graph.node.name` and `graph.node.parent_id`,
    /// so that a backend can draw which agent or step delegated to which.
    ///
    /// An agent that hands work to another records its own node on its span, and the delegate names the
    /// delegating node as its parent; the root node has no parent.
    ///
    /// ```swift
    /// try await withAgentSpan(agentName: "planner", goal: goal) { span in
    ///     span.base.recordGraphNode(id: "planner", name: "Planner")
    ///     try await withAgentSpan(agentName: "researcher", goal: step) { child in
    ///         child.base.recordGraphNode(id: "researcher", name: "Researcher", parentID: "planner")
    ///     }
    /// }
    /// ```
    public func recordGraphNode(id: String, name: String? = nil, parentID: String? = nil) {
        record { writer in
            writer.set(SemanticConventions.Graph.nodeID, id)
            writer.set(SemanticConventions.Graph.nodeName, name)
            writer.set(SemanticConventions.Graph.nodeParentID, parentID)
        }
    }
}
