import Foundation
import Logging
import Metrics
import OpenInference
import PhoenixClient
import Synchronization

/// Turns accepted feedback into span annotations on the trace's root span in Phoenix.
///
/// Feedback is written to the durable ``FeedbackQueue`` before anything else, and leaves it only
/// once Phoenix holds the annotation (or the trace is known not to exist), so Phoenix being down,
/// slow or still ingesting the trace loses nothing. ``FeedbackDeliveryService`` retries what waits.
/// Feedback whose trace has not reached Phoenix within `maxWait` expires visibly: it is logged as a
/// warning, counted in ``expiredFeedback`` and the metric `stack_feedback_expired_total`, and removed.
public final class FeedbackDesk: Sendable {
    let phoenix: PhoenixClient
    let projectName: String
    let queue: FeedbackQueue
    let recentTraces: RecentTraces
    /// How long feedback waits for a trace this server answered to appear in Phoenix (a sampled-out
    /// trace never does) before it is dropped with a warning.
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
        self.recentTraces = RecentTraces()
        self.maxWait = maxWait
        self.logger = logger
    }

    /// Remembers a trace this server answered, so feedback on it waits for its spans.
    public func served(traceID: String) {
        recentTraces.insert(traceID)
    }

    /// Accepts feedback: stores it, then tries to deliver it at once.
    ///
    /// - Parameter traceIsKnown: `true` when the caller has proof that this service answered the
    ///   trace (a valid feedback token, which any replica can check): feedback on a trace Phoenix
    ///   does not hold yet then waits in the queue. `false` leaves the decision to this process's
    ///   memory of the traces it answered.
    /// - Throws: ``APIError`` 404 when Phoenix is up, holds no such trace, the trace is not known
    ///   and this server did not answer it; 500 when the queue cannot be written (nothing was accepted).
    public func submit(_ feedback: Feedback, traceIsKnown: Bool = false) async throws(APIError) -> FeedbackReceipt {
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
        case .delivered(let spanID, let annotationID):
            return .delivered(spanID: spanID, annotationID: annotationID)
        case .traceMissing where !traceIsKnown && !recentTraces.contains(feedback.traceID):
            try? queue.remove(id: feedback.id)
            throw APIError(
                .notFound,
                type: "unknown_trace",
                message: "Phoenix project '\(projectName)' holds no trace \(feedback.traceID) and this server did not answer it; "
                    + "send the X-Trace-Id of a response"
            )
        case .traceMissing:
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
        case delivered(spanID: String, annotationID: String)
        case traceMissing
        case phoenixUnavailable(String)
        /// Phoenix answered 4xx to the annotation itself: retrying the same request will not help.
        case refused(String)
    }

    private func attempt(_ feedback: Feedback) async -> Attempt {
        do {
            guard let root = try await phoenix.rootSpan(project: projectName, traceID: feedback.traceID) else {
                return .traceMissing
            }
            var metadata: [String: OpenInferenceJSON] = [:]
            if let user = feedback.userID { metadata["user_id"] = .string(user) }
            let annotationID = try await phoenix.annotateSpan(
                SpanAnnotation(
                    spanID: root.context.spanID,
                    name: feedback.name,
                    annotatorKind: .human,
                    label: feedback.label,
                    score: feedback.score,
                    explanation: feedback.explanation,
                    metadata: metadata,
                    identifier: feedback.id
                )
            )
            try? queue.remove(id: feedback.id)
            logger.info(
                "feedback delivered",
                metadata: ["trace_id": .string(feedback.traceID), "span_id": .string(root.context.spanID)]
            )
            return .delivered(spanID: root.context.spanID, annotationID: annotationID)
        } catch {
            if case .httpStatus(let status, _, _) = error, (400..<500).contains(status), status != 408, status != 429 {
                logger.error("Phoenix refused feedback", metadata: ["trace_id": .string(feedback.traceID), "error": "\(error)"])
                return .refused(String(describing: error))
            }
            return .phoenixUnavailable(String(describing: error))
        }
    }
}
