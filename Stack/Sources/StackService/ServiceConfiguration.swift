import Foundation

/// How `stack serve` listens and whom it serves.
///
/// | Variable | Field | Default |
/// |---|---|---|
/// | `STACK_HOST` | ``host`` | `127.0.0.1` |
/// | `STACK_PORT` | ``port`` | `8080` |
/// | `STACK_MAX_BODY_BYTES` | ``maxBodyBytes`` | 1 MiB |
/// | `STACK_API_KEYS` | ``apiKeys``: `key=user-id[:role],…` (role `admin`) | none |
/// | `STACK_API_KEYS_FILE` | ``apiKeys``: a file of `key=user-id[:role]` lines (added to `STACK_API_KEYS`) | none |
/// | `STACK_FEEDBACK_SECRET` | ``feedbackSecret``: at least 32 bytes, e.g. from `openssl rand -hex 32` | none; required |
/// | `STACK_FEEDBACK_SECRET_FILE` | ``feedbackSecret``: a file holding it (trimmed); instead of `STACK_FEEDBACK_SECRET` | none |
/// | `STACK_FEEDBACK_QUEUE` | ``feedbackQueuePath``: the SQLite file holding feedback not yet in Phoenix | `~/.cache/stack/feedback.sqlite` |
/// | `PHOENIX_PROJECT_NAME` | ``projectName`` | `default` |
public struct ServiceConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The port to listen on; 0 picks a free one.
    public var port: Int
    /// Larger request bodies get 413.
    public var maxBodyBytes: Int
    /// Who may call the API.
    public var apiKeys: APIKeyStore
    /// Keys the feedback tokens that tie a trace to the user it answered.
    public var feedbackSecret: FeedbackSecret
    /// The SQLite file of feedback waiting for Phoenix.
    public var feedbackQueuePath: String
    /// The Phoenix project the service's traces go to (where feedback finds them).
    public var projectName: String

    /// A configuration with the defaults in the table above and the given keys and secret.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxBodyBytes: Int = 1 << 20,
        apiKeys: APIKeyStore,
        feedbackSecret: FeedbackSecret,
        feedbackQueuePath: String = ServiceConfiguration.defaultFeedbackQueuePath,
        projectName: String = "default"
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.apiKeys = apiKeys
        self.feedbackSecret = feedbackSecret
        self.feedbackQueuePath = feedbackQueuePath
        self.projectName = projectName
    }

    /// `feedback.sqlite` in the project's cache folder (`STACK_CACHE_DIR`, else `~/.cache/stack`).
    public static var defaultFeedbackQueuePath: String {
        let cache = ProcessInfo.processInfo.environment["STACK_CACHE_DIR"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/stack").path
        return cache + "/feedback.sqlite"
    }

    /// Reads the variables in the table above.
    ///
    /// - Throws: ``ServiceConfigurationError`` for a malformed value, an unreadable key or secret
    ///   file, no keys at all, or no feedback secret (or a short one).
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ServiceConfigurationError) -> ServiceConfiguration {
        var keys: [String: APIUser] = [:]
        if let raw = environment["STACK_API_KEYS"], !raw.isEmpty {
            keys = try APIKeyStore.parse(raw, source: "STACK_API_KEYS").entries
        }
        if let path = environment["STACK_API_KEYS_FILE"], !path.isEmpty {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw .unreadableAPIKeyFile(path: path, reason: (error as NSError).localizedDescription)
            }
            keys.merge(try APIKeyStore.parse(text, source: path).entries) { $1 }
        }
        guard !keys.isEmpty else { throw .noAPIKeys }
        var configuration = ServiceConfiguration(apiKeys: APIKeyStore(users: keys), feedbackSecret: try feedbackSecret(environment))
        if let host = environment["STACK_HOST"], !host.isEmpty { configuration.host = host }
        if let raw = environment["STACK_PORT"], !raw.isEmpty {
            guard let port = Int(raw), (0...65535).contains(port) else {
                throw .invalidValue(variable: "STACK_PORT", value: raw, expected: "a port number from 0 to 65535")
            }
            configuration.port = port
        }
        if let raw = environment["STACK_MAX_BODY_BYTES"], !raw.isEmpty {
            guard let bytes = Int(raw), bytes > 0 else {
                throw .invalidValue(variable: "STACK_MAX_BODY_BYTES", value: raw, expected: "a positive number of bytes")
            }
            configuration.maxBodyBytes = bytes
        }
        if let path = environment["STACK_FEEDBACK_QUEUE"], !path.isEmpty { configuration.feedbackQueuePath = path }
        if let project = environment["PHOENIX_PROJECT_NAME"], !project.isEmpty { configuration.projectName = project }
        return configuration
    }

    /// The secret from `STACK_FEEDBACK_SECRET` or `STACK_FEEDBACK_SECRET_FILE` (one of them, not both).
    static func feedbackSecret(_ environment: [String: String]) throws(ServiceConfigurationError) -> FeedbackSecret {
        let value = environment["STACK_FEEDBACK_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        let path = environment["STACK_FEEDBACK_SECRET_FILE"].flatMap { $0.isEmpty ? nil : $0 }
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
