/// A minimal protobuf wire-format reader, written independently of the encoder under test,
/// so the encoder's output is checked by parsing rather than by comparing with itself.
struct ProtobufReader {
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes([UInt8])
        case fixed32(UInt32)
    }

    struct MalformedMessage: Error {}

    /// Every (field number, value) pair of one message, in order.
    static func fields(_ data: [UInt8]) throws -> [(UInt32, Value)] {
        var index = 0
        var result: [(UInt32, Value)] = []
        func readVarint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < data.count, shift < 64 else { throw MalformedMessage() }
                let byte = data[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
        }
        func readFixed(_ count: Int) throws -> UInt64 {
            guard index + count <= data.count else { throw MalformedMessage() }
            var value: UInt64 = 0
            for offset in 0..<count { value |= UInt64(data[index + offset]) << (8 * UInt64(offset)) }
            index += count
            return value
        }
        while index < data.count {
            let key = try readVarint()
            let field = UInt32(key >> 3)
            switch key & 7 {
            case 0: result.append((field, .varint(try readVarint())))
            case 1: result.append((field, .fixed64(try readFixed(8))))
            case 2:
                let length = Int(try readVarint())
                guard index + length <= data.count else { throw MalformedMessage() }
                result.append((field, .bytes(Array(data[index..<index + length]))))
                index += length
            case 5: result.append((field, .fixed32(UInt32(try readFixed(4)))))
            default: throw MalformedMessage()
            }
        }
        return result
    }

    static func messages(_ data: [UInt8], field: UInt32) throws -> [[UInt8]] {
        try fields(data).compactMap { number, value in
            if number == field, case .bytes(let bytes) = value { return bytes }
            return nil
        }
    }

    static func string(_ data: [UInt8], field: UInt32) throws -> String? {
        try messages(data, field: field).first.map { String(decoding: $0, as: UTF8.self) }
    }

    static func varint(_ data: [UInt8], field: UInt32) throws -> UInt64? {
        for (number, value) in try fields(data) where number == field {
            if case .varint(let v) = value { return v }
        }
        return nil
    }

    static func fixed64(_ data: [UInt8], field: UInt32) throws -> UInt64? {
        for (number, value) in try fields(data) where number == field {
            if case .fixed64(let v) = value { return v }
        }
        return nil
    }

    static func fixed32(_ data: [UInt8], field: UInt32) throws -> UInt32? {
        for (number, value) in try fields(data) where number == field {
            if case .fixed32(let v) = value { return v }
        }
        return nil
    }

    /// Decodes OTLP `KeyValue` messages (key = 1, AnyValue = 2) into readable values.
    static func keyValues(_ data: [UInt8], field: UInt32) throws -> [String: String] {
        var result: [String: String] = [:]
        for keyValue in try messages(data, field: field) {
            let key = try string(keyValue, field: 1) ?? ""
            let anyValue = try messages(keyValue, field: 2).first ?? []
            result[key] = try describeAnyValue(anyValue)
        }
        return result
    }

    static func describeAnyValue(_ anyValue: [UInt8]) throws -> String {
        guard let (field, value) = try fields(anyValue).first else { return "" }
        switch (field, value) {
        case (1, .bytes(let bytes)): return String(decoding: bytes, as: UTF8.self)
        case (2, .varint(let v)): return v == 1 ? "true" : "false"
        case (3, .varint(let v)): return String(Int64(bitPattern: v))
        case (4, .fixed64(let v)): return String(Double(bitPattern: v))
        case (5, .bytes(let array)):
            let items = try messages(array, field: 1).map(describeAnyValue)
            return "[" + items.joined(separator: ",") + "]"
        default: return "?"
        }
    }
}
