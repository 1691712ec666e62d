#if Telemetry
import ServiceLifecycle

/// Runs `work` every `interval` until graceful shutdown or cancellation, then once more, so what
/// accumulated since the last round still leaves (the shape of every periodic exporter here).
func repeatUntilShutdown(every interval: Duration, _ work: @escaping @Sendable () async -> Void) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            await work()
        }
    }
    await work()
}
#endif  // Telemetry
