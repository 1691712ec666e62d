import Foundation
@_spi(Wire) import OpenInference
import PropertyBased
import StackAgent
import StackLLM
import Testing

@Suite("Fuzzing: the SSE parser and tool-argument decoding")
struct ParserFuzzTests {
    @Test("The SSE parser takes arbitrary bytes in arbitrary chunks without crashing")
    func sseParserSurvivesRandomBytes() async {
        await propertyCheck(count: 300, input: Gen<UInt8>.value(in: 0...255).array(of: 0...400), Gen<Int>.int(in: 1...64)) { bytes, chunk in
            var parser = ServerSentEventParser()
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + chunk)
                _ = parser.feed(bytes[start..<end])
                start = end
            }
        }
    }

    @Test("Events split at any byte boundary parse to the same payloads as the whole stream")
    func sseParserIsSplitInvariant() async {
        let payload = Gen.letterOrNumber.string(of: 0...40)
        await propertyCheck(count: 300, input: payload.array(of: 1...6), Gen<Int>.int(in: 1...17)) { payloads, chunk in
            let stream = payloads.map { "data: \($0)\r\n\r\n" }.joined() + "data: [DONE]\n\n"
            var whole = ServerSentEventParser()
            let expected = whole.feed(Array(stream.utf8))
            var split = ServerSentEventParser()
            var received: [String] = []
            let bytes = Array(stream.utf8)
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + chunk)
                received += split.feed(bytes[start..<end])
                start = end
            }
            #expect(received == expected)
            #expect(received == payloads + ["[DONE]"])
        }
    }

    struct SearchArguments: Decodable, Sendable {
        var query: String
        var limit: Int?
        var tags: [String]?
    }

    struct SearchTool: AgentTool {
        let name = "search"
        let description = "Searches."
        func call(_ arguments: SearchArguments) async throws -> String { "\(arguments.query) \(arguments.limit ?? 0)" }
    }

    @Test("Mutated tool arguments either decode or become a ToolError; nothing crashes")
    func toolArgumentsSurviveMutation() async {
        let tools = ToolRegistry([SearchTool()])
        let seed = #"{"query":"sqlite backups","limit":3,"tags":["ops","backup"]}"#
        await propertyCheck(count: 300, input: Mutation.operations, Mutation.positions, Mutation.characters) { operations, positions, characters in
            let arguments = Mutation.apply(Mutation.edits(operations, positions, characters), to: seed)
            do {
                _ = try await tools.execute(LLMToolCall(id: "c1", name: "search", arguments: arguments))
            } catch is ToolError {
                // The expected outcome for arguments that are not the tool's JSON.
            } catch {
                Issue.record("unexpected error type for \(arguments): \(error)")
            }
        }
    }

    @Test("Random text as tool arguments is refused with a ToolError, never a crash")
    func toolArgumentsSurviveRandomText() async {
        let tools = ToolRegistry([SearchTool()])
        await propertyCheck(count: 300, input: Mutation.character.string(of: 0...60)) { text in
            do {
                _ = try await tools.execute(LLMToolCall(id: "c1", name: "search", arguments: text))
            } catch is ToolError {
            } catch {
                Issue.record("unexpected error type for \(text): \(error)")
            }
        }
    }
}
