import Foundation
import StackService
import Testing

@Suite("Signed page and answer tokens: purpose, expiry, user and subject bound by the feedback secret")
struct SignedTokenTests {
    static let signer = ServiceHarness.signer
    static let now = Date(timeIntervalSince1970: 1_764_000_000)
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"

    static func answerToken(expires: Date = now.addingTimeInterval(600), user: String = "page") -> String {
        signer.sign(SignedToken(purpose: .answer, subject: traceID, userID: user, expires: expires))
    }

    static func refusal(_ text: String, purpose: SignedToken.Purpose = .answer, user: String = "page") -> SignedTokenError.Code? {
        do {
            _ = try signer.verify(text, purpose: purpose, userID: user, now: now)
            return nil
        } catch {
            return error.code
        }
    }

    @Test("A token verifies for its purpose and user until it expires, and gives back its subject")
    func roundTrip() throws {
        let text = Self.answerToken()
        #expect(text.hasPrefix("v2.answer.1764000600.\(Self.traceID)."))
        let token = try Self.signer.verify(text, purpose: .answer, userID: "page", now: Self.now)
        #expect(token.subject == Self.traceID)
        #expect(token.expires == Self.now.addingTimeInterval(600))
        // The last second still counts; the next one does not.
        #expect(Self.refusal(Self.answerToken(expires: Self.now)) == nil)
        #expect(Self.refusal(Self.answerToken(expires: Self.now.addingTimeInterval(-1))) == .expired)
    }

    @Test("Another user, another purpose or another secret's token is refused")
    func bindings() throws {
        #expect(Self.refusal(Self.answerToken(), user: "mallory") == .forged)
        #expect(Self.refusal(Self.answerToken(), purpose: .page) == .wrongPurpose)
        let other = FeedbackTokenSigner(secret: try FeedbackSecret(String(repeating: "z", count: 40), source: "test"))
        let foreign = other.sign(SignedToken(purpose: .answer, subject: Self.traceID, userID: "page", expires: Self.now.addingTimeInterval(60)))
        #expect(Self.refusal(foreign) == .forged)
    }

    @Test("Changing any field of a token makes it forged, including pushing its expiry later", arguments: [1, 2, 3, 4])
    func alteredFieldsAreForged(field: Int) {
        var parts = Self.answerToken().split(separator: ".").map(String.init)
        switch field {
        case 1: parts[1] = "page"
        case 2: parts[2] = String(Int(parts[2])! + 3600)
        case 3: parts[3] = "0" + parts[3].dropFirst()
        default: parts[4] = (parts[4].first == "A" ? "B" : "A") + parts[4].dropFirst()
        }
        let code = Self.refusal(parts.joined(separator: "."))
        #expect(code == .forged)
    }

    @Test(
        "Text that is not a v2 token is malformed",
        arguments: [
            "", "v2", "v1.abc", "v2.answer.1764000600.4bf9.", "v2.answer.-5.4bf9.AAAA", "v2.answer.01764000600.4bf9.AAAA",
            "v2.answer.1764000600.4BF9.AAAA", "v2.answer.1764000600.xyz.AAAA", "v2.admin.1764000600.4bf9.AAAA",
            "v2.answer.1764000600.4bf9.AAAA.extra", String(repeating: "v2.", count: 80),
        ]
    )
    func malformed(text: String) {
        #expect(Self.refusal(text) == .malformed)
    }

    @Test("Refusals say what to do and never repeat the token")
    func messages() {
        let text = Self.answerToken()
        for code in [SignedTokenError.Code.malformed, .forged, .wrongPurpose, .wrongSubject, .expired, .replayed] {
            for purpose in SignedToken.Purpose.allCases {
                let message = SignedTokenError(code, purpose: purpose).description
                #expect(!message.contains(text))
                #expect(!message.contains(ServiceHarness.secretText))
                #expect(message.contains(purpose.rawValue))
            }
        }
    }
}
