import Foundation
import OpenInference
import OpenInferenceTesting
import PhoenixClient
import StackEvaluation
import StackLLM
import Synchronization
import Testing

/// Records what would have gone to Phoenix.
final class RecordingAnnotator: EvaluationAnnotator {
    let spanAnnotations = Mutex<[SpanAnnotation]>([])
    let documentAnnotations = Mutex<[(spanID: String, position: Int, name: String, kind: SpanAnnotation.AnnotatorKind, label: String?)]>([])

    func annotateSpan(_ annotation: SpanAnnotation) async throws(PhoenixClientError) -> String {
        spanAnnotations.withLock { $0.append(annotation) }
        return "annotation-\(annotation.name)"
    }

    func annotateDocument(
        spanID: String, position: Int, name: String, annotatorKind: SpanAnnotation.AnnotatorKind,
        label: String?, score: Double?, explanation: String?, identifier: String?
    ) async throws(PhoenixClientError) {
        documentAnnotations.withLock { $0.append((spanID, position, name, annotatorKind, label)) }
    }
}

@Suite("Evaluating one run")
struct TraceEvaluationTests {
    static let run = EvaluatedRun(
        traceID: "0af7651916cd43dd8448eb211c80319c", rootSpanID: "b7ad6b7169203331",
        input: "How do I back up SQLite?", output: "Use VACUUM INTO, see sqlite.md#2.",
        retrievals: [
            EvaluatedRun.Retrieval(
                spanID: "00f067aa0ba902b7", query: "back up sqlite",
                documents: [
                    RetrievalDocument(id: "sqlite.md#2", content: "VACUUM INTO copies"), RetrievalDocument(id: "pg.md#1", content: "pg_dump"),
                ]
            )
        ]
    )

    @Test("Verdicts land on the root span and the documents, each from an EVALUATOR span naming the evaluated trace")
    func annotatesRootAndDocuments() async throws {
        let judge: LLMJudge.Complete = { request in
            request.messages.last?.content?.contains("PASSAGE: pg_dump") == true
                ? #"{"label": "unrelated", "score": 0, "explanation": "about Postgres"}"#
                : #"{"label": "relevant", "score": 1, "explanation": "fits"}"#
        }
        let evaluation = TraceEvaluation(
            answerEvaluators: [NonEmptyAnswer(), CitesRetrievedPassage()], relevance: LLMJudge.relevance(judge), identifier: "test"
        )
        let annotator = RecordingAnnotator()
        let outcome = Mutex<TraceEvaluation.Outcome?>(nil)
        let spans = try await recordSpans {
            let result = try await evaluation.evaluate(Self.run, annotator: annotator)
            outcome.withLock { $0 = result }
        }
        #expect(outcome.withLock { $0?.annotations } == 4)
        let annotations = annotator.spanAnnotations.withLock { $0 }
        #expect(annotations.map(\.name) == ["non_empty", "cites_retrieved_passage"])
        #expect(annotations.allSatisfy { $0.spanID == Self.run.rootSpanID && $0.annotatorKind == .code && $0.identifier == "test" })
        #expect(
            annotator.documentAnnotations.withLock { $0.map { "\($0.position) \($0.label ?? "") \($0.kind.rawValue)" } } == [
                "0 relevant LLM", "1 unrelated LLM",
            ])

        let evaluators = spans.spans(kind: .evaluator)
        #expect(evaluators.count == 4)
        // Each evaluation is a trace of its own, and says which trace and span it judged.
        #expect(Set(evaluators.map(\.traceID)).count == 4)
        for span in evaluators {
            guard case .object(let metadata)? = span.jsonAttribute(SemanticConventions.Context.metadata) else {
                Issue.record("no metadata on \(span.operationName)")
                continue
            }
            #expect(metadata["evaluated_trace_id"] == .string(Self.run.traceID))
            // The verdict, as the annotations specification puts it on an EVALUATOR span.
            #expect(span.attribute("evaluations.0.evaluation.name") == metadata["evaluator"]?.stringValue)
            #expect(span.attribute("evaluations.0.evaluation.label") != nil)
            #expect(span.attributes.get("evaluations.0.evaluation.score") != nil)
            #expect(span.attribute("evaluations.0.evaluation.annotator_kind") == metadata["annotator_kind"]?.stringValue)
        }
    }

    @Test(
        "A judge that fails or answers nonsense is an evaluation without a verdict; the others still annotate",
        arguments: [
            ("throws", EvaluationError.Code.judgeFailed), ("banana", .unparsableJudgement),
        ])
    func failingJudge(answer: String, code: EvaluationError.Code) async throws {
        struct Down: Error {}
        let judge: LLMJudge.Complete = { _ in
            if answer == "throws" { throw Down() }
            return answer
        }
        let evaluation = TraceEvaluation(judge: judge, identifier: "test")
        let annotator = RecordingAnnotator()
        let outcome = try await evaluation.evaluate(Self.run, annotator: annotator)
        #expect(outcome.annotations == 2)
        #expect(outcome.failures.map(\.evaluator) == ["groundedness", "relevance[0]", "relevance[1]"])
        #expect(outcome.failures.allSatisfy { $0.error.code == code })
    }

    static func span(_ id: String, kind: String, parent: String?, start: String, attributes: String) throws -> PhoenixSpan {
        let json = """
            {"id": "g\(id)", "name": "\(kind)", "context": {"trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "\(id)"},
             "span_kind": "\(kind)", "parent_id": \(parent.map { "\"\($0)\"" } ?? "null"), "start_time": "\(start)",
             "end_time": "\(start)", "status_code": "OK", "status_message": "", "attributes": \(attributes), "events": []}
            """
        return try JSONDecoder().decode(PhoenixSpan.self, from: Data(json.utf8))
    }

    @Test("A stored run reads its question and answer from its root, else from its agent span, and its documents from every RETRIEVER span")
    func runFromStoredSpans() throws {
        let agent = try Self.span(
            "a1", kind: "AGENT", parent: "r1", start: "2026-01-01T00:00:01Z", attributes: #"{"input.value": "goal", "output.value": "answer"}"#)
        let retriever = try Self.span(
            "t1", kind: "RETRIEVER", parent: "a1", start: "2026-01-01T00:00:02Z",
            attributes:
                #"{"input.value": "query", "retrieval.documents.0.document.id": "d0", "retrieval.documents.0.document.content": "c0", "retrieval.documents.1.document.id": "d1"}"#
        )
        let bareRoot = try Self.span("r1", kind: "CHAIN", parent: nil, start: "2026-01-01T00:00:00Z", attributes: "{}")
        let run = EvaluatedRun(root: bareRoot, spans: [bareRoot, agent, retriever])
        #expect(run.rootSpanID == "r1")
        #expect(run.input == "goal")
        #expect(run.output == "answer")
        #expect(
            run.retrievals == [
                EvaluatedRun.Retrieval(
                    spanID: "t1", query: "query", documents: [RetrievalDocument(id: "d0", content: "c0"), RetrievalDocument(id: "d1")])
            ])
        let root = try Self.span(
            "r1", kind: "CHAIN", parent: nil, start: "2026-01-01T00:00:00Z", attributes: #"{"input.value": "asked", "output.value": "said"}"#)
        #expect(EvaluatedRun(root: root, spans: [root, agent]).output == "said")
    }
}
