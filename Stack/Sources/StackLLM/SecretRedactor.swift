import Foundation

/// Takes the secrets a process knows, and anything shaped like a credential, out of text that came
/// from elsewhere (a model server's error body) before it reaches a span, a log or an error message.
///
/// It replaces, with ``placeholder``:
/// - every occurrence of a known secret of at least ``minimumSecretLength`` characters (API keys, the
///   password and user of a URL), as written and percent-encoded;
/// - `Bearer …`, `Basic …` and `Token …` credentials (any case), and an `Authorization`, `X-API-Key`
///   or `Cookie` header's value;
/// - OpenAI-style keys (`sk-…`, `sk-proj-…`) of 8 or more characters after `sk-`;
/// - the `user:password@` of URLs.
///
/// ```swift
/// let redactor = SecretRedactor(secrets: ["sk-live-123456"])
/// redactor.redact("echo: Authorization: Bearer sk-live-123456")  // "echo: Authorization: [REDACTED]"
/// ```
///
/// Shorter secrets are only caught by shape: replacing a two-letter password everywhere would
/// destroy the text without protecting much.
public struct SecretRedactor: Sendable, Hashable {
    /// What a secret is replaced with.
    public static let placeholder = "[REDACTED]"
    /// Known secrets shorter than this are left to the shape rules.
    public static let minimumSecretLength = 4

    /// The literal secrets replaced, longest first (so a secret containing another goes whole).
    public let secrets: [String]

    /// A redactor for `secrets` (empty and short ones are dropped) and every credential shape.
    public init(secrets: [String] = []) {
        var literal = Set<String>()
        for secret in secrets where secret.count >= Self.minimumSecretLength {
            literal.insert(secret)
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != secret {
                literal.insert(encoded)
            }
        }
        self.secrets = literal.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// The secrets of `url` (its user and password, decoded and as written) added to this redactor's.
    public func adding(credentialsOf url: URL) -> SecretRedactor {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return self }
        let found = [components.user, components.password, components.percentEncodedUser, components.percentEncodedPassword]
        return SecretRedactor(secrets: secrets + found.compactMap { $0 })
    }

    /// `text` with every known secret and credential-shaped value replaced by ``placeholder``.
    public func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: Self.placeholder)
        }
        for rule in Self.rules {
            result = result.replacing(rule) { match in
                let prefix = match.output[1].substring ?? ""
                let suffix = match.output[3].substring ?? ""
                return prefix + Self.placeholder + suffix
            }
        }
        return result
    }

    /// `url` as text without its user and password: `http://host/v1` for `http://me:pw@host/v1`.
    public static func withoutCredentials(_ url: URL) -> String {
        withoutCredentials(url.absoluteString)
    }

    /// `url` (text) without the `user:password@` of its authority.
    public static func withoutCredentials(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.user != nil || components.password != nil else {
            return url
        }
        components.user = nil
        components.password = nil
        return components.string ?? url
    }

    /// The credential shapes, each with three groups: what stays before, the secret, what stays after.
    /// Built on use: `Regex` is not `Sendable`, and redaction runs on error paths only.
    private static var rules: [Regex<AnyRegexOutput>] {
        [
            // A header's value, as a line, JSON or a form: `Authorization: …`, `"authorization": "…"`.
            #"(?i)(\b(?:proxy-)?(?:authorization|x-api-key|api-key|cookie|set-cookie)["']?\s*[:=]\s*["']?)([^"'\r\n,}]+)()"#,
            #"(?i)(\bbearer\s+)([A-Za-z0-9._~+/=\-]{4,})()"#,
            #"(\bBasic\s+)([A-Za-z0-9+/]{8,}={0,2})()"#,
            #"()(\bsk-[A-Za-z0-9_\-]{8,})()"#,
            #"(?i)(\b[a-z][a-z0-9+.\-]*://)([^/\s@"']+)(@)"#,
        ].compactMap { try? Regex($0) }
    }
}
