import Crypto
import Foundation

/// The server secret that keys feedback tokens (see ``FeedbackTokenSigner``): at least
/// ``minimumBytes`` bytes, the same on every replica that should accept each other's tokens.
///
/// It comes from `STACK_FEEDBACK_SECRET` or the file named by `STACK_FEEDBACK_SECRET_FILE`
/// (surrounding whitespace trimmed); `openssl rand -hex 32` makes a good one. Its bytes are the
/// UTF-8 of the text as given (a hex string is not decoded). It prints as `FeedbackSecret(redacted)`
/// and shows no children to `dump` or a debugger, so it cannot reach a log line, a span or an error
/// message by accident.
public struct FeedbackSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The fewest bytes a secret may have.
    public static let minimumBytes = 32

    let key: SymmetricKey

    /// A secret from text (trimmed of surrounding whitespace).
    ///
    /// - Parameter source: the variable or file it came from, for the error message.
    /// - Throws: ``ServiceConfigurationError/feedbackSecretTooShort(source:)`` when the trimmed text
    ///   has fewer than ``minimumBytes`` bytes.
    public init(_ text: String, source: String) throws(ServiceConfigurationError) {
        let bytes = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard bytes.count >= Self.minimumBytes else { throw .feedbackSecretTooShort(source: source) }
        self.key = SymmetricKey(data: bytes)
    }

    /// `FeedbackSecret(redacted)`: never the secret.
    public var description: String { "FeedbackSecret(redacted)" }

    /// `FeedbackSecret(redacted)`: never the secret.
    public var debugDescription: String { description }

    /// No children, so `dump` and debuggers show nothing of the secret.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
