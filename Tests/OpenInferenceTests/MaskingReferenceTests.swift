import Foundation
import OpenInference
import Testing
import Tracing

/// One saved outcome of the reference `TraceConfig.mask` (Resources/masking-cases.json, written by
/// scripts/refresh-semconv-keys.sh from openinference-instrumentation).
struct MaskingCase: Decodable, Sendable, CustomTestStringConvertible {
    enum Outcome: String, Decodable, Sendable { case keep, redact, drop }

    let environment: [String: String]
    let key: String
    let value: OpenInferenceJSON
    let result: Outcome

    var testDescription: String {
        let settings = environment.keys.sorted().map { "\($0.replacingOccurrences(of: "OPENINFERENCE_", with: ""))=\(environment[$0]!)" }
        return "\(settings.isEmpty ? "defaults" : settings.joined(separator: " ")): \(key) \(valueDescription) → \(result.rawValue)"
    }

    private var valueDescription: String {
        if case .object(let object) = value, let length = object["image"]?.intValue { return "(base64 image, \(length) chars)" }
        return value.jsonString.count > 40 ? String(value.jsonString.prefix(40)) + "…" : value.jsonString
    }

    /// The attribute the case masks: `{"image": N}` is a base64 `data:image` URL of N characters.
    var attribute: SpanAttribute {
        switch value {
        case .object(let object):
            let prefix = "data:image/png;base64,"
            return .string(prefix + String(repeating: "A", count: (object["image"]?.intValue ?? 0) - prefix.count))
        case .array(let items): return .doubleArray(items.compactMap(\.doubleValue))
        case .int(let number): return .int64(Int64(number))
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        case .null: return .string("")
        }
    }

    static let all: [MaskingCase] = {
        struct File: Decodable { let cases: [MaskingCase] }
        guard let url = Bundle.module.url(forResource: "masking-cases", withExtension: "json"),
            let data = try? Data(contentsOf: url),
            let file = try? JSONDecoder().decode(File.self, from: data)
        else { return [] }
        return file.cases
    }()
}

@Suite("Masking as the reference TraceConfig.mask does it")
struct MaskingReferenceTests {
    @Test("The saved reference cases are there")
    func casesArePresent() {
        #expect(MaskingCase.all.count > 900, "Resources/masking-cases.json is missing or short; run scripts/refresh-semconv-keys.sh")
    }

    @Test("Each attribute is kept, redacted or dropped as the reference does under the same OPENINFERENCE_* variables", arguments: MaskingCase.all)
    func masksAsTheReference(_ testCase: MaskingCase) {
        let config = TraceConfig.fromEnvironment(testCase.environment)
        #expect(TraceConfig.environmentIssues(testCase.environment).isEmpty)
        let attribute = testCase.attribute
        let masked = config.mask(testCase.key, attribute)
        let outcome: MaskingCase.Outcome? =
            switch masked {
            case nil: .drop
            case .string(TraceConfig.redacted)?: .redact
            case attribute?: .keep
            default: nil
            }
        #expect(outcome == testCase.result, "masked to \(String(describing: masked))")
        // The text path the span helpers take (AttributeWriter's `set(_:_: String?)`) agrees with the general one.
        if case .string(let text) = attribute {
            var writer = AttributeWriter(config: config, sink: CollectingSink())
            writer.set(testCase.key, text)
            let pairs = (writer.takeSink() as? CollectingSink)?.pairs ?? []
            #expect(pairs.first?.value == masked)
        }
    }
}

/// A sink that keeps what a writer appends.
struct CollectingSink: SpanAttributeSink {
    var pairs: [(key: String, value: SpanAttribute)] = []

    mutating func append(_ key: String, _ value: SpanAttribute) {
        pairs.append((key, value))
    }
}
