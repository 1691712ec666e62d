import AsyncHTTPClient
import BenchmarkWorkloads
import Foundation
import NIOCore
import OpenInference
import OpenInferenceAsyncHTTPClient
import StackTestSupport
import Tracing

// `WireRounds ROUNDS CALLS`: what the wire recorder costs a call, by time, from interleaved rounds. Each
// round makes CALLS loopback calls to an in-process model server through AsyncHTTPClient's `execute` and
// CALLS through `executeRecorded` (the OpenInferenceAsyncHTTPClient seam), in alternating order, both
// under the same tracer (our pipeline, draining into a discarding exporter), so the difference is the
// seam and the span it records. Two calls are measured:
// - a non-streamed chat completion whose answer is about 2 KB: mean time per call, plain and recorded;
// - a streamed chat completion: time from sending the request to the first chunk in the caller's hands;
// and, as the recorder's own share, the non-streamed exchange fed to the recorder directly, no HTTP.
// Prints the medians over the rounds of the paired differences, with their quartiles, for
// scripts/bench.sh; see docs/performance.md.

let arguments = CommandLine.arguments
guard arguments.count == 3, let rounds = Int(arguments[1]), let calls = Int(arguments[2]), rounds > 0, calls > 0 else {
    FileHandle.standardError.write(Data("usage: WireRounds ROUNDS CALLS\n".utf8))
    exit(64)
}

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

/// A chat completion answer of about 2 KB.
let answerText = String(repeating: "SQLite is an embedded database engine; Postgres is a server. ", count: 28)
let answer =
    #"{"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"bench","choices":[{"index":0,"message":{"role":"assistant","content":"\#(answerText)"},"finish_reason":"stop"}],"usage":{"prompt_tokens":24,"completion_tokens":420,"total_tokens":444}}"#
let chunks = (0..<16).map { index in
    #"{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"bench","choices":[{"index":0,"delta":{"content":"piece \#(index) "},"finish_reason":null}]}"#
}
let chatRequest =
    #"{"model":"bench","messages":[{"role":"system","content":"Answer briefly."},{"role":"user","content":"Compare SQLite and Postgres."}],"temperature":0}"#
let streamRequest = #"{"model":"bench","stream":true,"messages":[{"role":"user","content":"Count."}]}"#

func measure() async throws {
    let plainServer = ScriptedHTTPServer([.json(answer)], cycle: true, recordRequests: false)
    let streamServer = ScriptedHTTPServer([.events(chunks)], cycle: true, recordRequests: false)
    let plainRoot = try await plainServer.start()
    let streamRoot = try await streamServer.start()
    let pipeline = BatchPipeline()
    pipeline.start()
    let client = HTTPClient.shared
    let clock = ContinuousClock()

    func request(_ url: String, _ body: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        return request
    }

    func send(_ request: HTTPClientRequest, recorded: Bool) async throws -> HTTPClientResponse {
        recorded
            ? try await client.executeRecorded(request, timeout: .seconds(30))
            : try await client.execute(request, timeout: .seconds(30))
    }

    /// Mean microseconds of one whole non-streamed call, over `calls` calls.
    func wholeCalls(recorded: Bool) async throws -> Double {
        let call = request(plainRoot.absoluteString + "/chat/completions", chatRequest)
        let start = clock.now
        for _ in 0..<calls {
            let response = try await send(call, recorded: recorded)
            for try await _ in response.body {}
        }
        return microseconds(clock.now - start) / Double(calls)
    }

    /// Mean microseconds from sending a streamed call to its first chunk reaching the caller.
    func firstChunks(recorded: Bool) async throws -> Double {
        let call = request(streamRoot.absoluteString + "/chat/completions", streamRequest)
        var total = 0.0
        for _ in 0..<calls {
            let start = clock.now
            let response = try await send(call, recorded: recorded)
            var first: Duration?
            for try await _ in response.body where first == nil { first = clock.now - start }
            total += microseconds(first ?? .zero)
        }
        return total / Double(calls)
    }

    /// Mean microseconds of one exchange fed to the recorder directly, no HTTP: the recorder's own share.
    func recorderOnly() -> Double {
        let url = plainRoot.appendingPathComponent("chat/completions")
        let requestBody = Data(chatRequest.utf8)
        let answerBody = Data(answer.utf8)
        let recorder = WireRecorder()
        let start = clock.now
        for _ in 0..<calls {
            let exchange = recorder.start(method: "POST", url: url, body: requestBody)
            exchange?.receiveResponse(status: 200, headers: ["Content-Type": "application/json"])
            exchange?.receiveBody(answerBody)
            exchange?.finish()
        }
        return microseconds(clock.now - start) / Double(calls)
    }

    func paired(_ measure: (Bool) async throws -> Double, round: Int) async throws -> (plain: Double, recorded: Double) {
        if round.isMultiple(of: 2) {
            let recorded = try await measure(true)
            return (try await measure(false), recorded)
        }
        let plain = try await measure(false)
        return (plain, try await measure(true))
    }

    try await withTracer(pipeline.tracer) {
        _ = try await paired(wholeCalls, round: 0)  // warm-up: connections, caches, the pipeline's buffers
        _ = try await paired(firstChunks, round: 0)
        var plain: [Double] = []
        var recorded: [Double] = []
        var overheads: [Double] = []
        var delays: [Double] = []
        var recorderCosts: [Double] = []
        for round in 0..<rounds {
            let whole = try await paired(wholeCalls, round: round)
            plain.append(whole.plain)
            recorded.append(whole.recorded)
            overheads.append(whole.recorded - whole.plain)
            let first = try await paired(firstChunks, round: round)
            delays.append(first.recorded - first.plain)
            recorderCosts.append(recorderOnly())
        }
        let medianPlain = quantile(plain, 0.5)
        print("wire_rounds: \(rounds) x \(calls) calls each way, AsyncHTTPClient over loopback")
        print("wire_plain_us_per_call: \(String(format: "%.1f", medianPlain))")
        print("wire_recorded_us_per_call: \(String(format: "%.1f", quantile(recorded, 0.5)))")
        print("wire_overhead_us_per_call: \(String(format: "%.1f", quantile(overheads, 0.5)))")
        print("wire_overhead_us_per_call_p25: \(String(format: "%.1f", quantile(overheads, 0.25)))")
        print("wire_overhead_us_per_call_p75: \(String(format: "%.1f", quantile(overheads, 0.75)))")
        print("wire_overhead_pct: \(String(format: "%.2f", quantile(overheads, 0.5) / medianPlain * 100))")
        print("wire_recorder_us_per_exchange: \(String(format: "%.1f", quantile(recorderCosts, 0.5)))")
        print("wire_first_chunk_delay_us: \(String(format: "%.1f", quantile(delays, 0.5)))")
        print("wire_first_chunk_delay_us_p25: \(String(format: "%.1f", quantile(delays, 0.25)))")
        print("wire_first_chunk_delay_us_p75: \(String(format: "%.1f", quantile(delays, 0.75)))")
    }
    try await pipeline.stop()
    try await plainServer.stop()
    try await streamServer.stop()
}

let finished = DispatchSemaphore(value: 0)
Task.detached {
    do {
        try await measure()
    } catch {
        FileHandle.standardError.write(Data("WireRounds: \(error)\n".utf8))
        exit(1)
    }
    finished.signal()
}
finished.wait()
