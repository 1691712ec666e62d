import Foundation
import Logging
import Metrics
import OpenInference
import PhoenixClient
import Synchronization

/// Turns accepted feedback into annotations in Phoenix: a trace annotation (the feedback concerns the
/// whole answer) and, when the trace's spans carry a `session.id`, a session annotation.
///
/// Feedback is written to the durable ``FeedbackQueue`` before anything else, and leaves it only
/// once Phoenix holds the annotations, so Phoenix being down, slow or still ingesting the trace
/// loses nothing. Any replica can accept feedback on a trace another replica answered, also before
/// Phoenix has ingested it: nothing depends on this process's memory. When Phoenix does not hold the
/// trace yet, the annotation is also posted for Phoenix to attach when the spans arrive (it keeps such
/// annotations in memory for about ten minutes), and ``FeedbackDeliveryService`` retries from the queue
/// until Phoenix confirms it; the feedback id is the annotation's identifier, so every retry updates the
/// same annotation. Feedback whose trace has not reached Phoenix within `maxWait` expires visibly: it is
/// logged as a warning, counted in ``expiredFeedback`` and the metric `stack_feedback_expired_total`,
/// and removed.
public final class FeedbackDesk: Sendable {
    let phoenix: PhoenixClient
    let projectName: String
    let queue: FeedbackQueue
    /// How long feedback waits for its trace to appear in Phoenix (a sampled-out trace never does)
    /// before it is dropped with a warning (`STACK_FEEDBACK_MAX_WAIT`).
    let maxWait: Duration
    let logger: Logger
    private let expired = Atomic<Int>(0)

    /// Feedback dropped by this process because its trace never reached Phoenix within `maxWait`.
    public var expiredFeedback: Int { expired.load(ordering: .relaxed) }

    /// A desk delivering to `projectName` in `phoenix`, queueing in `queue`.
    public init(
        phoenix: PhoenixClient,
        projectName: String,
        queue: FeedbackQueue,
        maxWait: Duration = .seconds(3600),
        logger: Logger = .current
    ) {
        self.phoenix = phoenix
        self.projectName = projectName
        self.queue = queue
        self.maxWait = maxWait
        self.logger = logger
    }

    /// Accepts feedback: stores it, then tries to deliver it at once.
    ///
    /// - Throws: ``APIError`` 500 when the queue cannot be written (nothing was accepted); 502 when
    ///   Phoenix refuses the annotation itself (retrying would not help).
    public func submit(_ feedback: Feedback) async throws(APIError) -> FeedbackReceipt {
        do {
            try queue.add(feedback)
        } catch {
            logger.error("feedback queue write failed", metadata: ["error": "\(error)"])
            throw APIError(
                .internalServerError,
                type: "feedback_store_error",
                message: "the feedback could not be stored; check that STACK_FEEDBACK_QUEUE is writable, then retry"
            )
        }
        switch await attempt(feedback) {
        case .delivered(let annotationID, let sessionID):
            return .delivered(annotationID: annotationID, sessionID: sessionID)
        case .traceMissing:
            // Phoenix attaches it as soon as the spans arrive; the queue keeps it until Phoenix confirms.
            _ = try? await phoenix.annotate(
                .trace(feedback.traceID), name: feedback.name, annotatorKind: .human, result: feedback.result,
                metadata: feedback.annotationMetadata, identifier: feedback.id, delivery: .whenItArrives
            )
            return .queued(reason: "the trace's spans have not reached Phoenix yet")
        case .phoenixUnavailable(let reason):
            return .queued(reason: "Phoenix is unavailable (\(reason)); delivery is retried")
        case .refused(let reason):
            try? queue.remove(id: feedback.id)
            throw APIError(.badGateway, type: "phoenix_refused", message: "Phoenix refused the annotation: \(reason)")
        }
    }

