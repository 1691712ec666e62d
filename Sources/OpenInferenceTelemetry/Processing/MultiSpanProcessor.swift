#if Telemetry
/// Hands every span to several processors, in order (for example OTLP export and the console).
public struct MultiSpanProcessor: SpanProcessor {
    public let processors: [any SpanProcessor]

    public init(_ processors: [any SpanProcessor]) {
        self.processors = processors
    }

    public func onEnd(_ span: FinishedSpan) {
        for processor in processors { processor.onEnd(span) }
    }

    public func forceFlush() async {
        for processor in processors { await processor.forceFlush() }
    }

    public func shutdown() async {
        for processor in processors { await processor.shutdown() }
    }
}
#endif  // Telemetry
