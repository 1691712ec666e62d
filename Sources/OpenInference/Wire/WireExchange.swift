import Foundation
import Synchronization
import Tracing

/// One model-API call being recorded: takes the response as it arrives and ends the span when it ends.
///
/// ``WireRecorder/start(method:url:body:context:function:file:line:)`` returns one when it recognises a request. Give it the
/// response head with ``receiveResponse(status:headers:)``, each piece of the body with
/// ``receiveBody(_:)`` as it arrives (a server-sent-event stream is read event by event, never held back),
/// then ``finish()`` when the body ends or ``fail(_:)`` when the call fails or is cancelled. The span
/// ends then, with the output messages, tool calls, token counts and finish reason the response carried,
/// status OK, or ERROR with an `exception` event for an HTTP error status or a failure.
///
/// Every method may be called from any thread; calls after the span ended do nothing. An exchange
/// released before either ending call ends its span with a note saying so.
public final class WireExchange: Sendable {
    /// The event a span gets when a streamed answer's first piece arrives, as the reference names it.
    static let firstTokenEvent = "First Token Stream Event"

    private let state: Mutex<WireExchangeState>

    init(
        api: any WireAPI, url: URL, body: Data?, context: InstrumentationContext, function: String, file fileID: String,
        line: UInt
    ) {
        let base = OpenInferenceSpan.started(
            api.spanName, kind: api.kind, context: context, ofKind: .client, function: function, file: fileID, line: line
        )
        var state = WireExchangeState(api: api, span: base)
        // A span that records nothing (no tracer, suppressed, or declined by the export filter) needs no parsing.
        if base.span.isRecording { state.recordRequest(url: url, body: body) }
        self.state = Mutex(state)
    }

    /// Takes the response's status code and headers (names in any case); a `text/event-stream` content
    /// type makes the body a stream read event by event.
    public func receiveResponse(status: Int, headers: [String: String]) {
        state.withLock { $0.receiveResponse(status: status, headers: headers) }
    }

    /// Takes the next piece of the response body, as it arrived.
    public func receiveBody(_ chunk: Data) {
        state.withLock { $0.receiveBody(chunk) }
    }

    /// The body has ended: records the response and ends the span.
    public func finish() {
        state.withLock { $0.finish() }
    }

    /// The call failed or was cancelled: records what arrived before, the error, and ends the span.
    public func fail(_ error: any Error) {
        state.withLock { $0.fail(error) }
    }

    deinit {
        state.withLock { $0.abandon() }
    }
}
