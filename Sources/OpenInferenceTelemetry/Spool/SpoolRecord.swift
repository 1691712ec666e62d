#if Telemetry
/// One spooled OTLP request on disk: a 20-byte header (magic `STKSPL01`, span count, payload length and
/// CRC-32 of the payload, little-endian) followed by the payload exactly as the exporter POSTs it.
///
/// The header lets a restarted process size its spool without reading payloads, and the length and
/// checksum let it tell a truncated or damaged file from a good one.
struct SpoolRecord: Sendable, Equatable {
    static let magic: [UInt8] = Array("STKSPL01".utf8)
    static let headerSize = 20

    var spanCount: Int
    var payload: [UInt8]

    /// Why bytes on disk are not a record.
    enum Damage: Error, Equatable, CustomStringConvertible {
        case tooShort(Int)
        case badMagic
        case lengthMismatch(expected: Int, actual: Int)
        case checksumMismatch

        var description: String {
            switch self {
            case .tooShort(let count): "it has \(count) bytes, fewer than the \(SpoolRecord.headerSize)-byte header"
            case .badMagic: "it does not start with the spool header"
            case .lengthMismatch(let expected, let actual): "its header promises \(expected) payload bytes but it holds \(actual) (truncated?)"
            case .checksumMismatch: "its payload does not match the header's checksum"
            }
        }
    }

    /// The header fields of a record file, read without its payload.
    struct Header: Equatable {
        var spanCount: Int
        var payloadLength: Int
        var checksum: UInt32
    }

    /// Header and payload, ready to write.
    func encoded() -> [UInt8] {
        var bytes = Self.magic
        bytes.reserveCapacity(Self.headerSize + payload.count)
        Self.append(UInt32(clamping: spanCount), to: &bytes)
        Self.append(UInt32(clamping: payload.count), to: &bytes)
        Self.append(CRC32.checksum(payload), to: &bytes)
        bytes.append(contentsOf: payload)
        return bytes
    }

    /// Reads the header at the start of `bytes`.
    static func header(_ bytes: some Collection<UInt8>) throws(Damage) -> Header {
        guard bytes.count >= headerSize else { throw .tooShort(bytes.count) }
        let head = Array(bytes.prefix(headerSize))
        guard Array(head[0..<8]) == magic else { throw .badMagic }
        return Header(
            spanCount: Int(readUInt32(head, at: 8)),
            payloadLength: Int(readUInt32(head, at: 12)),
            checksum: readUInt32(head, at: 16)
        )
    }

    /// Decodes a whole record file, checking its length and checksum.
    static func decode(_ bytes: [UInt8]) throws(Damage) -> SpoolRecord {
        let header = try header(bytes)
        let actual = bytes.count - headerSize
        guard actual == header.payloadLength else { throw .lengthMismatch(expected: header.payloadLength, actual: actual) }
        let payload = Array(bytes[headerSize...])
        guard CRC32.checksum(payload) == header.checksum else { throw .checksumMismatch }
        return SpoolRecord(spanCount: header.spanCount, payload: payload)
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { value, index in value | UInt32(bytes[offset + index]) << UInt32(8 * index) }
    }
}
#endif  // Telemetry
