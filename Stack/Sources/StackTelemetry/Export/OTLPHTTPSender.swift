import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// POSTs one OTLP protobuf body, retrying unreachable collectors, 408, 429 and 5xx gateway answers
/// with exponential backoff that honours `Retry-After`; other statuses fail at once with the
/// collector's message. Header values are sent, never logged or put into errors.
struct OTLPHTTPSender: Sendable {
    let configuration: OTLPHTTPConfiguration

    func send(_ body: [UInt8]) async throws {
        let endpoint = configuration.endpoint.absoluteString
        var backoff = configuration.initialBackoff
        var lastError = ""
        for attempt in 1...configuration.maxAttempts {
            try Task.checkCancellation()
            var request = HTTPClientRequest(url: endpoint)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-protobuf")
            request.headers.add(name: "User-Agent", value: "stack-telemetry/\(StackTelemetryVersion.current)")
            for header in configuration.headers {
                request.headers.add(name: header.name, value: header.value)
            }
            request.body = .bytes(ByteBuffer(bytes: body))
            var delay = backoff
            do {
                let response = try await exportHTTPClient.execute(request, timeout: .nanoseconds(configuration.requestTimeout.nanoseconds))
                let answer = try await response.body.collect(upTo: 64 * 1024)
                let status = Int(response.status.code)
                if (200..<300).contains(status) { return }
                let text = String(buffer: answer).prefix(300).trimmingCharacters(in: .whitespacesAndNewlines)
                guard [408, 429, 502, 503, 504].contains(status) else {
                    throw TelemetryError.exportRejected(status: status, endpoint: endpoint, body: String(text))
                }
                lastError = "HTTP \(status)"
                if let retryAfter = response.headers.first(name: "Retry-After").flatMap(Self.retryAfter) {
                    delay = retryAfter
                }
            } catch let error as TelemetryError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastError = String(describing: error)
            }
            if attempt < configuration.maxAttempts {
                try await Task.sleep(for: min(delay, configuration.maxBackoff))
                backoff = min(backoff * 2, configuration.maxBackoff)
            }
        }
        throw TelemetryError.exportFailed(endpoint: endpoint, attempts: configuration.maxAttempts, lastError: lastError)
    }

    /// `Retry-After` as delay-seconds or an HTTP date.
    static func retryAfter(_ value: String) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(max(0, Int(date.timeIntervalSinceNow * 1000)))
    }
}

/// One HTTP client for all exporters, with tracing switched off so exports never produce spans.
/// It is never shut down: it lives for the process, like `HTTPClient.shared`.
private let exportHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.tracing.tracer = nil
    configuration.timeout = .init(connect: .seconds(2))
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
