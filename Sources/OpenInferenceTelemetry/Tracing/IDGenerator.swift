#if Telemetry
import Synchronization

/// Random trace and span ids from a xoshiro256** generator seeded once from the system's
/// cryptographic source. Ids need to be unique and unpredictable enough for sampling, not secret;
/// asking the kernel for every id would cost a system call per span.
struct IDGenerator: RandomNumberGenerator, Sendable {
    private static let state = Mutex(IDGenerator.seeded())

    /// A stateless handle usable as `inout` that draws from the shared, locked state.
    struct Handle: RandomNumberGenerator, Sendable {
        mutating func next() -> UInt64 {
            IDGenerator.state.withLock { $0.next() }
        }
    }

    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    private static func seeded() -> IDGenerator {
        var system = SystemRandomNumberGenerator()
        var generator = IDGenerator(s0: system.next(), s1: system.next(), s2: system.next(), s3: system.next())
        if generator.s0 | generator.s1 | generator.s2 | generator.s3 == 0 { generator.s0 = 1 }
        return generator
    }

    private init(s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64) {
        (self.s0, self.s1, self.s2, self.s3) = (s0, s1, s2, s3)
    }

    mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(by: 45)
        return result
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(by count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 - count))
    }
}
#endif  // Telemetry
