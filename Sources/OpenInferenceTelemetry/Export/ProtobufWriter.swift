#if Telemetry
/// Writes the protobuf wire format for the handful of field types OTLP uses.
///
/// Nested messages are written in place: one byte is reserved for the length, and the body is
/// shifted only when it turns out to be 128 bytes or longer. Most attribute messages are short,
/// so this avoids both a sizing pass and a copy per message.
struct ProtobufWriter {
    var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 0) {
        if capacity > 0 { bytes.reserveCapacity(capacity) }
    }

    /// The number of bytes written.
    var count: Int { bytes.count }

    /// The number of bytes `value` takes as a varint.
    static func varintSize(_ value: UInt64) -> Int {
        // 1 byte per started group of 7 bits; 0 takes one byte.
        (64 - (value | 1).leadingZeroBitCount + 6) / 7
    }

    /// Appends bytes that are already encoded fields of the message being written.
    mutating func append(encoded: [UInt8]) {
        bytes.append(contentsOf: encoded)
    }

    /// A `KeyValue` with a string `AnyValue` as field `field`, written with its lengths known up front (no
    /// shifting, no scratch buffer): the common attribute. `value` is cut to `valueLengthLimit` UTF-8 bytes at a
    /// character boundary. Four appends: the two headers (built on the stack), the key and the value.
    mutating func stringKeyValue(_ field: UInt32, key: String, value: String, valueLengthLimit: Int) {
        Self.withUTF8(of: key) { keyBytes in
            Self.withUTF8(of: value) { valueBytes in
                var valueCount = valueBytes.count
                if valueCount > valueLengthLimit {
                    valueCount = valueLengthLimit
                    while valueCount > 0, UTF8.isContinuation(valueBytes[valueCount]) { valueCount -= 1 }
                }
                let anyValueSize = 1 + Self.varintSize(UInt64(valueCount)) + valueCount  // AnyValue.string_value = 1
                let keyValueSize =
                    1 + Self.varintSize(UInt64(keyBytes.count)) + keyBytes.count  // KeyValue.key = 1
                    + 1 + Self.varintSize(UInt64(anyValueSize)) + anyValueSize  // KeyValue.value = 2
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { header in
                    var end = Self.put(field << 3 | 2, keyValueSize, 0x0A, keyBytes.count, into: header)
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: header[..<end]))
                    bytes.append(contentsOf: keyBytes)
                    end = Self.put(0x12, anyValueSize, 0x0A, valueCount, into: header)
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: header[..<end]))
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: valueBytes[..<valueCount]))
            }
        }
    }

    /// Writes `tag`, `length`, `innerTag` and `innerLength` as varints at the start of `buffer`; returns the end.
    private static func put(
        _ tag: UInt32, _ length: Int, _ innerTag: UInt8, _ innerLength: Int, into buffer: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        var index = 0
        putVarint(UInt64(tag), into: buffer, at: &index)
        putVarint(UInt64(length), into: buffer, at: &index)
        buffer[index] = innerTag
        index += 1
        putVarint(UInt64(innerLength), into: buffer, at: &index)
        return index
    }

    /// Writes `value` as a varint over the bytes of `buffer` from `index`, which it moves past them.
    private static func putVarint(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at index: inout Int) {
        var value = value
        while value >= 0x80 {
            buffer[index] = UInt8(truncatingIfNeeded: value) | 0x80
            value >>= 7
            index += 1
        }
        buffer[index] = UInt8(value)
        index += 1
    }

    /// Runs `body` on the UTF-8 bytes of `string` in place (native strings), or of a contiguous copy.
    private static func withUTF8<R>(of string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = string
        return copy.withUTF8(body)
    }

    private enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    private mutating func tag(_ field: UInt32, _ type: WireType) {
        varint(UInt64(field) << 3 | UInt64(type.rawValue))
    }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func uint64(_ field: UInt32, _ value: UInt64) {
        tag(field, .varint)
        varint(value)
    }

    mutating func int64(_ field: UInt32, _ value: Int64) {
        uint64(field, UInt64(bitPattern: value))
    }

    mutating func bool(_ field: UInt32, _ value: Bool) {
        uint64(field, value ? 1 : 0)
    }

    mutating func fixed64(_ field: UInt32, _ value: UInt64) {
        tag(field, .fixed64)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func fixed32(_ field: UInt32, _ value: UInt32) {
        tag(field, .fixed32)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func double(_ field: UInt32, _ value: Double) {
        fixed64(field, value.bitPattern)
    }

    mutating func string(_ field: UInt32, _ value: String) {
        tag(field, .lengthDelimited)
        var value = value
        value.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func bytes(_ field: UInt32, _ value: some Collection<UInt8>) {
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A packed `repeated fixed64` field.
    mutating func packedFixed64(_ field: UInt32, _ values: [UInt64]) {
        tag(field, .lengthDelimited)
        varint(UInt64(values.count * 8))
        for value in values { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    }

    /// A packed `repeated double` field.
    mutating func packedDouble(_ field: UInt32, _ values: [Double]) {
        packedFixed64(field, values.map(\.bitPattern))
    }

    /// Writes a length-delimited sub-message whose body `write` produces.
    mutating func message(_ field: UInt32, _ write: (inout ProtobufWriter) -> Void) {
        tag(field, .lengthDelimited)
        let lengthAt = bytes.count
        bytes.append(0)
        let bodyStart = bytes.count
        write(&self)
        let length = bytes.count - bodyStart
        if length < 0x80 {
            bytes[lengthAt] = UInt8(length)
            return
        }
        // Make room for the longer length in place, then write it over the reserved bytes.
        let lengthSize = Self.varintSize(UInt64(length))
        bytes.insert(contentsOf: repeatElement(0, count: lengthSize - 1), at: bodyStart)
        bytes.withUnsafeMutableBufferPointer { buffer in
            var index = lengthAt
            Self.putVarint(UInt64(length), into: buffer, at: &index)
        }
    }
}
#endif  // Telemetry
