import ArgumentParser
import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import OpenInferenceAsyncHTTPClient
import OpenInferenceOpenAPI
import OpenInferenceURLSession
import Tracing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The HTTP seams `stack call` can send through, each recorded as an application using it would be.
enum CallSeam: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// A `URLSession` whose configuration has `recordOpenInferenceSpans()` (product OpenInferenceURLSession).
    case urlsession
    /// A swift-openapi-runtime client with `OpenInferenceClientMiddleware` (product OpenInferenceOpenAPI).
    case openapi
    /// AsyncHTTPClient's `executeRecorded` (product OpenInferenceAsyncHTTPClient).
    case asynchttpclient

    /// Sends `call`, handing each piece of the answer to `output` as it arrives; returns the status code.
    func send(_ call: CallRequest, output: @escaping @Sendable (Data) -> Void) async throws -> Int {
        switch self {
        case .urlsession: try await Self.sendWithURLSession(call, output: output)
        case .openapi: try await Self.sendWithOpenAPI(call, output: output)
        case .asynchttpclient: try await Self.sendWithAsyncHTTPClient(call, output: output)
        }
    }

    private static let timeout: TimeAmount = .seconds(300)

    private static func sendWithAsyncHTTPClient(_ call: CallRequest, output: @Sendable (Data) -> Void) async throws -> Int {
        var request = HTTPClientRequest(url: call.url.absoluteString)
        request.method = .POST
        for (name, value) in call.sentHeaders { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: call.body))
        let response = try await HTTPClient.shared.executeRecorded(request, timeout: timeout)
        for try await piece in response.body { output(Data(piece.readableBytesView)) }
        return Int(response.status.code)
    }

    private static func sendWithOpenAPI(_ call: CallRequest, output: @Sendable (Data) -> Void) async throws -> Int {
        var components = URLComponents(url: call.url, resolvingAgainstBaseURL: false)
        let path = (components?.percentEncodedPath ?? call.url.path) + (components?.percentEncodedQuery.map { "?\($0)" } ?? "")
        components?.percentEncodedPath = ""
        components?.percentEncodedQuery = nil
        guard let baseURL = components?.url else { throw ValidationError("cannot split '\(call.url)' into a server URL and a path") }
        var fields = HTTPFields()
        for (name, value) in call.sentHeaders {
            guard let field = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: field, value: value))
        }
        let request = HTTPRequest(method: .post, scheme: nil, authority: nil, path: path, headerFields: fields)
        let transport = AsyncHTTPClientTransport(configuration: .init(client: .shared, timeout: timeout))
        // As a generated client runs it: the middleware, then the transport.
        let (response, body) = try await OpenInferenceClientMiddleware().intercept(
            request,
            body: HTTPBody(call.body),
            baseURL: baseURL,
            operationID: "call"
        ) { request, body, baseURL in
            try await transport.send(request, body: body, baseURL: baseURL, operationID: "call")
        }
        if let body {
            for try await piece in body { output(Data(piece)) }
        }
        return response.status.code
    }

    private static func sendWithURLSession(_ call: CallRequest, output: @escaping @Sendable (Data) -> Void) async throws -> Int {
        var request = URLRequest(url: call.url, timeoutInterval: 300)
        request.httpMethod = "POST"
        request.httpBody = call.body
        for (name, value) in call.sentHeaders { request.addValue(value, forHTTPHeaderField: name) }
        // A URLProtocol runs outside the calling task: the current span reaches it in the request's headers.
        var headers: [String: String] = [:]
        InstrumentationSystem.instrument.inject(ServiceContext.current ?? .topLevel, into: &headers, using: DictionaryInjector())
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.recordOpenInferenceSpans()
        let delegate = StreamingSessionDelegate(output: output)
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return try await delegate.run(session.dataTask(with: request))
    }
}

/// Injects trace context into a dictionary of headers.
private struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout [String: String]) {
        headers[key] = value
    }
}
