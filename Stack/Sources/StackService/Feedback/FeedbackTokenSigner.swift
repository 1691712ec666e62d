import Crypto
import Foundation
import HTTPTypes

/// Issues and checks feedback tokens: proof that this service answered a trace for a user, so only
/// that user may annotate it through `POST /v1/feedback`.
///
/// A token is `v1.` followed by the unpadded base64url HMAC-SHA256, keyed by the ``FeedbackSecret``,
/// of the message `v1\n<trace id>\n<user id>` (the trace id as 32 lowercase hex characters). It
/// needs no state: any replica holding the same secret checks it, before Phoenix has the trace.
///
/// ```swift
/// let signer = FeedbackTokenSigner(secret: try FeedbackSecret(secretText, source: "STACK_FEEDBACK_SECRET"))
/// let token = signer.token(traceID: traceID, userID: "alice")
/// signer.verifies(token, traceID: traceID, userID: "alice")  // true
/// signer.verifies(token, traceID: traceID, userID: "bob")    // false
/// ```
///
/// The chat page's tokens use the same key with a purpose and an expiry (`v2`, see
/// ``SignedToken``).
public struct FeedbackTokenSigner: Sendable {
    /// The response header carrying the token, and the request header `POST /v1/feedback` reads it
    /// from when the body has no `feedback_token`.
    public static let header = HTTPField.Name("X-Feedback-Token")!

    /// The version prefix of the tokens issued now.
    static let version = "v1"

    let secret: FeedbackSecret

    /// A signer keyed by `secret`.
    public init(secret: FeedbackSecret) {
        self.secret = secret
    }

    /// The token for `userID` on `traceID` (32 hex characters; case does not matter).
    public func token(traceID: String, userID: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Self.message(traceID: traceID, userID: userID), using: secret.key)
        return "\(Self.version).\(Self.base64URL(Data(mac)))"
    }

    /// The id of feedback `name` given with `token`: the same on every replica and every replay, so
    /// sending it again updates the annotation instead of adding one.
    static func feedbackID(token: String, name: String) -> String {
        Feedback.derivedID(token: token, name: name, prefix: "fbk-")
    }

    /// Whether `token` is the one issued for `userID` on `traceID`. The codes are compared in
    /// constant time; a token of another version, another user or another trace, or one altered
    /// in any character, is refused.
    public func verifies(_ token: String, traceID: String, userID: String) -> Bool {
        let prefix = "\(Self.version)."
        // A 32-byte code is 43 base64url characters; anything much longer is not a token.
        guard token.utf8.count <= 64, token.hasPrefix(prefix) else { return false }
        let encoded = String(token.dropFirst(prefix.count))
        // Only the canonical encoding counts, so no two strings pass for the same code.
        guard let mac = Self.decodeBase64URL(encoded), mac.count == SHA256.byteCount, Self.base64URL(mac) == encoded else {
            return false
        }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Self.message(traceID: traceID, userID: userID), using: secret.key)
    }

    static func message(traceID: String, userID: String) -> Data {
        Data("\(version)\n\(traceID.lowercased())\n\(userID)".utf8)
    }

    static func base64URL(_ data: Data) -> String {
        var text = data.base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    static func decodeBase64URL(_ text: String) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
