#if Telemetry
/// Receives spans as they end. Implementations must return from ``onEnd(_:)`` quickly and never
/// block: it runs on the application's hot path.
public protocol SpanProcessor: Sendable {
    /// Called once for every sampled span when it ends.
    func onEnd(_ span: FinishedSpan)
    /// Exports everything received so far; returns when done or when the exporter gave up.
    func forceFlush() async
    /// Flushes and releases resources; spans ending afterwards are dropped.
    func shutdown() async
}
#endif  // Telemetry
