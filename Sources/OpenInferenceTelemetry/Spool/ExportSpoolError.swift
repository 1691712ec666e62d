#if Telemetry
/// Why the export spool could not be opened or written, and what to do about it.
public struct ExportSpoolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of trouble it was: a struct of named values rather than an enum, so that new kinds can be
    /// added without breaking code that handles these.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The directory could not be created or read.
        public static let directoryUnusable = Code("directoryUnusable")
        /// Another process holds the directory's lock.
        public static let directoryInUse = Code("directoryInUse")
        /// A batch could not be written (disk full, permissions).
        public static let writeFailed = Code("writeFailed")

        public var description: String { name }
    }

    /// What kind of trouble it was.
    public var code: Code
    /// The spool directory (`STACK_SPOOL_DIR`).
    public var directory: String
    /// The operating system's or Foundation's own words, when there are any.
    public var underlying: String?

    /// An error of `code` for the spool in `directory`.
    public init(_ code: Code, directory: String, underlying: String? = nil) {
        self.code = code
        self.directory = directory
        self.underlying = underlying
    }

    public var description: String {
        let cause = underlying.map { " (\($0))" } ?? ""
        switch code {
        case .directoryUnusable:
            return "the export spool directory \(directory) cannot be created or read\(cause); "
                + "set STACK_SPOOL_DIR to a writable directory, or unset it to run without a spool."
        case .directoryInUse:
            return "the export spool directory \(directory) is locked by another process\(cause); "
                + "give every process (every replica) its own STACK_SPOOL_DIR."
        case .writeFailed:
            return "a batch could not be written to the export spool in \(directory)\(cause); "
                + "check free space and permissions there. The batch is counted as failed."
        default:
            return "the export spool in \(directory) failed (\(code))\(cause)."
        }
    }
}
#endif  // Telemetry
