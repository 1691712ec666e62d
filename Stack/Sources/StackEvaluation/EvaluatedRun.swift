import OpenInference
import PhoenixClient

/// One answered run as Phoenix holds it, ready to evaluate: the span its verdicts annotate, the
/// question and the answer, and what its RETRIEVER spans found. `stack eval` builds it from stored
/// traces, `stack serve`'s online evaluation from a live run (``TraceEvaluation`` judges it).
public struct EvaluatedRun: Sendable, Hashable {
    /// One RETRIEVER span of the run: its documents get the relevance verdicts.
    public struct Retrieval: Sendable, Hashable {
        /// The RETRIEVER span's id.
        public var spanID: String
        /// The query it searched for (its `input.value`), when recorded.
        public var query: String?
        /// The documents it recorded, in their positions.
        public var documents: [RetrievalDocument]

        /// A retrieval.
        public init(spanID: String, query: String?, documents: [RetrievalDocument]) {
            self.spanID = spanID
            self.query = query
            self.documents = documents
        }

        /// What a RETRIEVER span recorded (`retrieval.documents.N.document.*`, flattened by Phoenix).
        public init(_ span: PhoenixSpan) {
            var documents: [RetrievalDocument] = []
            while true {
                let prefix = "retrieval.documents.\(documents.count).document."
                let id = span.string(prefix + "id")
                let content = span.string(prefix + "content")
                guard id != nil || content != nil else { break }
                documents.append(RetrievalDocument(id: id, content: content))
            }
            self.init(spanID: span.context.spanID, query: span.string(SemanticConventions.Input.value), documents: documents)
        }
    }

    /// The evaluated trace.
    public var traceID: String
    /// The span whose annotations carry the answer's verdicts (the run's root).
    public var rootSpanID: String
    /// The question or goal.
    public var input: String
    /// The answer.
    public var output: String
    /// The run's RETRIEVER spans, in the order Phoenix listed them.
    public var retrievals: [Retrieval]

    /// A run.
    public init(traceID: String, rootSpanID: String, input: String, output: String, retrievals: [Retrieval] = []) {
        self.traceID = traceID
        self.rootSpanID = rootSpanID
        self.input = input
        self.output = output
        self.retrievals = retrievals
    }

    /// The run whose root is `root`: its question and answer are the root's `input.value` and
    /// `output.value` (the first AGENT span's when the root has none), its retrievals every RETRIEVER
    /// span among `spans` (the trace's spans).
    public init(root: PhoenixSpan, spans: [PhoenixSpan]) {
        let agent = spans.filter { $0.spanKind == "AGENT" }.min { $0.startTime < $1.startTime }
        func text(_ key: String) -> String { root.string(key) ?? agent?.string(key) ?? "" }
        self.init(
            traceID: root.context.traceID,
            rootSpanID: root.context.spanID,
            input: text(SemanticConventions.Input.value),
            output: text(SemanticConventions.Output.value),
            retrievals: spans.filter { $0.spanKind == "RETRIEVER" }.map(Retrieval.init)
        )
    }

    /// The sample the answer evaluators judge: every retrieved document counts as a passage.
    public var sample: EvaluationSample {
        EvaluationSample(input: input, output: output, documents: retrievals.flatMap(\.documents))
    }
}
