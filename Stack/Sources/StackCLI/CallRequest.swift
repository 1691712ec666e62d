import ArgumentParser
import Foundation

/// What `stack call` sends: a POST of a JSON body to a URL, with the caller's headers.
struct CallRequest: Sendable {
    let url: URL
    let body: Data
    /// Header names and values, in the order given.
    let headers: [(name: String, value: String)]

    init(url text: String, bodyPath: String, headers: [String]) throws {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil
        else {
            throw ValidationError("'\(text)' is not an http(s) URL; give the full URL, e.g. http://127.0.0.1:8080/v1/chat/completions")
        }
        self.url = url
        if bodyPath == "-" {
            body = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let data = FileManager.default.contents(atPath: bodyPath) else {
                throw ValidationError("cannot read the body file '\(bodyPath)'; give a readable file of JSON, or '-' for standard input")
            }
            body = data
        }
        guard (try? JSONSerialization.jsonObject(with: body)) != nil else {
            throw ValidationError("the body in '\(bodyPath)' is not JSON; model APIs take a JSON request body")
        }
        // A header's text may be a key (`Authorization: Bearer …`): errors name its position, never quote it.
        self.headers = try headers.enumerated().map { position, header in
            guard let colon = header.firstIndex(of: ":") else {
                throw ValidationError("--header number \(position + 1) has no ':'; write it as 'Name: value'")
            }
            let name = header[..<colon].trimmingCharacters(in: .whitespaces)
            let value = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) }) else {
                throw ValidationError(
                    "--header number \(position + 1) does not start with a header name (letters, digits, '-', '_'); write it as 'Name: value'"
                )
            }
            return (name, value)
        }
    }

    /// The headers as sent: the caller's, with `Content-Type: application/json` unless given.
    var sentHeaders: [(name: String, value: String)] {
        headers.contains { $0.name.lowercased() == "content-type" } ? headers : headers + [("Content-Type", "application/json")]
    }
}
