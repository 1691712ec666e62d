import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for the URLSession tests: one thread per connection, one request per
/// connection, the response scripted by the test (status, headers, a body sent in chunks with
/// `Transfer-Encoding: chunked`, optionally waiting for the test between chunks).
final class LoopbackHTTPServer: @unchecked Sendable {
    /// What the server received.
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data
    }

    /// What the server sends back.
    struct Response: Sendable {
        var status = 200
        var contentType = "application/json"
        var chunks: [String]
        /// Before sending chunk `index`, wait until the test signals `gate` (for streaming and cancellation).
        var waitBeforeChunk: Int?
    }

    let port: UInt16
    /// Signalled by the test to let a waiting response go on.
    let gate = DispatchSemaphore(value: 0)
    private let socket: Int32
    private let received = Mutex<[Request]>([])
    private let respond: @Sendable (Request) -> Response

    init(_ respond: @escaping @Sendable (Request) -> Response) throws {
        self.respond = respond
        // A client that hangs up mid-response (a cancelled task) must not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        #if canImport(Glibc)
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        self.socket = socket
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socket, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// The base URL of the server.
    var url: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far.
    var requests: [Request] { received.withLock { $0 } }

    /// Stops accepting and closes the listening socket, on return (so a connection to the port is then
    /// refused). The accept thread closes it: closed from here, its number could be reused by the next
    /// test's server while that thread still waits on it.
    func stop() {
        guard
            stopping.withLock({ stopping in
                defer { stopping = true }
                return !stopping
            })
        else { return }
        stopped.wait()
    }

    private let stopping = Mutex(false)
    private let stopped = DispatchSemaphore(value: 0)

    private func acceptLoop() {
        while !stopping.withLock({ $0 }) {
            var ready = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 20) > 0 else { continue }
            let connection = accept(socket, nil, nil)
            guard connection >= 0 else { continue }
            Thread { [self] in serve(connection) }.start()
        }
        close(socket)
        stopped.signal()
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var bytes = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else { return }
            bytes.append(buffer, count: count)
            headerEnd = bytes.range(of: Data("\r\n\r\n".utf8))
        }
        let head = String(decoding: bytes[..<headerEnd!.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = bytes[headerEnd!.upperBound...]
        while body.count < length {
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else { break }
            body.append(contentsOf: buffer[..<count])
        }
        let request = Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: Data(body))
        received.withLock { $0.append(request) }
        let response = respond(request)
        send(
            connection,
            "HTTP/1.1 \(response.status) Scripted\r\nContent-Type: \(response.contentType)\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        )
        for (index, chunk) in response.chunks.enumerated() {
            if index == response.waitBeforeChunk, gate.wait(timeout: .now() + 10) == .timedOut { return }
            let data = Array(chunk.utf8)
            send(connection, String(data.count, radix: 16) + "\r\n" + chunk + "\r\n")
        }
        send(connection, "0\r\n\r\n")
    }

    private func send(_ connection: Int32, _ text: String) {
        let data = Array(text.utf8)
        var offset = 0
        while offset < data.count {
            let sent = data[offset...].withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            guard sent > 0 else { return }
            offset += sent
        }
    }
}
