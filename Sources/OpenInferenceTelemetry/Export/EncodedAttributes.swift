#if Telemetry
import Tracing

/// Attributes kept as the OTLP protobuf they are exported as: a run of `KeyValue` messages, each written
/// as field 9 of `Span` (`repeated KeyValue attributes = 9`), in the order they were recorded, each key
/// once.
///
/// ``StackSpan`` writes into one while it records, so a finished span holds one buffer instead of a
/// dictionary of strings, and the exporter copies it into the request as it is. Reading it back as
/// `SpanAttributes` (tests, `Span.attributes`) decodes it.
struct EncodedAttributes: Sendable {
    /// The encoded entries.
    var writer = ProtobufWriter()
    /// Which key hashes have been seen, to find a repeated key without comparing every earlier one.
    private var seenKeys = KeyFilter()
    /// The exact key hashes, once a span has more keys than ``KeyFilter`` tells apart well.
    private var manyKeys: Set<UInt64>?
    /// How many keys ``seenKeys`` holds.
    private var keyCount = 0
    /// Past this many keys the filter's bits are mostly set, and the exact set takes over.
    private static let filterCapacity = 96

    /// The encoded bytes.
    var bytes: [UInt8] { writer.bytes }

    /// Whether nothing is recorded.
    var isEmpty: Bool { writer.bytes.isEmpty }

    /// Moves the whole buffer into `borrower` (which must be empty), for a writer to append to while the
    /// span's lock is not held. Moved, so the writer's appends never copy it.
    mutating func lend(into borrower: inout ProtobufWriter) {
        swap(&borrower, &writer)
    }

    /// Takes back a buffer handed out by ``lend(into:)``, leaving `returned` empty: entries from `start` on are
    /// new. Entries appended here in the meantime are kept after them.
    mutating func takeBack(_ returned: inout ProtobufWriter, newFrom start: Int) {
        swap(&writer, &returned)
        if !returned.bytes.isEmpty { writer.append(encoded: returned.bytes) }
        returned = ProtobufWriter()
        removeRepeatedKeys(from: start)
    }

    /// Appends entries written elsewhere.
    mutating func append(_ other: ProtobufWriter) {
        let start = writer.count
        writer.append(encoded: other.bytes)
        removeRepeatedKeys(from: start)
    }

    /// Replaces everything with `attributes`.
    mutating func replace(with attributes: SpanAttributes, valueLengthLimit: Int) {
        var sink = OTLPAttributeSink(writer: ProtobufWriter(), valueLengthLimit: valueLengthLimit)
        attributes.forEach { key, value in sink.append(key, value) }
        writer = sink.writer
        seenKeys = KeyFilter()
        manyKeys = nil
        keyCount = 0
        removeRepeatedKeys(from: 0)
    }

