#if AsyncHTTPClient
import AsyncHTTPClient
import Foundation
import NIOCore
import OpenInference

/// A response body passed on piece by piece, each piece also given to the exchange recording the call.
/// AsyncHTTPClient's bodies are iterated once.
struct RecordedResponseBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let base: HTTPClientResponse.Body
    let exchange: WireExchange

    func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), exchange: exchange)
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: HTTPClientResponse.Body.AsyncIterator
        let exchange: WireExchange

        mutating func next() async throws -> ByteBuffer? {
            do {
                guard let piece = try await base.next() else {
                    exchange.finish()
                    return nil
                }
                exchange.receiveBody(Data(piece.readableBytesView))
                return piece
            } catch {
                exchange.fail(error)
                throw error
            }
        }
    }
}
#endif
