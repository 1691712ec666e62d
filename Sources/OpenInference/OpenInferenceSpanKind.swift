import Tracing

/// The kind of operation an OpenInference span describes, stored in ``SemanticConventions/spanKind``.
///
/// This is distinct from OpenTelemetry's own span kind (client, server, internal): Phoenix reads this
/// attribute to decide how to draw a span (a chat transcript for ``llm``, a document list for ``retriever``).
public enum OpenInferenceSpanKind: String, Sendable, Hashable, CaseIterable {
    /// A call to a large language model.
    case llm = "LLM"
    /// A call that turns text into embedding vectors.
    case embedding = "EMBEDDING"
    /// Glue between steps, or the entry point of a request.
    case chain = "CHAIN"
    /// A fetch of documents from a store or search index.
    case retriever = "RETRIEVER"
    /// A reordering of documents by relevance to a query.
    case reranker = "RERANKER"
    /// One execution of a tool or function the model asked for.
    case tool = "TOOL"
    /// An agent's reasoning loop; usually the root of a trace.
    case agent = "AGENT"
    /// A check that guards inputs or outputs.
    case guardrail = "GUARDRAIL"
    /// A step that scores or judges another step's output.
    case evaluator = "EVALUATOR"
    /// The rendering of a prompt template.
    case prompt = "PROMPT"
    /// A branching decision in a workflow. Not yet in the specification's text, but in the reference
    /// Python conventions (`OpenInferenceSpanKindValues.DECISION`, openinference-semantic-conventions 0.1.42).
    case decision = "DECISION"
    /// An operation of no known kind; the specification's value for spans that cannot say what they are.
    case unknown = "UNKNOWN"
}
