import Foundation
import OpenInference
import OpenInferenceTesting

/// One canned call through a ``WireRecorder``: a request body, then a response given in pieces.
struct CannedExchange: Sendable {
    var method = "POST"
    var url: String
    var request: String
    var status = 200
    var contentType = "application/json"
    /// The response body, in the pieces it arrives in.
    var response: [Data]

    init(url: String, request: String, status: Int = 200, contentType: String = "application/json", response: [String]) {
        self.init(url: url, request: request, status: status, contentType: contentType, response: response.map { Data($0.utf8) })
    }

    init(url: String, request: String, status: Int = 200, contentType: String, response: [Data]) {
        self.url = url
        self.request = request
        self.status = status
        self.contentType = contentType
        self.response = response
    }

    /// A streamed response: `events` as server-sent events, each `data:` line followed by a blank line,
    /// arriving split in the middle of every event so the recorder must join them.
    static func stream(url: String, request: String, events: [String]) -> CannedExchange {
        let body = Array(events.map { "data: \($0)\n\n" }.joined().utf8)
        // Cut by bytes, so a piece may end inside a UTF-8 sequence as on the wire.
        let pieces = stride(from: 0, to: body.count, by: 37).map { Data(body[$0..<min($0 + 37, body.count)]) }
        return CannedExchange(url: url, request: request, contentType: "text/event-stream", response: pieces)
    }

    /// Runs the exchange through a recorder under an in-memory tracer and returns the spans it ended.
    func record(config: TraceConfig? = nil, until ending: Ending = .finish) async -> RecordedSpans {
        await recordSpans(config: config) {
            let exchange = WireRecorder().start(method: method, url: URL(string: url)!, body: Data(request.utf8))
            exchange?.receiveResponse(status: status, headers: ["Content-Type": contentType])
            for piece in response { exchange?.receiveBody(piece) }
            switch ending {
            case .finish: exchange?.finish()
            case .fail(let error): exchange?.fail(error)
            }
        }
    }

    enum Ending: Sendable {
        case finish
        case fail(any Error & Sendable)
    }
}

struct CannedFailure: Error, CustomStringConvertible {
    var description: String { "the connection was reset" }
}
