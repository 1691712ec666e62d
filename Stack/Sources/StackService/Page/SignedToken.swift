import Crypto
import Foundation

/// A short-lived token with a purpose, signed with the ``FeedbackSecret`` by ``FeedbackTokenSigner``:
/// what the chat page holds instead of an API key.
///
/// Written `v2.<purpose>.<expiry>.<subject>.<mac>`: the expiry in Unix seconds, the subject as
/// lowercase hex, and the mac the unpadded base64url HMAC-SHA256 of
/// `v2\n<purpose>\n<expiry>\n<subject>\n<user id>`. The user is not written in the token; the
/// verifier supplies the one it expects, so a token of another user does not verify. Any replica
/// holding the secret checks it without shared state.
public struct SignedToken: Sendable, Hashable {
    /// What a token lets its holder do.
    public enum Purpose: String, Sendable, Hashable, CaseIterable {
        /// Ask questions as the page's user; the subject is the 16-hex-character prefix every
        /// trace id of this page load starts with.
        case page
        /// Send feedback and browser timing spans for one answer; the subject is its trace id.
        case answer
    }

    /// What the token allows.
    public var purpose: Purpose
    /// Lowercase hex: a trace id prefix (``Purpose/page``) or a trace id (``Purpose/answer``).
    public var subject: String
    /// The user the token acts as.
    public var userID: String
    /// The last instant the token is accepted (whole seconds).
    public var expires: Date

    /// A token's content.
    public init(purpose: Purpose, subject: String, userID: String, expires: Date) {
        self.purpose = purpose
        self.subject = subject.lowercased()
        self.userID = userID
        self.expires = Date(timeIntervalSince1970: expires.timeIntervalSince1970.rounded(.down))
    }

    static let version = "v2"

    var message: Data {
        Data("\(Self.version)\n\(purpose.rawValue)\n\(Int64(expires.timeIntervalSince1970))\n\(subject)\n\(userID)".utf8)
    }
}

/// Why a ``SignedToken`` was refused, and what the holder should do.
public struct SignedTokenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of refusal.
    public enum Code: String, Sendable, Hashable {
        /// Not a `v2` token at all, or cut or padded.
        case malformed
        /// Well formed, but not signed by this service for this user (altered or made up).
        case forged
        /// Signed for another purpose (e.g. a page token sent as an answer's).
        case wrongPurpose = "wrong_purpose"
        /// Signed for another trace than the one the request names.
        case wrongSubject = "wrong_subject"
        /// Past its expiry.
        case expired
        /// Already used once on this replica for what it allows once.
        case replayed
    }

    /// What went wrong.
    public var code: Code
    /// The purpose the verifier expected.
    public var purpose: SignedToken.Purpose

    /// A refusal of a token expected to serve `purpose`.
    public init(_ code: Code, purpose: SignedToken.Purpose) {
        self.code = code
        self.purpose = purpose
    }

    /// Says what to do; never contains the token.
    public var description: String {
        let remedy = purpose == .page ? "reload the chat page to get a fresh one" : "ask again to get a fresh answer token"
        switch code {
        case .malformed: return "the \(purpose.rawValue) token is not a token this service issues; \(remedy)"
        case .forged: return "the \(purpose.rawValue) token was not issued by this service for this user; \(remedy)"
        case .wrongPurpose: return "this token is not a \(purpose.rawValue) token; \(remedy)"
        case .wrongSubject: return "the \(purpose.rawValue) token was issued for another trace; send the token that came with this trace's answer"
        case .expired: return "the \(purpose.rawValue) token has expired; \(remedy)"
        case .replayed: return "the \(purpose.rawValue) token was already used for this; each answer takes one"
        }
    }
}

extension FeedbackTokenSigner {
    /// The signed text of `token`.
    public func sign(_ token: SignedToken) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: token.message, using: secret.key)
        return
            "\(SignedToken.version).\(token.purpose.rawValue).\(Int64(token.expires.timeIntervalSince1970)).\(token.subject).\(Self.base64URL(Data(mac)))"
    }

    /// Checks `text` as a token for `purpose` held by `userID` at `now`, and returns it.
    ///
    /// The signature is checked (in constant time) before the expiry, so an altered expiry is
    /// ``SignedTokenError/Code/forged``, not expired.
    public func verify(
        _ text: String,
        purpose: SignedToken.Purpose,
        userID: String,
        now: Date = Date()
    ) throws(SignedTokenError) -> SignedToken {
        // A 32-hex subject, a 43-character mac and the rest stay well under 160 bytes.
        guard text.utf8.count <= 160 else { throw SignedTokenError(.malformed, purpose: purpose) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == SignedToken.version,
            let seconds = Int64(parts[2]), seconds > 0, String(seconds) == parts[2],
            !parts[3].isEmpty, parts[3].count <= 32, parts[3].allSatisfy({ $0.isHexDigit && !$0.isUppercase })
        else { throw SignedTokenError(.malformed, purpose: purpose) }
        guard let claimed = SignedToken.Purpose(rawValue: String(parts[1])) else { throw SignedTokenError(.malformed, purpose: purpose) }
        let encoded = String(parts[4])
        guard let mac = Self.decodeBase64URL(encoded), mac.count == SHA256.byteCount, Self.base64URL(mac) == encoded else {
            throw SignedTokenError(.malformed, purpose: purpose)
        }
        let token = SignedToken(
            purpose: claimed, subject: String(parts[3]), userID: userID, expires: Date(timeIntervalSince1970: Double(seconds))
        )
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: token.message, using: secret.key) else {
            throw SignedTokenError(.forged, purpose: purpose)
        }
        guard claimed == purpose else { throw SignedTokenError(.wrongPurpose, purpose: purpose) }
        guard now <= token.expires else { throw SignedTokenError(.expired, purpose: purpose) }
        return token
    }
}
