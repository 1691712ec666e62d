#if Phoenix
import AsyncHTTPClient
import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import OpenInference
import PhoenixAPI
import _OpenInferenceConfiguration
import _OpenInferenceHTTP

/// A client for Phoenix's REST API (`/v1`): spans and traces, annotations, prompts, datasets and
/// experiments. The calls go through the client generated from Phoenix's OpenAPI document (the `PhoenixAPI`
/// module, `make generate`); this layer adds what the document cannot say: pagination, waiting for
/// ingestion, retries, bearer authentication and errors that say what to do.
///
/// ```swift
/// let phoenix = PhoenixClient(baseURL: URL(string: "http://localhost:6006")!)
/// let spans = try await phoenix.spans(project: "default", traceID: traceID)
/// ```
public struct PhoenixClient: Sendable {
    /// Phoenix's base URL, without `/v1`.
    public let baseURL: URL
    /// The generated client, with retries, authentication and status checks as middleware.
    let api: Client

    /// A client for the Phoenix at `baseURL`.
    ///
    /// - Parameters:
    ///   - baseURL: Phoenix's address, such as `http://localhost:6006`.
    ///   - apiKey: sent as `Authorization: Bearer …` (`PHOENIX_API_KEY`), never logged.
    ///   - requestTimeout: how long one attempt may take; a timed-out request is not retried.
    ///   - httpClient: the HTTP client to send with; `nil` uses the process's shared one. A client given
    ///     here must have AsyncHTTPClient's tracing off (reading traces must not make spans), and its
    ///     owner shuts it down.
    public init(baseURL: URL, apiKey: String? = nil, requestTimeout: Duration = .seconds(10), httpClient: HTTPClient? = nil) {
        self.baseURL = baseURL
        var middlewares: [any ClientMiddleware] = [
            StatusMiddleware(),
            // One retry for a transient answer (429, 5xx) or a refused connection: Phoenix restarting.
            RetryMiddleware(policy: HTTPRetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(250), maxBackoff: .seconds(2))),
        ]
        if let apiKey { middlewares.append(BearerAuthMiddleware(apiKey: apiKey)) }
        // The generated paths start with `/v1`: a base URL given with a trailing slash must not double it.
        var serverURL = baseURL
        while serverURL.path.hasSuffix("/") && serverURL.path.count > 1 || serverURL.absoluteString.hasSuffix("/") {
            guard let trimmed = URL(string: String(serverURL.absoluteString.dropLast())) else { break }
            serverURL = trimmed
        }
        self.api = Client(
            serverURL: serverURL,
            configuration: Configuration(dateTranscoder: PhoenixDateTranscoder()),
            transport: AsyncHTTPClientTransport(
                configuration: .init(client: httpClient ?? .sharedUntraced, timeout: .nanoseconds(requestTimeout.nanoseconds))
            ),
            middlewares: middlewares
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
    ///
    /// - Parameters:
    ///   - project: the project's name.
    ///   - traceID: only the spans of this trace.
    ///   - since: only spans that started at or after this time.
    public func spans(project: String, traceID: String? = nil, since: Date? = nil) async throws(PhoenixClientError) -> [PhoenixSpan] {
        try await allPages("/v1/projects/{project}/spans") { cursor in
            let page = try await api.getSpans(
                path: .init(projectIdentifier: project),
                query: .init(cursor: cursor, limit: 1000, startTime: since, traceId: traceID.map { [$0] })
            ).ok.body.json
            return (page.data.map(PhoenixSpan.init), page.nextCursor)
        }
    }

    /// Polls until the trace holds at least `count` spans (ingestion is asynchronous), or the timeout passes.
    public func waitForTrace(
        project: String,
        traceID: String,
        count: Int,
        timeout: Duration = .seconds(30)
    ) async throws(PhoenixClientError) -> [PhoenixSpan] {
        try await waitForTrace(project: project, traceID: traceID, timeout: timeout, waitingFor: "\(count) spans") {
            $0.count >= count
        }
    }

    /// Polls until the spans Phoenix holds of a trace satisfy `isComplete` (ingestion is asynchronous,
    /// and spans from several processes arrive in any order), or the timeout passes.
    ///
    /// - Parameters:
    ///   - project: the project's name.
    ///   - traceID: the trace, as 32 hexadecimal digits.
    ///   - timeout: how long to poll before throwing.
    ///   - waitingFor: what `isComplete` waits for, named in the timeout error.
    ///   - isComplete: whether the spans read so far are the whole trace.
    public func waitForTrace(
        project: String,
        traceID: String,
        timeout: Duration = .seconds(30),
        waitingFor: String,
        until isComplete: ([PhoenixSpan]) -> Bool
    ) async throws(PhoenixClientError) -> [PhoenixSpan] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var seen: [PhoenixSpan] = []
        while ContinuousClock.now < deadline {
            do {
                seen = try await spans(project: project, traceID: traceID)
                if isComplete(seen) { return seen }
            } catch  where error.status == 404 {
                // The project appears with its first span.
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        throw .timedOut(waitingFor: "\(waitingFor) of trace \(traceID)", seen: seen.count)
    }

    /// Phoenix's id for a project name, used in UI links.
    public func projectID(named name: String) async throws(PhoenixClientError) -> String {
        try await call("/v1/projects/{project}") {
            try await api.getProject(path: .init(projectIdentifier: name)).ok.body.json.data.id
        }
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
        } catch  where error.status == 404 {
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
        let answer = try await call("/v1/span_annotations") {
            try await api.annotateSpans(query: .init(sync: true), body: .json(.init(data: [annotation.wire]))).ok.body.json
        }
        guard let inserted = answer.data.first else {
            throw .unexpectedResponse(path: "/v1/span_annotations", reason: "no annotation id in the answer")
        }
        return inserted.id
    }

    /// The annotations Phoenix holds for the given spans of `project`.
    public func spanAnnotations(project: String, spanIDs: [String]) async throws(PhoenixClientError) -> [SpanAnnotation] {
        try await allPages("/v1/projects/{project}/span_annotations") { cursor in
            let page = try await api.listSpanAnnotationsBySpanIds(
                path: .init(projectIdentifier: project),
                query: .init(spanIds: spanIDs, cursor: cursor, limit: 1000)
            ).ok.body.json
            return (page.data.map(SpanAnnotation.init), page.nextCursor)
        }
    }

    /// Reads every page of a cursor-paginated route: `page` fetches the page at a cursor (`nil` first)
    /// and returns its items and the next cursor.
    func allPages<Item>(
        _ route: String,
        _ page: (String?) async throws -> (items: [Item], next: String?)
    ) async throws(PhoenixClientError) -> [Item] {
        var items: [Item] = []
        var cursor: String?
        repeat {
            let (more, next) = try await call(route) { try await page(cursor) }
            items += more
            cursor = next
        } while cursor != nil
        return items
    }

    /// Runs one call of the generated client, turning what it throws into a ``PhoenixClientError``.
    func call<T>(_ route: String, _ body: () async throws -> T) async throws(PhoenixClientError) -> T {
        do {
            return try await body()
        } catch let error as PhoenixClientError {
            throw error
        } catch let error as ClientError {
            if let error = error.underlyingError as? PhoenixClientError { throw error }
            if error.response == nil, !(error.underlyingError is DecodingError) {
                throw .unreachable(baseURL: baseURL.absoluteString, reason: String(describing: error.underlyingError))
            }
            throw .unexpectedResponse(path: route, reason: String(describing: error.underlyingError))
        } catch {
            throw .unexpectedResponse(path: route, reason: String(describing: error))
        }
    }
}
#endif  // Phoenix
