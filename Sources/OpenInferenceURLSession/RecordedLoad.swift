import Foundation
import OpenInference
import Synchronization
import Tracing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One recognised call in flight: the inner task, the exchange recording it, and the protocol whose client
/// gets the response. The inner session's delegate calls it from its queue; `stop()` may come from any
/// thread, hence the lock.
final class RecordedLoad: @unchecked Sendable {
    private struct State {
        var task: URLSessionDataTask?
        /// Set once the client has been told the load ended (or the protocol was stopped): nothing more
        /// goes to the client or the exchange after it.
        var ended = false
        /// FoundationNetworking only: the body of a response that is not an event stream, kept to hand to the
        /// client in one piece when it ends (see ``deliversWholeBody``).
        var wholeBody: Data?
    }

    /// Not Sendable (a Foundation class); only its `client` is used, under the load's lock.
    private let urlProtocol: URLProtocol
    private let request: URLRequest
    private let exchange: WireExchange?
    private let state = Mutex(State())

    init(protocol urlProtocol: URLProtocol, request: URLRequest) {
        self.urlProtocol = urlProtocol
        var inner = request
        let body = Self.body(of: request)
        // Setting the body replaces a body stream (which was read whole above).
        inner.httpBody = body
        self.request = inner
        #if canImport(FoundationNetworking)
        readsPiecesAsTheyArrive = Self.hasDelegate(urlProtocol.task)
        #else
        readsPiecesAsTheyArrive = true
        #endif
        exchange = request.url.flatMap { url in
            WireRecorder().start(method: request.httpMethod ?? "GET", url: url, body: body, context: Self.context(of: request))
        }
    }

    /// Starts the inner task. Off the calling thread: the protocol is started on its session's work
    /// queue, and FoundationNetworking's sessions share the queue their calls wait on.
    func start() {
        Self.queue.async { [self] in
            let task = RecordingSession.shared.dataTask(with: request, for: self)
            let stopped = state.withLock { state in
                state.task = task
                return state.ended
            }
            if stopped { task.cancel() } else { task.resume() }
        }
    }

    /// Cancels the inner task, if it still runs, and ends the span with what arrived.
    func stop() {
        let (wasRunning, task): (Bool, URLSessionDataTask?) = state.withLock { state in
            guard !state.ended else { return (false, nil) }
            state.ended = true
            return (true, state.task)
        }
        guard wasRunning else { return }
        if let task { Self.queue.async { task.cancel() } }
        exchange?.fail(URLError(.cancelled))
    }

    private static let queue = DispatchQueue(label: "OpenInferenceURLSession.RecordedLoad")

    // MARK: From the inner session

    func didReceive(_ response: URLResponse) {
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] {
            if let name = name as? String, let value = value as? String { headers[name] = value }
        }
        let isEventStream = headers.contains { name, value in
            name.lowercased() == "content-type" && value.lowercased().contains("text/event-stream")
        }
        state.withLock { state in
            guard !state.ended else { return }
            if Self.deliversWholeBody && !(isEventStream && readsPiecesAsTheyArrive) { state.wholeBody = Data() }
            urlProtocol.client?.urlProtocol(urlProtocol, didReceive: response, cacheStoragePolicy: .notAllowed)
        }
        exchange?.receiveResponse(status: http?.statusCode ?? 200, headers: headers)
    }

    func didReceive(_ data: Data) {
        // The caller gets the bytes first; the recorder reads its copy after.
        let delivered = state.withLock { state in
            guard !state.ended else { return false }
            if state.wholeBody != nil {
                state.wholeBody?.append(data)
            } else {
                urlProtocol.client?.urlProtocol(urlProtocol, didLoad: data)
            }
            return true
        }
        if delivered { exchange?.receiveBody(data) }
    }

    /// Whether a body goes to the client in one piece at its end: FoundationNetworking gives a task's
    /// completion handler (`data(for:)`) only the last piece a custom protocol loads, where Apple's URL
    /// loading joins them. An event stream still goes piece by piece to a task whose session (or itself)
    /// has a delegate, which reads it as it arrives (see ``readsPiecesAsTheyArrive``).
    #if canImport(FoundationNetworking)
    private static let deliversWholeBody = true
    #else
    private static let deliversWholeBody = false
    #endif

    /// FoundationNetworking only: whether the task's session or the task has a delegate, which then reads
    /// each piece of the body (a task without one can only have a completion handler). FoundationNetworking
    /// exposes neither, so they are read by reflection; when it finds neither field, pieces go as they
    /// arrive.
    private let readsPiecesAsTheyArrive: Bool

    private static func hasDelegate(_ task: URLSessionTask?) -> Bool {
        guard let task else { return true }
        var mirror: Mirror? = Mirror(reflecting: task)
        var found = false
        while let current = mirror {
            for child in current.children {
                switch child.label {
                case "session":
                    found = true
                    if (child.value as? URLSession)?.delegate != nil { return true }
                case "_taskDelegate":
                    found = true
                    if Mirror(reflecting: child.value).children.first != nil { return true }
                default:
                    break
                }
            }
            mirror = current.superclassMirror
        }
        return !found
    }

    /// Ends the span, then tells the client: a caller that flushes its traces as soon as the call
    /// returns (a command line tool that exits) finds the span ended.
    func didComplete(_ error: (any Error)?) {
        state.withLock { state in
            guard !state.ended else { return }
            state.ended = true
            if let error { exchange?.fail(error) } else { exchange?.finish() }
            if let body = state.wholeBody, error == nil, !body.isEmpty {
                urlProtocol.client?.urlProtocol(urlProtocol, didLoad: body)
            }
            if let error {
                urlProtocol.client?.urlProtocol(urlProtocol, didFailWithError: error)
            } else {
                urlProtocol.client?.urlProtocolDidFinishLoading(urlProtocol)
            }
        }
    }

    // MARK: Reading the request

    /// The request's body, from `httpBody` or read whole from `httpBodyStream` (where a session moves it).
    private static func body(of request: URLRequest) -> Data? {
        if let body = request.httpBody { return body }
        guard let stream = request.httpBodyStream else { return nil }
        stream.open()
        defer { stream.close() }
        var body = Data()
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = stream.read(&buffer, maxLength: buffer.count)
            guard count > 0 else { break }
            body.append(buffer, count: count)
        }
        return body
    }

    /// The span's parent: whatever the process's instrument extracts from the request's headers (a
    /// `traceparent`), since the task that made the call is not the one loading it.
    private static func context(of request: URLRequest) -> InstrumentationContext {
        var context = InstrumentationContext.topLevel
        InstrumentationSystem.instrument.extract(request.allHTTPHeaderFields ?? [:], into: &context, using: HeaderExtractor())
        return context
    }

    private struct HeaderExtractor: Extractor {
        func extract(key: String, from headers: [String: String]) -> String? {
            headers.first { $0.key.lowercased() == key.lowercased() }?.value
        }
    }
}
