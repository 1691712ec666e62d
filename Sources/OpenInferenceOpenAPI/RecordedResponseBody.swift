#if OpenAPI
import Foundation
import OpenAPIRuntime
import OpenInference
import Synchronization

/// A response body passed on piece by piece, each piece also given to the exchange recording the call.
///
/// Only the first iteration feeds the exchange: a body that can be iterated again is recorded once.
final class RecordedResponseBody: AsyncSequence, Sendable {
    typealias Element = HTTPBody.ByteChunk

    let base: HTTPBody
    let exchange: WireExchange
    private let iterated = Atomic<Bool>(false)

    init(base: HTTPBody, exchange: WireExchange) {
        self.base = base
        self.exchange = exchange
    }

    func makeAsyncIterator() -> Iterator {
        let first = !iterated.exchange(true, ordering: .relaxed)
        return Iterator(base: base.makeAsyncIterator(), exchange: first ? exchange : nil)
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: HTTPBody.AsyncIterator
        let exchange: WireExchange?

        mutating func next() async throws -> HTTPBody.ByteChunk? {
            do {
                guard let chunk = try await base.next() else {
                    exchange?.finish()
                    return nil
                }
                exchange?.receiveBody(Data(chunk))
                return chunk
            } catch {
                exchange?.fail(error)
                throw error
            }
        }
    }
}
#endif
