/// Splits a `text/event-stream` body into the `data` payloads of its events.
///
/// Follows the HTML living standard's parsing rules as far as the OpenAI API uses them: lines end in
/// LF, CR or CRLF; `data:` lines accumulate (joined by LF) until a blank line dispatches the event;
/// comment lines (`:`) and other fields are ignored; bytes may arrive split anywhere, even inside a
/// UTF-8 sequence.
///
/// The ``WireRecorder`` reads streamed answers with it; it is SPI (`@_spi(Wire) import OpenInference`)
/// for the project's own client, not API an adopter should lean on.
@_spi(Wire)
public struct ServerSentEventParser: Sendable {
    private var buffer: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var lastWasCR = false

    /// A parser that has read nothing yet.
    public init() {}

    /// Feeds more bytes and returns the payloads of the events they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
        var events: [String] = []
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                lastWasCR = byte == UInt8(ascii: "\r")
                if let event = endLine() { events.append(event) }
            } else {
                buffer.append(byte)
            }
        }
        return events
    }

    /// Dispatches an event left without a final blank line (a stream cut short keeps what it had).
    public mutating func finish() -> String? {
        if !buffer.isEmpty { _ = endLine() }
        return dispatch()
    }

    private mutating func endLine() -> String? {
        defer { buffer.removeAll(keepingCapacity: true) }
        if buffer.isEmpty { return dispatch() }
        if buffer.first == UInt8(ascii: ":") { return nil }
        let field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = buffer.firstIndex(of: UInt8(ascii: ":")) {
            field = buffer[..<colon]
            value = buffer[(colon + 1)...]
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        } else {
            field = buffer[...]
            value = []
        }
        if field.elementsEqual("data".utf8) {
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        }
        return nil
    }

    private mutating func dispatch() -> String? {
        guard hasData else { return nil }
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
        }
        return String(decoding: data, as: UTF8.self)
    }
}
