#if Telemetry
/// Sends batches of ended spans somewhere: an OTLP collector, the console, memory.
public protocol SpanExporter: Sendable {
    /// Delivers `spans`, retrying as the implementation sees fit; throws when it gives up.
    /// Cancellation must stop it promptly.
    ///
    /// - Returns: ``SpanExportResult/delivered``, or ``SpanExportResult/keptForLater(reason:)`` when the
    ///   exporter could not deliver now but kept the spans durably (a spool), which is not a failure.
    @discardableResult
    func export(_ spans: [FinishedSpan]) async throws -> SpanExportResult
    /// Delivers anything the exporter itself buffers.
    func forceFlush() async
    /// Releases connections; later exports fail.
    func shutdown() async
    /// Keeps spans that shutdown could not export before its deadline somewhere durable, to be sent by
    /// the next process; returns how many it kept. The default keeps none.
    func keepForLater(_ spans: [FinishedSpan]) -> Int
    /// Whether ``keepForLater(_:)`` can keep spans at all. A ``BatchSpanProcessor`` whose queue fills
    /// while an export hangs then moves queued spans there instead of dropping new ones.
    var keepsForLater: Bool { get }
}

extension SpanExporter {
    public func forceFlush() async {}
    public func shutdown() async {}
    public func keepForLater(_ spans: [FinishedSpan]) -> Int { 0 }
    public var keepsForLater: Bool { false }
}
#endif  // Telemetry
