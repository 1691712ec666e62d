import InMemoryTracing
import OpenInference
import OpenInferenceTesting
import Testing
import Tracing

@Suite("Feedback results and links to the judged span")
struct FeedbackTests {
    static let verdict = FeedbackResult(
        name: "correctness", score: 0.5, label: "partly", explanation: "misses the backup step",
        annotatorKind: .llm, identifier: "judge-v2", metadata: ["rubric": "2"]
    )

    static let scopes: [(scope: FeedbackResult.Scope, evaluations: String, annotations: String)] = [
        (.span, "evaluations.0.evaluation.", "annotations.0.annotation."),
        (.trace, "trace.evaluations.0.evaluation.", "trace.annotations.0.annotation."),
        (.session, "session.evaluations.0.evaluation.", "session.annotations.0.annotation."),
    ]

    @Test("A result is flattened under the scope's prefix, in evaluation and in annotation terms", arguments: scopes)
    func resultIsFlattened(scope: FeedbackResult.Scope, evaluations: String, annotations: String) async throws {
        let span = try await recordSpans {
            await withOpenInferenceSpan("judge", kind: .evaluator) { span in
                span.recordEvaluations([Self.verdict], scope: scope)
                span.recordAnnotations([Self.verdict], scope: scope)
            }
        }.only(kind: .evaluator)
        for prefix in [evaluations, annotations] {
            #expect(span.attribute(prefix + "name") == "correctness")
            #expect(span.attributes.get(prefix + "score") == .double(0.5))
            #expect(span.attribute(prefix + "label") == "partly")
            #expect(span.attribute(prefix + "explanation") == "misses the backup step")
            #expect(span.attribute(prefix + "annotator_kind") == "LLM")
            #expect(span.attribute(prefix + "identifier") == "judge-v2")
            #expect(span.attribute(prefix + "metadata") == #"{"rubric":"2"}"#)
        }
    }

    @Test(
        "Results without a name and a score, label or explanation are left out; indices stay contiguous",
        arguments: [
            FeedbackResult(name: "empty"), FeedbackResult(name: "", score: 1),
        ])
    func incompleteResultsAreLeftOut(incomplete: FeedbackResult) async throws {
        let span = try await recordSpans {
            await withOpenInferenceSpan("judge", kind: .evaluator) { span in
                span.recordEvaluations([incomplete, FeedbackResult(name: "kept", label: "ok")])
            }
        }.only(kind: .evaluator)
        #expect(span.attribute("evaluations.0.evaluation.name") == "kept")
        #expect(span.attribute("evaluations.1.evaluation.name") == nil)
        #expect(span.attributes.get("evaluations.0.evaluation.score") == nil)
    }

    @Test("An evaluator span links to the span it judged through W3C trace context")
    func linkToJudgedSpan() async throws {
        let tracer = W3CInMemoryTracer()
        let judged = try #require(TraceParent(traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7"))
        let linked = await withTracer(tracer) {
            await withOpenInferenceSpan("judge", kind: .evaluator) { span in span.addLink(to: judged) }
        }
        #expect(linked)
        let link = try #require(tracer.inner.finishedSpans.first?.links.first)
        #expect(link.context.inMemorySpanContext?.spanID == judged.spanID)
        #expect(link.context.inMemorySpanContext?.traceID == judged.traceID)
    }

    @Test("Under a tracer that cannot read traceparent no link is added, and the caller is told")
    func noLinkWithoutW3C() async throws {
        let judged = try #require(TraceParent(traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7"))
        var linked = true
        let spans = await recordSpans {
            linked = await withOpenInferenceSpan("judge", kind: .evaluator) { span in span.addLink(to: judged) }
        }
        #expect(!linked)
        #expect(spans.first?.links.isEmpty == true)
    }
}
