import OpenInference
import OpenInferenceTelemetry
import Testing
import Tracing

@Suite("Span attributes recorded as encoded OTLP")
struct SpanAttributeEncodingTests {
    @Test("A key recorded again keeps only its last value, in every recording path")
    func repeatedKeyKeepsLastValue() async throws {
        let recorder = InMemorySpanRecorder()
        await withTracer(StackTracer(processor: recorder)) {
            await withLLMSpan(model: "asked-for", messages: [.user("hi")]) { span in
                span.recordModelName("answered")
                span.setAttribute("custom", .int64(1))
                span.base.record { writer in
                    writer.set("custom", 2)
                    writer.set("custom", 3)
                }
                span.base.span.attributes["custom"] = 4
                span.setAttribute("llm.input_messages.0.message.content", .string("edited"))
            }
        }
        let span = try #require(recorder.spans.first)
        let attributes = span.attributes
        #expect(attributes.get(SemanticConventions.LLM.modelName) == .string("answered"))
        #expect(attributes.get("custom") == .int64(4))
        #expect(attributes.get("llm.input_messages.0.message.content") == .string("edited"))
        // Each key once in the exported bytes too.
        let encoded = OTLPTraceEncoder(resource: [:]).encode([span])
        let exported = try ProtobufReader.messages(
            ProtobufReader.messages(ProtobufReader.messages(encoded, field: 1)[0], field: 2)[0], field: 2
        )[0]
        let keys = try ProtobufReader.messages(exported, field: 9).map { try ProtobufReader.string($0, field: 1) }
        #expect(keys.count == Set(keys).count)
        #expect(keys.count == attributes.count)
    }

    @Test("Many distinct keys are all kept, none mistaken for another")
    func manyDistinctKeysKept() async throws {
        let recorder = InMemorySpanRecorder()
        let messages = (0..<300).map { LLMMessage.user("message \($0)") }
        // Over the default bound of recorded messages (128), which is not what this test is about.
        var config = TraceConfig.current
        config.maxRecordedMessages = 300
        await withTracer(StackTracer(processor: recorder)) {
            await withTraceConfig(config) {
                await withLLMSpan(messages: messages) { _ in }
            }
        }
        let attributes = try #require(recorder.spans.first).attributes
        for index in [0, 1, 63, 64, 65, 150, 299] {
            #expect(attributes.get("llm.input_messages.\(index).message.content") == .string("message \(index)"))
        }
        #expect(attributes.count == 1 + 300 * 2)  // the kind, and a role and a content per message
    }

    @Test("Recording on a span from inside its own recording step keeps both steps' attributes")
    func nestedRecordingKeepsBoth() async throws {
        let recorder = InMemorySpanRecorder()
        await withTracer(StackTracer(processor: recorder)) {
            await withToolSpan(tool: "t") { span in
                span.base.record { writer in
                    writer.set("outer.first", "1")
                    span.setAttribute("inner", .string("2"))
                    writer.set("outer.second", "3")
                }
            }
        }
        let attributes = try #require(recorder.spans.first).attributes
        #expect(attributes.get("outer.first") == .string("1"))
        #expect(attributes.get("inner") == .string("2"))
        #expect(attributes.get("outer.second") == .string("3"))
    }

    @Test(
        "Every attribute type reads back as it was recorded",
        arguments: [
            SpanAttribute.string("text"), .string(""), .string(String(repeating: "é", count: 200)), .bool(true), .bool(false),
            .int64(-7), .int64(Int64.max), .double(0.25), .stringArray(["a", "b"]), .boolArray([true, false]),
            .int64Array([1, -2]), .doubleArray([1.5, 2.5]),
        ]
    )
    func typesRoundTrip(value: SpanAttribute) async throws {
        let recorder = InMemorySpanRecorder()
        withTracer(StackTracer(processor: recorder)) {
            withSpan("values") { span in span.attributes["value"] = value }
        }
        #expect(try #require(recorder.spans.first).attributes.get("value") == value)
    }

    @Test("Setting a finished span's attributes replaces them and encodes the new ones")
    func finishedSpanAttributesCanBeReplaced() async throws {
        let recorder = InMemorySpanRecorder()
        withTracer(StackTracer(processor: recorder)) {
            withSpan("s") { span in span.attributes["old"] = "x" }
        }
        var span = try #require(recorder.spans.first)
        span.attributes = ["new": "y"]
        #expect(span.attributes.get("old") == nil)
        #expect(span.attributes.get("new") == .string("y"))
    }

    @Test("JSON written in place reads back as its text, and one over the limit is cut as the library cuts it")
    func jsonInPlace() async throws {
        let parameters: OpenInferenceJSON = ["temperature": 0.2, "stop": ["\n", "é\""], "max_tokens": 512]
        let long: OpenInferenceJSON = ["text": .string(String(repeating: "x", count: 300))]
        var config = TraceConfig.default
        config.maxAttributeLength = 100
        let recorder = InMemorySpanRecorder()
        await withTracer(StackTracer(processor: recorder)) {
            await withTraceConfig(config) {
                await withLLMSpan(parameters: parameters) { span in
                    span.base.record { $0.set("long", json: long) }
                }
            }
        }
        let attributes = try #require(recorder.spans.first).attributes
        #expect(attributes.get(SemanticConventions.LLM.invocationParameters) == .string(parameters.jsonString))
        guard case .string(let cut)? = attributes.get("long") else {
            Issue.record("no cut value")
            return
        }
        var expected = TraceConfig.default
        expected.maxAttributeLength = 100
        #expect(.string(cut) == expected.mask("long", .string(long.jsonString)))
    }
}
