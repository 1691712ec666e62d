/// What a ``SpanExportFilter`` knows of a span the OpenInference helpers are about to start.
public struct SpanExportCandidate: Sendable, Hashable {
    /// The span's name (`chat gpt-4o`, `search_docs`, …).
    public let name: String
    /// Its OpenInference kind.
    public let kind: OpenInferenceSpanKind
    /// The file that started it, as `#fileID` gives it (`Module/File.swift`).
    public let fileID: String
    /// The function that started it.
    public let function: String

    /// The module that started the span (the part of ``fileID`` before the `/`): the counterpart of the
    /// instrumentation scope Langfuse's `shouldExportSpan` is usually written against.
    public var module: Substring {
        fileID.prefix { $0 != "/" }
    }

    /// Describes a span about to start.
    public init(name: String, kind: OpenInferenceSpanKind, fileID: String, function: String) {
        self.name = name
        self.kind = kind
        self.fileID = fileID
        self.function = function
    }
}
