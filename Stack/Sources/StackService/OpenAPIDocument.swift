import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The OpenAPI 3.1 document of `stack serve`, served at `GET /openapi.json`: every route, status,
/// header, error shape and security scheme. Shipped as a SwiftPM resource of StackService
/// (`Stack_StackService.resources/openapi/openapi.json`, beside the `stack` binary, like the chat page).
///
/// `OpenAPIDocumentTests` checks it against the router, so a route added without documenting it fails
/// the tests.
public struct OpenAPIDocument: Sendable, Hashable {
    /// The document's JSON text, as served.
    public var text: String

    /// A document with this JSON text.
    public init(text: String) {
        self.text = text
    }

    /// The path the document is served at.
    public static let path = "/openapi.json"

    /// The document from the resource bundle beside the running binary, or `nil` when the bundle is not
    /// there (a binary copied without it). Looked up as ``PageAssets/bundled()`` looks up the page.
    public static func bundled() -> OpenAPIDocument? {
        var folders: [URL] = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { folders.append(executable.resolvingSymlinksInPath().deletingLastPathComponent()) }
        for folder in folders {
            let file = folder.appendingPathComponent(PageAssets.bundleName).appendingPathComponent("openapi").appendingPathComponent("openapi.json")
            if let text = try? String(contentsOf: file, encoding: .utf8) { return OpenAPIDocument(text: text) }
        }
        return nil
    }

    /// The `GET /openapi.json` answer: the document, or a 503 that says what is missing.
    static func response(_ document: OpenAPIDocument?) throws(APIError) -> Response {
        guard let document else {
            throw APIError(
                .serviceUnavailable, type: "unavailable",
                message: "the OpenAPI document is missing: copy the \(PageAssets.bundleName) folder beside the stack binary"
            )
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: document.text))
        )
    }
}
