import Foundation
import OpenInference
import OpenInferenceTelemetry
import StackLLM
import StackTestSupport
import Testing
import Tracing

@Suite("Span bounds")
struct SpanBoundsTests {
    @Test("A 10 000-message chat records the first and the latest 127 messages on its span, and counts the rest")
    func boundedMessages() async throws {
        let server = ScriptedHTTPServer([.json(#"{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"ok"}}]}"#)])
        let root = try await server.start()
        let client = LLMClient(configuration: LLMClientConfiguration(baseURL: root, model: "scripted", maxRetries: 0))
        let recorder = InMemorySpanRecorder()
        let messages = [LLMMessage.system("be brief")] + (1..<10_000).map { LLMMessage.user("message \($0)") }
        _ = try await withTracer(StackTracer(processor: recorder)) { try await client.chat(ChatRequest(messages: messages)) }
        let span = try #require(recorder.spans.first)
        var count = 0
        span.attributes.forEach { _, _ in count += 1 }
        #expect(count < 400)
        #expect(span.attributes.get("stack.dropped_messages") == .int64(10_000 - 128))
        #expect(span.attributes.get("llm.input_messages.0.message.content") == .string("be brief"))
        #expect(span.attributes.get("llm.input_messages.127.message.content") == .string("message 9999"))
        #expect(span.attributes.get("llm.input_messages.128.message.content") == nil)
        guard case .string(let issue)? = span.attributes.get("stack.recording_issue") else {
            Issue.record("no recording issue")
            return
        }
        #expect(issue.contains("OPENINFERENCE_MAX_MESSAGES"))
    }
}
