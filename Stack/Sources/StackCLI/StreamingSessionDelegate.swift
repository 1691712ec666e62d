import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A session delegate that hands each piece of a task's answer on as it arrives and reports the status
/// when the task completes (a delegate is what makes URLSession deliver a stream piece by piece).
final class StreamingSessionDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private let output: @Sendable (Data) -> Void
    private let state = Mutex<(status: Int, done: CheckedContinuation<Int, any Error>?)>((0, nil))

    init(output: @escaping @Sendable (Data) -> Void) {
        self.output = output
    }

    /// Resumes `task` and waits for it to complete; returns its status code.
    func run(_ task: URLSessionDataTask) async throws -> Int {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                state.withLock { $0.done = continuation }
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
    }

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        state.withLock { $0.status = status }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        output(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (status, done) = state.withLock { state in
            defer { state.done = nil }
            return (state.status, state.done)
        }
        if let error { done?.resume(throwing: error) } else { done?.resume(returning: status) }
    }
}
