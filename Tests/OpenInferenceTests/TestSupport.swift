import OpenInference
import StackTelemetry
import Tracing

/// Runs `body` with a fresh in-memory tracer and returns the spans it ended.
func recordSpans(
    config: TraceConfig = .default,
    _ body: () async throws -> Void
) async rethrows -> [FinishedSpan] {
    let recorder = InMemorySpanRecorder()
    try await withTracer(StackTracer(processor: recorder)) {
        try await withTraceConfig(config) {
            try await body()
        }
    }
    return recorder.spans
}

extension FinishedSpan {
    func string(_ key: String) -> String? {
        if case .string(let value) = attributes.get(key) { return value }
        return nil
    }

    func int(_ key: String) -> Int64? {
        switch attributes.get(key) {
        case .int64(let value): return value
        case .int32(let value): return Int64(value)
        default: return nil
        }
    }

    var openInferenceKind: String? { string(SemanticConventions.spanKind) }
}

struct ScriptedFailure: Error, CustomStringConvertible {
    var description: String { "the scripted model refused" }
}
