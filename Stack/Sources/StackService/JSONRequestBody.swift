import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// Reads at most the context's `maxUploadSize` bytes of body (or `fixedLimit`, a route's own bound
    /// that no setting raises) and decodes it as JSON.
    ///
    /// - Throws: ``APIError`` 413 naming the limit (and `STACK_MAX_BODY_BYTES` unless the limit is
    ///   fixed) when the body is larger, 400 naming the field that is missing or has the wrong type, or
    ///   saying the body is not JSON at all.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: some RequestContext, fixedLimit: Int? = nil) async throws(APIError) -> T {
        let buffer: ByteBuffer
        if let fixedLimit, fixedLimit < context.maxUploadSize {
            buffer = try await collectBody(limit: fixedLimit, setting: nil)
        } else {
            buffer = try await collectBody(limit: context.maxUploadSize)
        }
        guard buffer.readableBytes > 0 else { throw .badRequest("the request body is empty; send a JSON object") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw .badRequest(Self.explain(error))
        } catch {
            throw .badRequest("the request body could not be read as JSON: \(error)")
        }
    }

    /// Reads at most `limit` bytes of body; a larger one is refused before it is buffered when it
    /// announces its length. The 413 names `setting` as the way to raise the limit, when there is one.
    func collectBody(limit: Int, setting: String? = "STACK_MAX_BODY_BYTES") async throws(APIError) -> ByteBuffer {
        if let declared = headers[.contentLength].flatMap({ Int($0) }), declared > limit { throw .tooLarge(limit: limit, setting: setting) }
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw .tooLarge(limit: limit, setting: setting)
        } catch {
            throw .badRequest("the request body could not be read: \(error)")
        }
    }

    static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context, _ last: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (last.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\(path(context, key))'"
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return "the request body should be a JSON object"
        case .typeMismatch(let type, let context):
            return "field '\(path(context))' should be \(describe(type))"
        case .valueNotFound(let type, let context):
            return "field '\(path(context))' is null; it should be \(describe(type))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the request body is not valid JSON" }
            return "field '\(path(context))' is invalid: \(context.debugDescription)"
        @unknown default:
            return "the request body does not have the expected shape"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a \(name)"
        }
    }
}
