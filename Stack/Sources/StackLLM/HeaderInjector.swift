import AsyncHTTPClient
import NIOHTTP1
import Tracing

/// Writes trace context into outgoing request headers.
struct HeaderInjector: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: key, value: value)
    }
}
