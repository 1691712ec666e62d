#if Telemetry
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import _OpenInferenceHTTP

/// POSTs one OTLP protobuf body with the project's ``HTTPRetryPolicy`` (unreachable collectors, 408,
/// 429 and 5xx are retried with exponential backoff that honours `Retry-After`); other statuses fail at
/// once with the collector's message. Header values are sent, never logged or put into errors.
struct OTLPHTTPSender: Sendable {
    let configuration: OTLPHTTPConfiguration

    func send(_ body: [UInt8]) async throws {
        let endpoint = configuration.endpoint.absoluteString
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-protobuf")
        request.headers.add(name: "User-Agent", value: "stack-telemetry/\(StackTelemetryVersion.current)")
        for header in configuration.headers {
            request.headers.add(name: header.name, value: header.value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let http = RetryingHTTPClient(
            client: configuration.httpClient ?? .sharedUntraced,
            policy: HTTPRetryPolicy(
                maxAttempts: configuration.maxAttempts,
                initialBackoff: configuration.initialBackoff,
                maxBackoff: configuration.maxBackoff
            )
        )
        let answer: RetryingHTTPClient.Answer
        do {
            answer = try await http.send(request, timeout: configuration.requestTimeout)
        } catch let failed as HTTPAttemptsFailed {
            throw TelemetryError.exportFailed(endpoint: endpoint, attempts: failed.attempts, lastError: String(describing: failed.lastError))
        }
        let text = try? await answer.response.body.collect(upTo: 64 * 1024)
        if (200..<300).contains(answer.status) { return }
        if HTTPRetryPolicy.retryableStatuses.contains(answer.status) {
            throw TelemetryError.exportFailed(
                endpoint: endpoint, attempts: answer.attempts, lastError: "HTTP \(answer.status)", status: answer.status)
        }
        let message = text.map { String(buffer: $0).prefix(300).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        throw TelemetryError.exportRejected(status: answer.status, endpoint: endpoint, body: message)
    }
}
#endif  // Telemetry
