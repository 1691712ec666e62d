import InMemoryTracing
import OpenInference
import OpenInferenceTesting
import Synchronization
import Testing
import Tracing

/// The helpers' no-op path: with swift-distributed-tracing's no-op tracer in force (nothing bootstrapped,
/// or `withTracer(NoOpTracer())`) a helper runs its body at once and starts nothing.
@Suite("The helpers with no tracer")
struct NoOpPathTests {
    struct Refusal: Error, Equatable {}

    @Test("Each helper runs its body once and returns its value under the no-op tracer")
    func helpersReturnTheBodysValue() async {
        let runs = Mutex(0)
        func counted<T>(_ value: T) -> T {
            runs.withLock { $0 += 1 }
            return value
        }
        await withTracer(NoOpTracer()) {
            let llm = await withLLMSpan(model: "m", system: "openai", messages: [.user("ping")], parameters: ["temperature": 0.2]) { span in
                span.recordOutput(messages: [.assistant("pong")])
                span.recordTokenUsage(TokenUsage(prompt: 3, completion: 1))
                return counted("pong")
            }
            #expect(llm == "pong")
            #expect(await withToolSpan(tool: "t") { _ in counted(7) } == 7)
            #expect(await withAgentSpan("agent", goal: "g") { _ in counted([1, 2]) } == [1, 2])
            #expect(await withChainSpan("chain") { _ in counted(true) })
            #expect(await withRetrieverSpan(query: "q") { _ in counted("docs") } == "docs")
            #expect(await withEmbeddingSpan(model: "e", texts: ["a"]) { _ in counted(0.5) } == 0.5)
            #expect(await withOpenInferenceSpan("guard", kind: .guardrail) { _ in counted("ok") } == "ok")
            let thrown = await #expect(throws: Refusal.self) {
                try await withLLMSpan(model: "m") { _ in
                    runs.withLock { $0 += 1 }
                    throw Refusal()
                }
            }
            #expect(thrown == Refusal())
        }
        #expect(runs.withLock { $0 } == 8)
    }

    @Test("Under the no-op tracer the span handed to the body records nothing and carries the caller's context")
    func theSpanIsANoOpSpan() async {
        await withTracer(NoOpTracer()) {
            var outer = InstrumentationContext.topLevel
            outer[TestKey.self] = "caller"
            await InstrumentationContext.withValue(outer) {
                await withLLMSpan(model: "m") { span in
                    #expect(!span.base.span.isRecording)
                    #expect(span.base.span.context[TestKey.self] == "caller")
                    #expect(InstrumentationContext.current?[TestKey.self] == "caller")
                    #expect(!span.base.hasRecordedError)
                    span.recordError(Refusal())
                }
            }
        }
    }

    @Test("A tracer scoped inside a no-op scope records as usual")
    func aTracerInsideRecords() async {
        await withTracer(NoOpTracer()) {
            await withChainSpan("dropped") { _ in
                let spans = await recordSpans {
                    await withLLMSpan(model: "m", messages: [.user("ping")]) { span in
                        span.recordOutput(messages: [.assistant("pong")])
                    }
                }
                #expect(spans.map(\.operationName) == ["chat"])
                #expect(spans.first?.attribute("llm.model_name") == "m")
            }
        }
    }

    @Test("With no tracer scoped at all, a helper still runs its body and returns its value")
    func noTracerScoped() async {
        // Whatever the process bootstrapped (another suite may bootstrap a tracer), the body's value comes back.
        let value = await withToolSpan(tool: "t") { _ in await Task { 42 }.value }
        #expect(value == 42)
    }

    private enum TestKey: InstrumentationContextKey {
        typealias Value = String
    }
}
