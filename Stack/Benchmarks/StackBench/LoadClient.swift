import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// Drives `POST /v1/agent/runs` of a running `stack serve` with `concurrency` clients for `seconds`
/// and prints what it saw: `load_requests`, `load_errors` (non-2xx or failed), `load_rps` and
/// latency percentiles. Used by `scripts/soak.sh`.
///
/// With `requestsPerSecond` the clients pace themselves to that total rate (a load the collector can
/// absorb); without it each sends its next request as soon as the last is answered. With
/// `traceIDsPath`, the `X-Trace-Id` of every 2xx answer is written to that file, one a line with the
/// Unix time of the answer in milliseconds after a space (`scripts/check-outage.sh` looks each up in Phoenix).
func runLoad(
    baseURL: String,
    seconds: Int,
    concurrency: Int,
    apiKey: String,
    requestsPerSecond: Double? = nil,
    traceIDsPath: String? = nil
) async throws {
    let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
    let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
    let started = ContinuousClock.now
    let results = try await withThrowingTaskGroup(of: (ok: Int, failed: Int, latencies: [Double], traceIDs: [String]).self) { group in
        for worker in 0..<max(1, concurrency) {
            group.addTask {
                var ok = 0
                var failed = 0
                var latencies: [Double] = []
                var traceIDs: [String] = []
                var iteration = 0
                let interval = requestsPerSecond.map { Duration.seconds(Double(max(1, concurrency)) / max($0, 0.001)) }
                var next = ContinuousClock.now
                while ContinuousClock.now < deadline {
                    if let interval {
                        next = next.advanced(by: interval)
                        if next > ContinuousClock.now { try await Task.sleep(until: next) }
                    }
                    iteration += 1
                    var request = HTTPClientRequest(url: baseURL + "/v1/agent/runs")
                    request.method = .POST
                    request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.headers.add(name: "X-Session-Id", value: "soak-\(worker)")
                    request.body = .bytes(ByteBuffer(string: #"{"goal":"Soak request \#(iteration) from client \#(worker)."}"#))
                    let sent = ContinuousClock.now
                    do {
                        let response = try await client.execute(request, timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        if (200..<300).contains(response.status.code) {
                            ok += 1
                            if traceIDsPath != nil, let traceID = response.headers.first(name: "X-Trace-Id") {
                                traceIDs.append("\(traceID) \(Int(Date().timeIntervalSince1970 * 1000))")
                            }
                        } else {
                            failed += 1
                        }
                    } catch {
                        failed += 1
                    }
                    let elapsed = ContinuousClock.now - sent
                    latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                }
                return (ok, failed, latencies, traceIDs)
            }
        }
        var total = (ok: 0, failed: 0, latencies: [Double](), traceIDs: [String]())
        for try await result in group {
            total.ok += result.ok
            total.failed += result.failed
            total.latencies += result.latencies
            total.traceIDs += result.traceIDs
        }
        return total
    }
    try await client.shutdown()
    if let traceIDsPath {
        let lines = results.traceIDs.map { $0 + "\n" }.joined()
        try Data(lines.utf8).write(to: URL(fileURLWithPath: traceIDsPath))
    }
    let elapsed = ContinuousClock.now - started
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let sorted = results.latencies.sorted()
    func percentile(_ p: Double) -> String {
        guard !sorted.isEmpty else { return "0" }
        return String(format: "%.1f", sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))])
    }
    print("load_requests: \(results.ok + results.failed)")
    print("load_errors: \(results.failed)")
    print("load_rps: \(String(format: "%.0f", Double(results.ok + results.failed) / wall))")
    print("load_latency_ms_p50: \(percentile(0.5))")
    print("load_latency_ms_p99: \(percentile(0.99))")
}
