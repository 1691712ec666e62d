import Crypto
import Foundation
import OpenInference
import PhoenixClient

/// One piece of user feedback on a trace, as `POST /v1/feedback` accepts it.
public struct Feedback: Sendable, Hashable, Codable {
    /// The longest `label` accepted, in characters.
    public static let maxLabelCharacters = 100
    /// The longest `explanation` accepted, in characters.
    public static let maxExplanationCharacters = 4000

    /// Which server-side record this is; also the annotation's identifier in Phoenix, so a retried
    /// delivery updates instead of duplicating.
    public var id: String
    /// The trace the feedback is about (a response's `X-Trace-Id`).
    public var traceID: String
    /// The annotation name, e.g. `user_feedback` or `correctness`.
    public var name: String
    /// A category, e.g. `thumbs_down`.
    public var label: String?
    /// A number, e.g. 0 or 1.
    public var score: Double?
    /// Why, in the user's words.
    public var explanation: String?
    /// Who gave it (the API key's user).
    public var userID: String?
    /// When the server accepted it.
    public var acceptedAt: Date

    /// Feedback with a fresh id, accepted now.
    public init(
        id: String = UUID().uuidString.lowercased(),
        traceID: String,
        name: String = "user_feedback",
        label: String? = nil,
        score: Double? = nil,
        explanation: String? = nil,
        userID: String? = nil,
        acceptedAt: Date = Date()
    ) {
        self.id = id
        self.traceID = traceID
        self.name = name
        self.label = label
        self.score = score
        self.explanation = explanation
        self.userID = userID
        self.acceptedAt = acceptedAt
    }
}

extension Feedback {
    /// The label, score and explanation, as an annotation carries them.
    var result: SpanAnnotation.Result {
        SpanAnnotation.Result(label: label, score: score, explanation: explanation)
    }

    /// The annotation's metadata: who gave the feedback.
    var annotationMetadata: [String: OpenInferenceJSON] {
        userID.map { ["user_id": .string($0)] } ?? [:]
    }
}

/// What happened to feedback the server accepted.
public enum FeedbackReceipt: Sendable, Hashable {
    /// Attached to the trace in Phoenix (`annotationID`), and to its session when its spans name one.
    case delivered(annotationID: String, sessionID: String?)
    /// Stored durably and retried until Phoenix holds the trace (`reason` says why it waits).
    case queued(reason: String)
}

extension Feedback {
    /// An id determined by the token that proved the feedback and its name: `prefix` and 32 hex
    /// characters of their SHA-256, so every replica and every replay give the same annotation id.
    static func derivedID(token: String, name: String, prefix: String) -> String {
        let digest = SHA256.hash(data: Data("\(name)\n\(token)".utf8))
        return prefix + digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