    /// Delivers what the queue holds, oldest first; stops at the first sign Phoenix is down.
    /// Returns how many were delivered.
    @discardableResult
    public func deliverPending() async -> Int {
        let pending: [Feedback]
        do {
            pending = try queue.pending()
        } catch {
            logger.error("feedback queue read failed", metadata: ["error": "\(error)"])
            return 0
        }
        var delivered = 0
        for feedback in pending {
            switch await attempt(feedback) {
            case .delivered:
                delivered += 1
            case .traceMissing, .refused:
                let age = Date().timeIntervalSince(feedback.acceptedAt)
                if age > Double(maxWait.components.seconds) {
                    try? queue.remove(id: feedback.id)
                    expired.add(1, ordering: .relaxed)
                    Counter(label: "stack_feedback_expired_total").increment()
                    logger.warning(
                        "feedback expired: its trace never reached Phoenix (sampled out or exported elsewhere)",
                        metadata: [
                            "trace_id": .string(feedback.traceID), "feedback_id": .string(feedback.id),
                            "waited_seconds": "\(Int(age))", "feedback_expired_total": "\(expiredFeedback)",
                        ]
                    )
                } else {
                    try? queue.noteFailure(id: feedback.id, reason: "trace not in Phoenix yet")
                }
            case .phoenixUnavailable(let reason):
                try? queue.noteFailure(id: feedback.id, reason: reason)
                return delivered
            }
        }
        return delivered
    }

    private enum Attempt {
        case delivered(annotationID: String, sessionID: String?)
        case traceMissing
        case phoenixUnavailable(String)
        /// Phoenix answered 4xx to the annotation itself: retrying the same request will not help.
        case refused(String)
    }

    private func attempt(_ feedback: Feedback) async -> Attempt {
        do {
            let annotationID = try await phoenix.annotate(
                .trace(feedback.traceID), name: feedback.name, annotatorKind: .human, result: feedback.result,
                metadata: feedback.annotationMetadata, identifier: feedback.id
            )
            // The session is the one the trace's own spans name, not one the caller claims.
            let spans = try await phoenix.spans(project: projectName, traceID: feedback.traceID)
            var sessionID = Self.session(of: spans, for: feedback.userID)
            if let session = sessionID {
                do {
                    try await phoenix.annotate(
                        .session(session), name: feedback.name, annotatorKind: .human, result: feedback.result,
                        metadata: feedback.annotationMetadata, identifier: feedback.id
                    )
                } catch  where error.status == 404 {
                    // Phoenix gives a trace one session, from the first span it stored with one; the
                    // sender's may not be it. The trace annotation stands; no other session is annotated.
                    logger.info(
                        "feedback's session is not one Phoenix knows; only the trace is annotated",
                        metadata: [
                            "trace_id": .string(feedback.traceID), "session_id": .string(session),
                        ])
                    sessionID = nil
                }
            }
            try? queue.remove(id: feedback.id)
            logger.info("feedback delivered", metadata: ["trace_id": .string(feedback.traceID), "session_id": "\(sessionID ?? "none")"])
            return .delivered(annotationID: annotationID ?? "", sessionID: sessionID)
        } catch  where error.status == 404 {
            return .traceMissing
        } catch {
            if let status = error.status, (400..<500).contains(status), status != 408, status != 429 {
                logger.error("Phoenix refused feedback", metadata: ["trace_id": .string(feedback.traceID), "error": "\(error)"])
                return .refused(String(describing: error))
            }
            return .phoenixUnavailable(String(describing: error))
        }
    }

    /// The session feedback from `userID` belongs to: the one `userID`'s own spans of the trace name,
    /// else the root span's. A span someone else added by joining the trace (`traceparent` naming
    /// it, with a session of their own) never moves the feedback to their session.
    static func session(of spans: [PhoenixSpan], for userID: String?) -> String? {
        func session(_ span: PhoenixSpan) -> String? {
            guard case .string(let id) = span.attributes[SemanticConventions.Context.sessionID] else { return nil }
            return id
        }
        func user(_ span: PhoenixSpan) -> String? {
            guard case .string(let id) = span.attributes[SemanticConventions.Context.userID] else { return nil }
            return id
        }
        if let userID, let own = spans.lazy.filter({ user($0) == userID }).compactMap(session).first {
            return own
        }
        return spans.lazy.filter { $0.parentID == nil }.compactMap(session).first
    }
}
