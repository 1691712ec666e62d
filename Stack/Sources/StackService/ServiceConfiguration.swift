import Foundation
import _OpenInferenceConfiguration

/// How `stack serve` listens and whom it serves.
///
/// | Variable | Field | Default |
/// |---|---|---|
/// | `STACK_HOST` | ``host`` | `127.0.0.1` |
/// | `STACK_PORT` | ``port`` | `8080` |
/// | `STACK_MAX_BODY_BYTES` | ``maxBodyBytes`` | 1 MiB |
/// | `STACK_ALLOWED_HOSTS` | ``allowedHosts``: names (`name` or `name:port`, comma-separated) accepted in `Host` and `Origin` besides the address's own (see `AllowedHosts`) | none |
/// | `STACK_API_KEYS` | ``apiKeys``: `key=user-id[:role],…` (role `admin`) | none |
/// | `STACK_API_KEYS_FILE` | ``apiKeys``: a file of `key=user-id[:role]` lines (added to `STACK_API_KEYS`) | none |
/// | `STACK_FEEDBACK_SECRET` | ``feedbackSecret``: at least 32 bytes, e.g. from `openssl rand -hex 32` | none; required |
/// | `STACK_FEEDBACK_SECRET_FILE` | ``feedbackSecret``: a file holding it (trimmed); instead of `STACK_FEEDBACK_SECRET` | none |
/// | `STACK_FEEDBACK_QUEUE` | ``feedbackQueuePath``: the SQLite file holding feedback not yet in Phoenix | `~/.cache/stack/feedback.sqlite` |
/// | `STACK_FEEDBACK_MAX_WAIT` | ``feedbackMaxWait``: seconds feedback waits for its trace to reach Phoenix before it expires (logged and counted) | 3600 |
/// | `STACK_HEADER_TIMEOUT`, `STACK_READ_TIMEOUT`, `STACK_IDLE_TIMEOUT` | ``timeouts``: seconds per connection stage (see ``ConnectionTimeouts``) | 10, 30, 15 |
/// | `STACK_PAGE`, `STACK_PAGE_USER`, `STACK_PAGE_TOKEN_TTL`, `STACK_PAGE_RATE` | ``page`` (see ``PageConfiguration``) | on for loopback addresses |
/// | `STACK_ONLINE_EVAL_RATIO`, `STACK_ONLINE_EVAL_CONCURRENCY`, `STACK_ONLINE_EVAL_QUEUE`, `STACK_ONLINE_EVAL_TRACE_WAIT`, `STACK_ONLINE_EVAL_DRAIN` | ``onlineEvaluation`` (see ``OnlineEvaluationConfiguration``) | off |
public struct ServiceConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The port to listen on; 0 picks a free one.
    public var port: Int
    /// Larger request bodies get 413.
    public var maxBodyBytes: Int
    /// Names accepted in `Host` and `Origin` besides the listening address's own (a proxy's public
    /// name); on a wildcard address, giving any turns the check on.
    public var allowedHosts: [String] = []
    /// Who may call the API.
    public var apiKeys: APIKeyStore
    /// Keys the feedback tokens that tie a trace to the user it answered.
    public var feedbackSecret: FeedbackSecret
    /// The SQLite file of feedback waiting for Phoenix.
    public var feedbackQueuePath: String
    /// How long accepted feedback waits for its trace to reach Phoenix (a sampled-out trace never does)
    /// before it expires, visibly: logged and counted in `stack_feedback_expired_total`.
    public var feedbackMaxWait: Duration = .seconds(3600)
    /// How long a connection may take to send a request's headers and body, and sit idle.
    public var timeouts = ConnectionTimeouts()
    /// The chat page at `/` (`STACK_PAGE` and friends, see ``PageConfiguration``).
    public var page: PageConfiguration
    /// Background evaluation of a share of the answered runs (`STACK_ONLINE_EVAL_RATIO` and friends,
    /// see ``OnlineEvaluationConfiguration``); off by default.
    public var onlineEvaluation = OnlineEvaluationConfiguration()

    /// A configuration with the defaults in the table above and the given keys and secret; without a
    /// `feedbackQueuePath`, the queue lives in the cache folder (`STACK_CACHE_DIR`).
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxBodyBytes: Int = 1 << 20,
        apiKeys: APIKeyStore,
        feedbackSecret: FeedbackSecret,
        feedbackQueuePath: String? = nil,
        page: PageConfiguration = PageConfiguration()
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.apiKeys = apiKeys
        self.feedbackSecret = feedbackSecret
        self.feedbackQueuePath = feedbackQueuePath ?? ConfigurationReader().cacheDirectory.appendingPathComponent("feedback.sqlite").path
        self.page = page
    }

    /// Reads the variables in the table above.
    ///
    /// - Throws: ``ServiceConfigurationError`` for a malformed value, an unreadable key or secret
    ///   file, no keys at all, or no feedback secret (or a short one).
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ServiceConfigurationError) -> ServiceConfiguration {
        let reader = ConfigurationReader(environment)
        var keys: [String: APIUser] = [:]
        if let raw = reader.string("STACK_API_KEYS", isSecret: true) {
            keys = try APIKeyStore.parse(raw, source: "STACK_API_KEYS").entries
        }
        if let path = reader.string("STACK_API_KEYS_FILE") {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw .unreadableAPIKeyFile(path: path, reason: (error as NSError).localizedDescription)
            }
            keys.merge(try APIKeyStore.parse(text, source: path).entries) { $1 }
        }
        guard !keys.isEmpty else { throw .noAPIKeys }
        var configuration = ServiceConfiguration(
            apiKeys: APIKeyStore(users: keys),
            feedbackSecret: try feedbackSecret(reader),
            feedbackQueuePath: reader.cacheDirectory.appendingPathComponent("feedback.sqlite").path,
            page: try PageConfiguration.read(reader)
        )
        do {
            if let port = try reader.int("STACK_PORT", in: 0...65535, expected: "a port number from 0 to 65535") { configuration.port = port }
            if let bytes = try reader.positiveInt("STACK_MAX_BODY_BYTES", example: 1_048_576) { configuration.maxBodyBytes = bytes }
            if let wait = try reader.seconds("STACK_FEEDBACK_MAX_WAIT") { configuration.feedbackMaxWait = wait }
            if let header = try reader.seconds("STACK_HEADER_TIMEOUT") { configuration.timeouts.header = header }
            if let read = try reader.seconds("STACK_READ_TIMEOUT") { configuration.timeouts.read = read }
            if let idle = try reader.seconds("STACK_IDLE_TIMEOUT") { configuration.timeouts.idle = idle }
        } catch {
            throw .invalidValue(variable: error.variable, value: error.value, expected: error.expected)
        }
        if let host = reader.string("STACK_HOST") { configuration.host = host }
        if let names = reader.string("STACK_ALLOWED_HOSTS") {
            configuration.allowedHosts = names.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let path = reader.string("STACK_FEEDBACK_QUEUE") { configuration.feedbackQueuePath = path }
        configuration.onlineEvaluation = try OnlineEvaluationConfiguration.read(reader)
        return configuration
    }

    static func feedbackSecret(_ reader: ConfigurationReader) throws(ServiceConfigurationError) -> FeedbackSecret {
        let value = reader.string("STACK_FEEDBACK_SECRET", isSecret: true)
        let path = reader.string("STACK_FEEDBACK_SECRET_FILE")
        switch (value, path) {
        case (nil, nil):
            throw .noFeedbackSecret
        case (.some, .some):
            throw .twoFeedbackSecrets
        case (let value?, nil):
            return try FeedbackSecret(value, source: "STACK_FEEDBACK_SECRET")
        case (nil, let path?):
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw .unreadableFeedbackSecretFile(path: path, reason: (error as NSError).localizedDescription)
            }
            return try FeedbackSecret(text, source: path)
        }
    }
}
