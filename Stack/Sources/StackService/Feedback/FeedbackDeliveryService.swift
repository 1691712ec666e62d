import ServiceLifecycle

/// Retries queued feedback in the background until Phoenix holds it; stops on graceful shutdown
/// (what is still queued stays on disk for the next start).
public struct FeedbackDeliveryService: Service {
    let desk: FeedbackDesk
    let interval: Duration

    /// Retries `desk`'s queue every `interval`.
    public init(desk: FeedbackDesk, interval: Duration = .seconds(5)) {
        self.desk = desk
        self.interval = interval
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await desk.deliverPending()
                try? await Task.sleep(for: interval)
            }
        }
    }
}