    /// Gives up the bytes, leaving this empty; the buffer is copied to its size first when most of its
    /// capacity is unused, so a queued span holds what it recorded and little more.
    mutating func takeBytes() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &writer.bytes)
        if taken.capacity > 2 * taken.count + 512 { taken = Array(taken) }
        return taken
    }

    /// Drops, for each entry from `start` on, an earlier entry with the same key, so the last value wins.
    private mutating func removeRepeatedKeys(from start: Int) {
        var offset = start
        while let entry = Self.entry(in: writer.bytes, at: offset) {
            let hash = Self.keyHash(writer.bytes, entry.key)
            let maySeen = manyKeys.map { $0.contains(hash) } ?? seenKeys.mayContain(hash)
            if maySeen, let earlier = earlierEntry(withKeyAt: entry.key, before: entry.range.lowerBound) {
                writer.bytes.removeSubrange(earlier)
                offset = entry.range.upperBound - earlier.count
            } else {
                offset = entry.range.upperBound
                keyCount += 1
            }
            if manyKeys != nil {
                manyKeys?.insert(hash)
            } else {
                seenKeys.insert(hash)
                if keyCount > Self.filterCapacity { manyKeys = allKeyHashes(before: offset) }
            }
        }
    }

    private func allKeyHashes(before end: Int) -> Set<UInt64> {
        var hashes = Set<UInt64>(minimumCapacity: 2 * keyCount)
        var offset = 0
        while offset < end, let entry = Self.entry(in: writer.bytes, at: offset) {
            hashes.insert(Self.keyHash(writer.bytes, entry.key))
            offset = entry.range.upperBound
        }
        return hashes
    }

    private func earlierEntry(withKeyAt key: Range<Int>, before end: Int) -> Range<Int>? {
        var offset = 0
        while offset < end, let entry = Self.entry(in: writer.bytes, at: offset) {
            if entry.key.count == key.count, writer.bytes[entry.key].elementsEqual(writer.bytes[key]) {
                return entry.range
            }
            offset = entry.range.upperBound
        }
        return nil
    }

    /// One `KeyValue` entry starting at `offset`: its whole range and the range of its key's bytes.
    static func entry(in bytes: [UInt8], at offset: Int) -> (range: Range<Int>, key: Range<Int>)? {
        guard offset < bytes.count else { return nil }
        var reader = ProtobufScanner(bytes, at: offset)
        guard reader.readByte() == 0x4A, let length = reader.readVarint() else { return nil }
        let bodyStart = reader.offset
        let end = bodyStart + Int(length)
        guard end <= bytes.count, reader.readByte() == 0x0A, let keyLength = reader.readVarint() else { return nil }
        let keyStart = reader.offset
        let keyEnd = keyStart + Int(keyLength)
        guard keyEnd <= end else { return nil }
        return (offset..<end, keyStart..<keyEnd)
    }

    /// A 64-bit hash of a key's bytes: a multiply-xor over 8-byte words, enough to tell keys apart for
    /// ``KeyFilter`` (a collision only costs a comparison).
    static func keyHash(_ bytes: [UInt8], _ key: Range<Int>) -> UInt64 {
        bytes.withUnsafeBytes { raw in
            var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
            var index = key.lowerBound
            while index + 8 <= key.upperBound {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                hash ^= hash >> 31
                index += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < key.upperBound {
                tail |= UInt64(raw[index]) << shift
                shift += 8
                index += 1
            }
            hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
            return hash ^ (hash >> 29)
        }
    }

    /// The attributes decoded, for readers that want a dictionary.
    var attributes: SpanAttributes {
        var attributes = SpanAttributes()
        var offset = 0
        while let entry = Self.entry(in: writer.bytes, at: offset) {
            let key = String(decoding: writer.bytes[entry.key], as: UTF8.self)
            if let value = Self.value(in: writer.bytes, entry: entry) { attributes.set(key, value: value) }
            offset = entry.range.upperBound
        }
        return attributes
    }

    /// The `AnyValue` of an entry as a `SpanAttribute`.
    private static func value(in bytes: [UInt8], entry: (range: Range<Int>, key: Range<Int>)) -> SpanAttribute? {
        var reader = ProtobufScanner(bytes, at: entry.key.upperBound, end: entry.range.upperBound)
        guard reader.readByte() == 0x12, reader.readVarint() != nil else { return nil }
        return anyValue(&reader)
    }

    private static func anyValue(_ reader: inout ProtobufScanner) -> SpanAttribute? {
        guard let tag = reader.readVarint() else { return nil }
        switch tag {
        case 0x0A: return reader.readString().map(SpanAttribute.string)
        case 0x10: return reader.readVarint().map { .bool($0 != 0) }
        case 0x18: return reader.readVarint().map { .int64(Int64(bitPattern: $0)) }
        case 0x21: return reader.readFixed64().map { .double(Double(bitPattern: $0)) }
        case 0x2A:
            guard let length = reader.readVarint() else { return nil }
            let arrayEnd = reader.offset + Int(length)
            var values: [SpanAttribute] = []
            while reader.offset < arrayEnd {
                guard reader.readByte() == 0x0A, reader.readVarint() != nil, let element = anyValue(&reader) else { return nil }
                values.append(element)
            }
            return array(values)
        default:
            return nil
        }
    }

    /// An `ArrayValue` back as the typed array it was written from.
    private static func array(_ values: [SpanAttribute]) -> SpanAttribute {
        switch values.first {
        case .bool?: .boolArray(values.compactMap { if case .bool(let value) = $0 { value } else { nil } })
        case .int64?: .int64Array(values.compactMap { if case .int64(let value) = $0 { value } else { nil } })
        case .double?: .doubleArray(values.compactMap { if case .double(let value) = $0 { value } else { nil } })
        default: .stringArray(values.compactMap { if case .string(let value) = $0 { value } else { nil } })
        }
    }
}

/// A set of key hashes with false positives and no false negatives: 1 024 bits, one per hash. A span's few
/// dozen keys set a few percent of them, so a new key is rarely mistaken for a seen one.
struct KeyFilter: Sendable {
    private var bits = SIMD16<UInt64>(repeating: 0)

    func mayContain(_ hash: UInt64) -> Bool {
        bits[Int(hash >> 6 & 15)] & (1 << (hash & 63)) != 0
    }

    mutating func insert(_ hash: UInt64) {
        bits[Int(hash >> 6 & 15)] |= 1 << (hash & 63)
    }
}

/// Reads the protobuf wire format back, for ``EncodedAttributes``.
struct ProtobufScanner {
    private let bytes: [UInt8]
    private(set) var offset: Int
    private let end: Int

    init(_ bytes: [UInt8], at offset: Int, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = end ?? bytes.count
    }

    mutating func readByte() -> UInt8? {
        guard offset < end else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readVarint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while let byte = readByte() {
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
            if shift > 63 { return nil }
        }
        return nil
    }

    mutating func readFixed64() -> UInt64? {
        guard offset + 8 <= end else { return nil }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += 8
        return value
    }

    mutating func readString() -> String? {
        guard let length = readVarint(), offset + Int(length) <= end else { return nil }
        defer { offset += Int(length) }
        return String(decoding: bytes[offset..<offset + Int(length)], as: UTF8.self)
    }
}
#endif  // Telemetry
