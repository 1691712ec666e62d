#if AsyncHTTPClient
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import OpenInference

extension HTTPClient {
    /// Executes `request` as `execute(_:deadline:logger:)` does, recording it as an
    /// OpenInference span when it is a call to a known model API.
    ///
    /// ```swift
    /// var request = HTTPClientRequest(url: "https://api.openai.com/v1/chat/completions")
    /// request.method = .POST
    /// request.headers.add(name: "Authorization", value: "Bearer \(key)")
    /// request.body = .bytes(ByteBuffer(data: body))
    /// let response = try await HTTPClient.shared.executeRecorded(request, timeout: .seconds(60))
    /// ```
    ///
    /// A call the `WireRecorder` does not recognise is executed untouched. For a recognised one the request
    /// body is read once to record it and sent as the bytes read; the response body is handed on piece by
    /// piece, so a stream reaches the caller as it arrives while the span takes each piece. The span is a
    /// child of the calling task's current span and ends when the response body ends, fails, or is
    /// released unread. The recorded response's body does not carry trailers. Headers are never read into
    /// a span, so no API key reaches one.
    public func executeRecorded(
        _ request: HTTPClientRequest,
        deadline: NIODeadline,
        logger: Logger? = nil,
        recorder: WireRecorder = WireRecorder()
    ) async throws -> HTTPClientResponse {
        let method = request.method.rawValue
        guard let url = URL(string: request.url), recorder.recognizes(method: method, url: url) else {
            return try await execute(request, deadline: deadline, logger: logger)
        }
        var sent = request
        var bytes: Data?
        if let body = request.body {
            var collected = ByteBuffer()
            for try await piece in body {
                var piece = piece
                collected.writeBuffer(&piece)
            }
            bytes = Data(collected.readableBytesView)
            sent.body = .bytes(collected)
        }
        guard let exchange = recorder.start(method: method, url: url, body: bytes) else {
            return try await execute(sent, deadline: deadline, logger: logger)
        }
        var response: HTTPClientResponse
        do {
            response = try await execute(sent, deadline: deadline, logger: logger)
        } catch {
            exchange.fail(error)
            throw error
        }
        var headers: [String: String] = [:]
        for (name, value) in response.headers {
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        exchange.receiveResponse(status: Int(response.status.code), headers: headers)
        response.body = .stream(RecordedResponseBody(base: response.body, exchange: exchange))
        return response
    }

    /// Executes `request` as `execute(_:timeout:logger:)` does, recording it as
    /// ``executeRecorded(_:deadline:logger:recorder:)`` describes.
    public func executeRecorded(
        _ request: HTTPClientRequest,
        timeout: TimeAmount,
        logger: Logger? = nil,
        recorder: WireRecorder = WireRecorder()
    ) async throws -> HTTPClientResponse {
        try await executeRecorded(request, deadline: .now() + timeout, logger: logger, recorder: recorder)
    }
}
#endif
