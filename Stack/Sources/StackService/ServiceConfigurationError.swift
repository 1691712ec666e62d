/// Why `stack serve` cannot start, and what to change.
public enum ServiceConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An API key entry is not `key=user-id[:role]`; `entry` counts entries from 1 (the key is never shown).
    case invalidAPIKeyEntry(source: String, entry: Int)
    /// An API key entry names a role other than `admin`; `entry` counts entries from 1 (neither
    /// the key nor the role text is shown, in case a key was written in the role's place).
    case unknownAPIKeyRole(source: String, entry: Int)
    /// The key file could not be read.
    case unreadableAPIKeyFile(path: String, reason: String)
    /// No API key is configured, so every request would be refused.
    case noAPIKeys
    /// A variable holds a value of the wrong shape.
    case invalidValue(variable: String, value: String, expected: String)
    /// API keys are configured but no secret for feedback tokens is.
    case noFeedbackSecret
    /// Both `STACK_FEEDBACK_SECRET` and `STACK_FEEDBACK_SECRET_FILE` are set.
    case twoFeedbackSecrets
    /// The feedback secret from `source` (a variable or a file path) is shorter than 32 bytes.
    case feedbackSecretTooShort(source: String)
    /// The feedback secret file could not be read.
    case unreadableFeedbackSecretFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidAPIKeyEntry(let source, let entry):
            return "entry \(entry) of \(source) is not key=user-id[:role]; write one key and the user it belongs to per entry"
        case .unknownAPIKeyRole(let source, let entry):
            return "entry \(entry) of \(source) has an unknown role after the user id; the only role is admin "
                + "(key=user-id:admin), or leave the role out (key=user-id); user ids cannot contain ':'"
        case .unreadableAPIKeyFile(let path, let reason):
            return "cannot read the API key file \(path) (\(reason)); check STACK_API_KEYS_FILE"
        case .noAPIKeys:
            return "no API keys are configured, so every request would get 401; set STACK_API_KEYS=key=user-id "
                + "or STACK_API_KEYS_FILE to a file of key=user-id lines"
        case .invalidValue(let variable, let value, let expected):
            return "\(variable) is '\(value)', expected \(expected)"
        case .noFeedbackSecret:
            return "API keys are configured but no feedback secret is, so feedback tokens cannot be issued; "
                + "set STACK_FEEDBACK_SECRET to at least \(FeedbackSecret.minimumBytes) random bytes (e.g. the output of "
                + "`openssl rand -hex 32`) or STACK_FEEDBACK_SECRET_FILE to a file holding one; replicas that should "
                + "accept each other's tokens need the same secret"
        case .twoFeedbackSecrets:
            return "both STACK_FEEDBACK_SECRET and STACK_FEEDBACK_SECRET_FILE are set; keep one of them"
        case .feedbackSecretTooShort(let source):
            return "the feedback secret in \(source) is shorter than \(FeedbackSecret.minimumBytes) bytes; "
                + "make a longer one, e.g. with `openssl rand -hex 32`"
        case .unreadableFeedbackSecretFile(let path, let reason):
            return "cannot read the feedback secret file \(path) (\(reason)); check STACK_FEEDBACK_SECRET_FILE"
        }
    }
}
