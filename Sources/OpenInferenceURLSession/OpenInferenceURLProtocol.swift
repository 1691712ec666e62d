import Foundation
import OpenInference
import Tracing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `URLProtocol` that records every call a `URLSession` makes to a known model API as an OpenInference
/// span, with `WireRecorder`: install it with
/// `URLSessionConfiguration.recordOpenInferenceSpans()`, and OpenAI, Anthropic and Gemini clients built on
/// that session are traced without a line of their own.
///
/// It takes only the calls `WireRecorder` recognises; every other request goes to the session's own
/// loading, untouched. A recognised call is performed by an inner `URLSession` (the default configuration,
/// without this protocol) with the same request, and its response, status, headers and each piece of the
/// body, is handed to the calling session as it arrives (a streamed answer is never held back), and to the
/// recorder. Cancelling the task cancels the call and ends its span with what arrived.
///
/// The span's parent comes from the request's headers (a `traceparent` an instrument injected), since a
/// `URLProtocol` runs outside the task that made the call; without one the span starts a trace.
///
/// ```swift
/// let configuration = URLSessionConfiguration.default
/// configuration.recordOpenInferenceSpans()
/// let session = URLSession(configuration: configuration)
/// let (data, _) = try await session.data(for: chatRequest)  // an LLM span, ended when the body has arrived
/// ```
public final class OpenInferenceURLProtocol: URLProtocol {
    /// The load in flight, set by ``startLoading()``.
    private var load: RecordedLoad?

    /// Whether this protocol takes `request`: a call a `WireRecorder` recognises.
    public override class func canInit(with request: URLRequest) -> Bool {
        guard let url = request.url, let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return false
        }
        return WireRecorder().recognizes(method: request.httpMethod ?? "GET", url: url)
    }

    /// The request itself: this protocol changes nothing about it.
    public override class func canonicalRequest(for request: URLRequest) -> URLRequest {
        request
    }

    /// Starts the span and the real call.
    public override func startLoading() {
        let load = RecordedLoad(protocol: self, request: request)
        self.load = load
        load.start()
    }

    /// Cancels the real call, when it is still running, and ends the span with what arrived.
    public override func stopLoading() {
        load?.stop()
    }
}
