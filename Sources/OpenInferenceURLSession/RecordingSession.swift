import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The inner `URLSession` that performs recognised calls, shared by every ``RecordedLoad``: its delegate
/// hands each task's response, data and completion to the load that made it.
final class RecordingSession: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    static let shared = RecordingSession()

    private let loads = Mutex<[Int: RecordedLoad]>([:])
    /// Made lazily: a session keeps a strong reference to its delegate, which lives as long as the process.
    private lazy var session: URLSession = {
        let configuration = URLSessionConfiguration.default
        configuration.urlCache = nil
        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }()
    private let sessionLock = Mutex(())

    /// A task for `request` whose events go to `load`; the caller resumes it.
    func dataTask(with request: URLRequest, for load: RecordedLoad) -> URLSessionDataTask {
        let task = sessionLock.withLock { _ in session.dataTask(with: request) }
        loads.withLock { $0[task.taskIdentifier] = load }
        return task
    }

    private func load(of task: URLSessionTask) -> RecordedLoad? {
        loads.withLock { $0[task.taskIdentifier] }
    }

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        load(of: dataTask)?.didReceive(response)
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        load(of: dataTask)?.didReceive(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let load = loads.withLock { $0.removeValue(forKey: task.taskIdentifier) }
        load?.didComplete(error)
    }
}
