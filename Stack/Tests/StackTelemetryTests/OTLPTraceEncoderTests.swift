import OpenInference
import OpenInferenceTelemetry
import Testing
import Tracing

@Suite("OTLP protobuf encoding")
struct OTLPTraceEncoderTests {
    @Test("Spans encode as an ExportTraceServiceRequest that an independent parser reads back")
    func encodedRequestParses() async throws {
        let recorder = InMemorySpanRecorder()
        await withTracer(StackTracer(processor: recorder)) {
            await withAgentSpan(goal: "g") { _ in
                await withLLMSpan(model: "m", messages: [.user(String(repeating: "long ", count: 100))]) { span in
                    span.recordTokenUsage(TokenUsage(prompt: 300, completion: 2))
                    span.recordError(ScriptedError())
                }
            }
        }
        let spans = recorder.spans
        let resource: SpanAttributes = ["service.name": "svc", "openinference.project.name": "proj"]
        let bytes = OTLPTraceEncoder(resource: resource).encode(spans)

        let resourceSpans = try #require(try ProtobufReader.messages(bytes, field: 1).first)
        let resourceMessage = try #require(try ProtobufReader.messages(resourceSpans, field: 1).first)
        let resourceAttributes = try ProtobufReader.keyValues(resourceMessage, field: 1)
        #expect(resourceAttributes["openinference.project.name"] == "proj")
        #expect(resourceAttributes["service.name"] == "svc")

        let scopeSpans = try #require(try ProtobufReader.messages(resourceSpans, field: 2).first)
        let scope = try #require(try ProtobufReader.messages(scopeSpans, field: 1).first)
        #expect(try ProtobufReader.string(scope, field: 1) == "stack")
        let encodedSpans = try ProtobufReader.messages(scopeSpans, field: 2)
        #expect(encodedSpans.count == 2)

        let llm = try #require(encodedSpans.first)  // the LLM span ends first
        let agent = encodedSpans[1]
        let llmSource = try #require(spans.first)
        #expect(try ProtobufReader.messages(llm, field: 1).first == withUnsafeBytes(of: llmSource.context.traceContext.traceID.bytes) { Array($0) })
        #expect(try ProtobufReader.messages(llm, field: 1).first?.count == 16)
        #expect(try ProtobufReader.messages(llm, field: 2).first?.count == 8)
        #expect(try ProtobufReader.messages(llm, field: 4).first == ProtobufReader.messages(agent, field: 2).first)
        #expect(try ProtobufReader.messages(agent, field: 4).isEmpty)
        #expect(try ProtobufReader.string(llm, field: 5) == "chat")
        #expect(try ProtobufReader.varint(llm, field: 6) == 3)  // SPAN_KIND_CLIENT
        #expect(try ProtobufReader.varint(agent, field: 6) == 1)  // SPAN_KIND_INTERNAL
        #expect(try ProtobufReader.fixed64(llm, field: 7) == llmSource.startNanoseconds)
        #expect(try ProtobufReader.fixed64(llm, field: 8) == llmSource.endNanoseconds)
        #expect(try ProtobufReader.fixed32(llm, field: 16) == 0x101)  // sampled, parent is local

        let attributes = try ProtobufReader.keyValues(llm, field: 9)
        #expect(attributes["openinference.span.kind"] == "LLM")
        #expect(attributes["llm.token_count.prompt"] == "300")
        #expect(attributes["llm.input_messages.0.message.content"] == String(repeating: "long ", count: 100))

        let event = try #require(try ProtobufReader.messages(llm, field: 11).first)
        #expect(try ProtobufReader.string(event, field: 2) == "exception")
        #expect(try ProtobufReader.keyValues(event, field: 3)["exception.message"] == "scripted")
        let status = try #require(try ProtobufReader.messages(llm, field: 15).first)
        #expect(try ProtobufReader.varint(status, field: 3) == 2)  // STATUS_CODE_ERROR
        #expect(try ProtobufReader.string(status, field: 2) == "scripted")
    }

    @Test("Array and number attributes encode as OTLP AnyValue kinds")
    func valueKindsEncode() async throws {
        let recorder = InMemorySpanRecorder()
        withTracer(StackTracer(processor: recorder)) {
            withSpan("values") { span in
                span.attributes["flag"] = true
                span.attributes["ratio"] = 0.25
                span.attributes["tags"] = ["a", "b"]
                span.attributes["vector"] = [1.5, 2.5]
                span.attributes["count"] = -7
            }
        }
        let bytes = OTLPTraceEncoder(resource: [:]).encode(recorder.spans)
        let span = try #require(
            try ProtobufReader.messages(ProtobufReader.messages(ProtobufReader.messages(bytes, field: 1)[0], field: 2)[0], field: 2).first
        )
        let attributes = try ProtobufReader.keyValues(span, field: 9)
        #expect(attributes["flag"] == "true")
        #expect(attributes["ratio"] == "0.25")
        #expect(attributes["tags"] == "[a,b]")
        #expect(attributes["vector"] == "[1.5,2.5]")
        #expect(attributes["count"] == "-7")
    }

    @Test("The attribute value length limit cuts long strings as they are recorded, on a character boundary")
    func valueLengthLimit() async throws {
        let recorder = InMemorySpanRecorder()
        await withTracer(StackTracer(processor: recorder, attributeValueLengthLimit: 100)) {
            withSpan("big") { span in
                span.attributes["text"] = String(repeating: "x", count: 5000)
                span.attributes["accented"] = String(repeating: "x", count: 99) + "é"
            }
            await withLLMSpan(messages: [.user(String(repeating: "y", count: 300))]) { _ in }
        }
        let bytes = OTLPTraceEncoder(resource: [:]).encode(recorder.spans)
        let spans = try ProtobufReader.messages(ProtobufReader.messages(ProtobufReader.messages(bytes, field: 1)[0], field: 2)[0], field: 2)
        #expect(try ProtobufReader.keyValues(spans[0], field: 9)["text"]?.count == 100)
        #expect(try ProtobufReader.keyValues(spans[0], field: 9)["accented"] == String(repeating: "x", count: 99))
        #expect(try ProtobufReader.keyValues(spans[1], field: 9)["llm.input_messages.0.message.content"]?.count == 100)
    }
}

struct ScriptedError: Error, CustomStringConvertible {
    var description: String { "scripted" }
}
