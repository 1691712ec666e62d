#if Telemetry
import Synchronization

/// A processor that keeps every ended span in memory, for tests and for inspecting traces in-process.
///
/// ```swift
/// let recorder = InMemorySpanRecorder()
/// await withTracer(StackTracer(processor: recorder)) {
///     await withLLMSpan(model: "m", messages: [.user("hi")]) { _ in }
/// }
/// #expect(recorder.spans.first?.attributes.get("llm.model_name") == .string("m"))
/// ```
public final class InMemorySpanRecorder: SpanProcessor {
    private let storage = Mutex<[FinishedSpan]>([])

    public init() {}

    /// The spans ended so far, in the order they ended.
    public var spans: [FinishedSpan] { storage.withLock { $0 } }

    /// Forgets every recorded span.
    public func reset() { storage.withLock { $0.removeAll() } }

    public func onEnd(_ span: FinishedSpan) { storage.withLock { $0.append(span) } }
    public func forceFlush() async {}
    public func shutdown() async {}
}
#endif  // Telemetry
