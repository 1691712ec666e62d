import Logging
import PhoenixClient
import Synchronization
import Testing

@Suite("Prompt source: cache, time to live and fallback")
struct PromptSourceTests {
    /// A fetch whose answers the test scripts, and a clock the test moves.
    final class Script: Sendable {
        let answers = Mutex<[Result<PhoenixPrompt, PhoenixClientError>]>([])
        let calls = Mutex(0)
        let now = Mutex(ContinuousClock.now)

        func source(timeToLive: Duration = .seconds(60)) -> PromptSource {
            PromptSource(
                reference: PromptReference(name: "agent", tag: "production"),
                timeToLive: timeToLive,
                logger: Logger(label: "test"),
                now: { self.now.withLock { $0 } }
            ) { _ async throws(PhoenixClientError) in
                self.calls.withLock { $0 += 1 }
                let next = self.answers.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                guard let next else { throw .unreachable(baseURL: "http://phoenix", reason: "no scripted answer") }
                return try next.get()
            }
        }

        func advance(_ duration: Duration) { now.withLock { $0 = $0.advanced(by: duration) } }
    }

    static func version(_ id: String) -> PhoenixPrompt {
        PhoenixPrompt(name: "agent", versionID: id, template: "prompt \(id)", format: .none, modelName: "m")
    }

    static let down = PhoenixClientError.unreachable(baseURL: "http://phoenix", reason: "connection refused")

    @Test("A fetched prompt is reused until its time to live passes, then fetched again")
    func cachesForTimeToLive() async {
        let script = Script()
        script.answers.withLock { $0 = [.success(Self.version("v1")), .success(Self.version("v2"))] }
        let source = script.source()
        #expect(await source.current()?.versionID == "v1")
        script.advance(.seconds(59))
        #expect(await source.current()?.versionID == "v1")
        #expect(script.calls.withLock { $0 } == 1)
        script.advance(.seconds(2))
        #expect(await source.current()?.versionID == "v2")
        #expect(script.calls.withLock { $0 } == 2)
    }

    @Test("When Phoenix is down the last good copy stays in use, and it is asked again only after the time to live")
    func fallsBackToLastGoodCopy() async {
        let script = Script()
        script.answers.withLock { $0 = [.success(Self.version("v1")), .failure(Self.down), .success(Self.version("v3"))] }
        let source = script.source()
        #expect(await source.current()?.versionID == "v1")
        script.advance(.seconds(61))
        #expect(await source.current()?.versionID == "v1")
        #expect(await source.current()?.versionID == "v1")
        #expect(script.calls.withLock { $0 } == 2)
        script.advance(.seconds(61))
        #expect(await source.current()?.versionID == "v3")
    }

    @Test("Before any fetch succeeded there is no prompt, so the caller keeps its built-in one")
    func nothingBeforeFirstSuccess() async {
        let script = Script()
        script.answers.withLock { $0 = [.failure(.httpStatus(404, path: "/v1/prompts/agent/tags/production", body: "Not Found"))] }
        let source = script.source()
        #expect(await source.current() == nil)
        script.advance(.seconds(61))
        script.answers.withLock { $0 = [.success(Self.version("v1"))] }
        #expect(await source.current()?.versionID == "v1")
    }

    @Test("Concurrent callers after expiry share one fetch")
    func concurrentCallersShareFetch() async {
        let script = Script()
        script.answers.withLock { $0 = [.success(Self.version("v1"))] }
        let source = script.source()
        await withTaskGroup(of: String?.self) { group in
            for _ in 0..<20 { group.addTask { await source.current()?.versionID } }
            for await version in group { #expect(version == "v1") }
        }
        #expect(script.calls.withLock { $0 } == 1)
    }
}
