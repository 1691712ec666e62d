import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OpenInference
import StackConfiguration
import StackHTTP

/// A small client for Phoenix's REST API (`/v1`): reading spans back, so tests, the CLI's
/// terminal waterfall and the service can prove what Phoenix holds.
///
/// ```swift
/// let phoenix = PhoenixClient(baseURL: URL(string: "http://localhost:6006")!)
/// let spans = try await phoenix.spans(project: "default", traceID: traceID)
/// ```
public struct PhoenixClient: Sendable {
    /// Phoenix's base URL, without `/v1`.
    public let baseURL: URL
    private let apiKey: String?
    private let requestTimeout: Duration
    private let http: RetryingHTTPClient

    /// A client for the Phoenix at `baseURL`.
    ///
    /// - Parameters:
    ///   - apiKey: sent as `Authorization: Bearer …` (`PHOENIX_API_KEY`), never logged.
    ///   - requestTimeout: how long one attempt may take; a timed-out request is not retried.
    ///   - httpClient: the HTTP client to send with; `nil` uses the process's shared one. A client given
    ///     here must have AsyncHTTPClient's tracing off (reading traces must not make spans), and its
    ///     owner shuts it down.
    public init(baseURL: URL, apiKey: String? = nil, requestTimeout: Duration = .seconds(10), httpClient: HTTPClient? = nil) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.requestTimeout = requestTimeout
        // One retry for a transient answer (429, 5xx) or a refused connection: Phoenix restarting.
        self.http = RetryingHTTPClient(
            client: httpClient ?? .sharedUntraced,
            policy: HTTPRetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(250), maxBackoff: .seconds(2))
        )
    }

    /// A client for the Phoenix that `PHOENIX_COLLECTOR_ENDPOINT` points at (default `http://localhost:6006`).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> PhoenixClient? {
        let reader = ConfigurationReader(environment)
        var raw = reader.string("PHOENIX_COLLECTOR_ENDPOINT") ?? "http://localhost:6006"
        if raw.hasSuffix("/v1/traces") { raw.removeLast("/v1/traces".count) }
        guard let url = URL(string: raw) else { return nil }
        return PhoenixClient(baseURL: url, apiKey: reader.string("PHOENIX_API_KEY", isSecret: true))
    }

    /// Every span of `project`, optionally only those of one trace, following pagination.
    public func spans(project: String, traceID: String? = nil) async throws(PhoenixClientError) -> [PhoenixSpan] {
        struct Page: Decodable {
            var data: [PhoenixSpan]
            var nextCursor: String?
            enum CodingKeys: String, CodingKey {
                case data
                case nextCursor = "next_cursor"
            }
        }
        var spans: [PhoenixSpan] = []
        var cursor: String?
        repeat {
            var query = [URLQueryItem(name: "limit", value: "1000")]
            if let traceID { query.append(URLQueryItem(name: "trace_id", value: traceID)) }
            if let cursor { query.append(URLQueryItem(name: "cursor", value: cursor)) }
            let page: Page = try await get("/v1/projects/\(Self.escape(project))/spans", query: query)
            spans += page.data
            cursor = page.nextCursor
        } while cursor != nil
        return spans
    }

    /// Polls until the trace holds at least `count` spans (ingestion is asynchronous), or the timeout passes.
    public func waitForTrace(
        project: String,
        traceID: String,
        count: Int,
        timeout: Duration = .seconds(30)
    ) async throws(PhoenixClientError) -> [PhoenixSpan] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var seen: [PhoenixSpan] = []
        while ContinuousClock.now < deadline {
            do {
                seen = try await spans(project: project, traceID: traceID)
                if seen.count >= count { return seen }
            } catch .httpStatus(404, _, _) {
                // The project appears with its first span.
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        throw .timedOut(waitingFor: "\(count) spans of trace \(traceID)", seen: seen.count)
    }

    /// Phoenix's id for a project name, used in UI links.
    public func projectID(named name: String) async throws(PhoenixClientError) -> String {
        struct Answer: Decodable {
            struct Project: Decodable { var id: String }
            var data: Project
        }
        let answer: Answer = try await get("/v1/projects/\(Self.escape(name))", query: [])
        return answer.data.id
    }

    /// The UI address of a trace.
    public func traceURL(projectID: String, traceID: String) -> String {
        baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            + "/projects/\(projectID)/traces/\(traceID)"
    }

    /// The root of a trace: the span without a parent, or whose parent Phoenix does not hold (a trace
    /// continued from an upstream service). `nil` when Phoenix holds no span of the trace yet.
    public func rootSpan(project: String, traceID: String) async throws(PhoenixClientError) -> PhoenixSpan? {
        let spans: [PhoenixSpan]
        do {
            spans = try await self.spans(project: project, traceID: traceID)
        } catch .httpStatus(404, _, _) {
            return nil  // the project appears with its first span
        }
        let ids = Set(spans.map(\.context.spanID))
        return spans.filter { $0.parentID.map { !ids.contains($0) } ?? true }.min { $0.startTime < $1.startTime }
    }

    /// Attaches an annotation (a label, a score and an explanation) to a span through
    /// `POST /v1/span_annotations`, and returns the annotation's id.
    ///
    /// With an `identifier`, posting again updates the same annotation instead of adding another.
    public func annotateSpan(_ annotation: SpanAnnotation) async throws(PhoenixClientError) -> String {
        struct Answer: Decodable {
            struct Inserted: Decodable { var id: String }
            var data: [Inserted]
        }
        let body: Data
        do {
            body = try JSONEncoder().encode(["data": [annotation]])
        } catch {
            throw .unexpectedResponse(path: "/v1/span_annotations", reason: "annotation is not encodable: \(error)")
        }
        let answer: Answer = try await send(.POST, "/v1/span_annotations", query: [URLQueryItem(name: "sync", value: "true")], body: body)
        guard let inserted = answer.data.first else {
            throw .unexpectedResponse(path: "/v1/span_annotations", reason: "no annotation id in the answer")
        }
        return inserted.id
    }

    /// The annotations Phoenix holds for the given spans of `project`.
    public func spanAnnotations(project: String, spanIDs: [String]) async throws(PhoenixClientError) -> [SpanAnnotation] {
        struct Page: Decodable { var data: [SpanAnnotation] }
        let query = spanIDs.map { URLQueryItem(name: "span_ids", value: $0) } + [URLQueryItem(name: "limit", value: "1000")]
        let page: Page = try await get("/v1/projects/\(Self.escape(project))/span_annotations", query: query)
        return page.data
    }

    private static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }

    private func get<T: Decodable>(_ path: String, query: [URLQueryItem]) async throws(PhoenixClientError) -> T {
        try await send(.GET, path, query: query, body: nil)
    }

    private func send<T: Decodable>(
        _ method: HTTPMethod,
        _ path: String,
        query: [URLQueryItem],
        body: Data?
    ) async throws(PhoenixClientError) -> T {
        let base = baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        var components = URLComponents(string: base + path)
        components?.queryItems = query.isEmpty ? nil : query
        guard let url = components?.url else {
            throw .unexpectedResponse(path: path, reason: "could not build a URL from \(baseURL)")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        let answer: ByteBuffer
        let status: Int
        do {
            let sent = try await http.send(request, timeout: requestTimeout) { !RetryingHTTPClient.isTimeout($0) }
            status = sent.status
            answer = try await sent.response.body.collect(upTo: 64 * 1024 * 1024)
        } catch let failed as HTTPAttemptsFailed {
            throw .unreachable(baseURL: baseURL.absoluteString, reason: String(describing: failed.lastError))
        } catch {
            throw .unreachable(baseURL: baseURL.absoluteString, reason: String(describing: error))
        }
        guard (200..<300).contains(status) else {
            throw .httpStatus(status, path: path, body: String(String(buffer: answer).prefix(300)))
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(answer.readableBytesView))
        } catch {
            throw .unexpectedResponse(path: path, reason: String(describing: error))
        }
    }
}
