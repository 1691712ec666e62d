import Tracing

/// A span that records OpenInference attributes, masked and truncated by its ``TraceConfig``.
///
/// The span helpers (``withLLMSpan(_:model:system:provider:messages:parameters:tools:context:function:file:line:_:)``
/// and its siblings) hand one to their closure, wrapped in a kind-specific type with typed
/// `record…` methods. ``span`` gives the underlying swift-distributed-tracing span for anything else.
public struct OpenInferenceSpan: Sendable {
    /// The underlying span.
    public let span: any Tracing.Span
    /// The configuration applied to everything recorded through this value.
    public let config: TraceConfig

    /// `span` as a ``SpanAttributeBatchRecording``, cast once here rather than at every recording step
    /// (a cast that fails, as it does for another tracer's span, is a conformance lookup each time).
    /// Not looked up for a span that records nothing, so the no-op path pays no cast at all.
    private let batchRecording: (any SpanAttributeBatchRecording)?

    /// For spans of other tracers, which cannot say whether their status is ERROR: set once an error is
    /// recorded through ``OpenInferenceSpanProtocol/recordError(_:)``. Spans that record in batches answer
    /// from their status, so they need no flag (and no allocation for it).
    private let errorMark: ErrorMark?

    /// Wraps `span`, recording through `config`.
    public init(_ span: any Tracing.Span, config: TraceConfig = .current) {
        self.span = span
        self.config = config
        let batchRecording = span.isRecording ? span as? any SpanAttributeBatchRecording : nil
        self.batchRecording = batchRecording
        self.errorMark = span.isRecording && batchRecording == nil ? ErrorMark() : nil
    }

    /// A span that records nothing, for the no-op path of the helpers: swift-distributed-tracing's no-op
    /// span carrying `context`, the default configuration, no cast and no error flag.
    @usableFromInline
    init(notRecordingIn context: InstrumentationContext) {
        self.span = NoOpTracer.NoOpSpan(context: context)
        self.config = .default
        self.batchRecording = nil
        self.errorMark = nil
    }

    /// Whether the task's tracer is swift-distributed-tracing's no-op: `NoOpTracer` (bootstrapped, or
    /// scoped with `withTracer`) or `NoOpInstrument` (nothing bootstrapped: `InstrumentationSystem.tracer`
    /// is then a `NoOpTracer`). Such a tracer records no span and injects no context, so nothing a helper
    /// does around its body can be seen.
    ///
    /// One read of the task's instrument (a task-local, then the bootstrapped one under its reader lock)
    /// and a comparison of its dynamic type, where `InstrumentationSystem.tracer` tests and casts the
    /// instrument to `any Tracer` (two conformance lookups) before a span is even started. A
    /// `MultiplexInstrument`, any other tracer, and the tracer of ``withTracingSuppressed(_:)`` (which
    /// still injects the caller's context) answer `false`.
    @inlinable
    static var tracerIsNoOp: Bool {
        let type = ObjectIdentifier(Swift.type(of: InstrumentationSystem.instrument))
        return type == ObjectIdentifier(NoOpTracer.self) || type == ObjectIdentifier(NoOpInstrument.self)
    }

    /// Whether an error was recorded on this span through ``OpenInferenceSpanProtocol/recordError(_:)``
    /// (or, on a tracer that can tell, whether its status is ERROR).
    public var hasRecordedError: Bool {
        if let batchRecording { return batchRecording.hasErrorStatus }
        return errorMark?.isSet ?? false
    }

    func markError() { errorMark?.set() }

    /// Sets status OK, as the reference instrumentations do when an operation succeeds, unless an error
    /// was recorded (OpenTelemetry lets OK override ERROR, so it must not be set after one).
    func markSucceeded() {
        guard span.isRecording, !hasRecordedError else { return }
        span.setStatus(SpanStatus(code: .ok))
    }

    /// Records several attributes in one update of the span.
    public func record(_ build: (inout AttributeWriter) -> Void) {
        guard span.isRecording else { return }
        if let batchRecording {
            batchRecording.recordAttributes(config: config, build)
            return
        }
        var writer = AttributeWriter(config: config)
        build(&writer)
        guard !writer.isEmpty else { return }
        // Any other tracer's span: one read and one write of its attributes (what `Span.updateAttributes`
        // does), with the masked pairs set in place in between, in order, so a later value for a key wins.
        // No dictionary of the pairs is built and merged. The one copy of what was recorded before is the
        // Span protocol's (`attributes` is a value, and the span keeps its own reference while we hold
        // ours), made once at the final size.
        var attributes = span.attributes
        var pairs = writer.takePairs()
        attributes.reserveCapacity(attributes.count + pairs.count)
        pairs.withUnsafeMutableBufferPointer { buffer in
            // Each pair is moved into the dictionary rather than copied (a copy of the (String,
            // SpanAttribute) tuple goes through generic value witnesses, and its destruction again); the
            // array is ours alone, and each slot is left holding a value with nothing to release.
            guard let start = buffer.baseAddress else { return }
            for index in buffer.indices {
                let (key, value) = (start + index).move()
                attributes.set(key, value: value)
                (start + index).initialize(to: (key: "", value: .bool(false)))
            }
        }
        span.attributes = attributes
    }

    /// Ends the span, first deriving the GenAI attributes when the configuration asks for them: the one
    /// way a span that records OpenInference attributes ends, whether a helper scoped it or a
    /// ``WireExchange`` ended it when a response did.
    func end() {
        if config.enableGenAISemanticConventions {
            GenAIConventions.record(on: span, latest: config.genAILatestExperimental)
        }
        span.end()
    }

    /// Starts a span of OpenInference `kind` on the task's tracer (`InstrumentationSystem.tracer`, or the one
    /// set with `withTracer`): the one way a helper or a ``WireExchange`` starts one.
    ///
    /// A span the configuration's export filter declines is not started on the tracer: the result records
    /// nothing and carries `context`, so spans started under it become children of the parent. A recording
    /// span joins the scope's ``withSpanContextCapture(_:)``, if any.
    static func started(
        _ name: String,
        kind: OpenInferenceSpanKind,
        context: InstrumentationContext,
        ofKind spanKind: SpanKind,
        function: String,
        file fileID: String,
        line: UInt
    ) -> OpenInferenceSpan {
        if SpanExportFilter.inUse.load(ordering: .relaxed), let filter = TraceConfig.current.exportFilter,
            !filter.shouldExport(SpanExportCandidate(name: name, kind: kind, fileID: fileID, function: function))
        {
            return OpenInferenceSpan(NoOpTracer.NoOpSpan(context: context), config: .default)
        }
        let span: any Tracing.Span = InstrumentationSystem.tracer.startSpan(
            name,
            context: context,
            ofKind: spanKind,
            at: DefaultTracerClock.now,
            function: function,
            file: fileID,
            line: line
        )
        // A span that records nothing needs no configuration: the no-op path skips reading it (a task-local
        // and a lock).
        let base = OpenInferenceSpan(span, config: span.isRecording ? .current : .default)
        if span.isRecording, let capture = SpanContextCapture.current { capture.add(span.context) }
        return base
    }

    /// Sets the span kind and the context attributes when the span starts.
    func start(kind: OpenInferenceSpanKind, _ build: (inout AttributeWriter) -> Void) {
        record { writer in
            writer.set(SemanticConventions.spanKind, kind.rawValue)
            let context = OpenInferenceContext.current
            if !context.isEmpty { context.write(to: &writer) }
            build(&writer)
        }
    }
}

/// What every kind of OpenInference span can record: input, output, metadata, tags, events and errors.
///
/// ``OpenInferenceSpan`` and the kind-specific spans (``LLMSpan``, ``ToolSpan``, ``RetrieverSpan``, …) conform.
public protocol OpenInferenceSpanProtocol: Sendable {
    /// The recording span underneath.
    var base: OpenInferenceSpan { get }
}

extension OpenInferenceSpan: OpenInferenceSpanProtocol {
    public var base: OpenInferenceSpan { self }
}

extension OpenInferenceSpanProtocol {
    /// Records one attribute, masked by the span's ``TraceConfig``.
    public func setAttribute(_ key: String, _ value: SpanAttribute) {
        base.record { $0.set(key, value) }
    }

    /// Records `input.value` as plain text.
    public func recordInput(_ text: String) {
        base.record { writer in
            writer.set(SemanticConventions.Input.value, text)
            writer.set(SemanticConventions.Input.mimeType, "text/plain")
        }
    }

    /// Records `input.value` as JSON.
    public func recordInput(json: OpenInferenceJSON) {
        base.record { writer in
            writer.set(SemanticConventions.Input.value, json.jsonString)
            writer.set(SemanticConventions.Input.mimeType, "application/json")
        }
    }

    /// Records `input.value` as JSON text the caller already encoded (for example a request body).
    public func recordInput(jsonText: String) {
        base.record { writer in
            writer.set(SemanticConventions.Input.value, jsonText)
            writer.set(SemanticConventions.Input.mimeType, "application/json")
        }
    }

    /// Records `input.value` as the JSON encoding of `value`; a value that cannot be encoded is
    /// recorded as text, with the reason in ``SemanticConventions/Recording/issue``.
    public func recordInput(encoding value: some Encodable) {
        recordEncoded(value, valueKey: SemanticConventions.Input.value, mimeKey: SemanticConventions.Input.mimeType)
    }

    /// Records `output.value` as plain text.
    public func recordOutput(_ text: String) {
        base.record { writer in
            writer.set(SemanticConventions.Output.value, text)
            writer.set(SemanticConventions.Output.mimeType, "text/plain")
        }
    }

    /// Records `output.value` as JSON.
    public func recordOutput(json: OpenInferenceJSON) {
        base.record { writer in
            writer.set(SemanticConventions.Output.value, json.jsonString)
            writer.set(SemanticConventions.Output.mimeType, "application/json")
        }
    }

    /// Records `output.value` as JSON text the caller already has (for example a response body).
    public func recordOutput(jsonText: String) {
        base.record { writer in
            writer.set(SemanticConventions.Output.value, jsonText)
            writer.set(SemanticConventions.Output.mimeType, "application/json")
        }
    }

    /// Records `output.value` as the JSON encoding of `value`; see ``recordInput(encoding:)``.
    public func recordOutput(encoding value: some Encodable) {
        recordEncoded(value, valueKey: SemanticConventions.Output.value, mimeKey: SemanticConventions.Output.mimeType)
    }

    /// Records the images the operation was given, whatever the span's kind, as `input.images.N.image.url`
    /// (dropped when inputs or input images are hidden; long base64 images are redacted).
    public func recordInputImages(_ urls: [String]) {
        base.record { writer in
            for (index, url) in urls.enumerated() { writer.set(AttributeKeys.inputImage(index), url) }
        }
    }

    /// Records the images the operation produced, whatever the span's kind, as `output.images.N.image.url`
    /// (dropped when outputs are hidden; long base64 images are redacted).
    public func recordOutputImages(_ urls: [String]) {
        base.record { writer in
            for (index, url) in urls.enumerated() { writer.set(AttributeKeys.outputImage(index), url) }
        }
    }

    /// Records the documents (PDFs, files) the operation was given as `input.documents.N.document.*`.
    public func recordInputDocuments(_ documents: [LLMDocument]) {
        base.record { writer in
            for (index, document) in documents.enumerated() {
                writer.set(document: document, at: "\(SemanticConventions.Input.documents).\(index).")
            }
        }
    }

    /// Records the documents the operation produced as `output.documents.N.document.*`.
    public func recordOutputDocuments(_ documents: [LLMDocument]) {
        base.record { writer in
            for (index, document) in documents.enumerated() {
                writer.set(document: document, at: "\(SemanticConventions.Output.documents).\(index).")
            }
        }
    }

    /// Records feedback in evaluation terms, `evaluations.N.evaluation.*` (or `trace.evaluations…`,
    /// `session.evaluations…` for `scope`), as an EVALUATOR span carries its verdicts. Results without a
    /// name and a score, label or explanation are left out, as the specification asks; indices stay contiguous.
    public func recordEvaluations(_ results: [FeedbackResult], scope: FeedbackResult.Scope = .span) {
        let prefix: String =
            switch scope {
            case .span: SemanticConventions.Feedback.evaluations
            case .trace: SemanticConventions.Feedback.traceEvaluations
            case .session: SemanticConventions.Feedback.sessionEvaluations
            }
        typealias E = SemanticConventions.Evaluation
        recordFeedback(results, prefix: prefix, keys: (E.name, E.score, E.label, E.explanation, E.annotatorKind, E.identifier, E.metadata))
    }

    /// Records feedback in annotation terms, `annotations.N.annotation.*` (or `trace.annotations…`,
    /// `session.annotations…`); see ``recordEvaluations(_:scope:)``.
    public func recordAnnotations(_ results: [FeedbackResult], scope: FeedbackResult.Scope = .span) {
        let prefix: String =
            switch scope {
            case .span: SemanticConventions.Feedback.annotations
            case .trace: SemanticConventions.Feedback.traceAnnotations
            case .session: SemanticConventions.Feedback.sessionAnnotations
            }
        typealias A = SemanticConventions.Annotation
        recordFeedback(results, prefix: prefix, keys: (A.name, A.score, A.label, A.explanation, A.annotatorKind, A.identifier, A.metadata))
    }

    private func recordFeedback(
        _ results: [FeedbackResult],
        prefix: String,
        keys: (name: String, score: String, label: String, explanation: String, kind: String, identifier: String, metadata: String)
    ) {
        base.record { writer in
            for (index, result) in results.filter(\.isComplete).enumerated() {
                let entry = "\(prefix).\(index)."
                writer.set(entry + keys.name, result.name)
                writer.set(entry + keys.score, result.score)
                writer.set(entry + keys.label, result.label)
                writer.set(entry + keys.explanation, result.explanation)
                writer.set(entry + keys.kind, result.annotatorKind?.rawValue)
                writer.set(entry + keys.identifier, result.identifier)
                if !result.metadata.isEmpty { writer.set(entry + keys.metadata, OpenInferenceJSON.object(result.metadata).jsonString) }
            }
        }
    }

    /// Links this span to the span `target` names (an EVALUATOR span to the span it judged), through the
    /// active instrument's W3C trace-context extraction; returns whether the link was added (`false` when
    /// the instrument does not read `traceparent`).
    @discardableResult
    public func addLink(to target: TraceParent, attributes: SpanAttributes = [:]) -> Bool {
        var context = InstrumentationContext.topLevel
        InstrumentationSystem.instrument.extract(["traceparent": target.header], into: &context, using: TraceParentExtractor())
        guard TraceParent.of(context)?.spanID == target.spanID else { return false }
        base.span.addLink(SpanLink(context: context, attributes: attributes))
        return true
    }

    /// Records `metadata` (as a JSON string), merged over any metadata from the context.
    public func recordMetadata(_ metadata: [String: OpenInferenceJSON]) {
        var merged = OpenInferenceContext.current.metadata
        merged.merge(metadata) { _, new in new }
        base.record { $0.set(SemanticConventions.Context.metadata, json: .object(merged)) }
    }

    /// Records `tag.tags`.
    public func recordTags(_ tags: [String]) {
        base.record { $0.set(SemanticConventions.Context.tags, .stringArray(tags)) }
    }

    /// Adds a timestamped event to the span (for example `First Token Stream Event`).
    public func addEvent(_ name: String, attributes: SpanAttributes = [:]) {
        base.span.addEvent(SpanEvent(name: name, attributes: attributes))
    }

    /// Records `error` as an `exception` event and sets the span's status to ERROR with its description.
    public func recordError(_ error: any Error) {
        base.markError()
        base.span.recordError(error)
        base.span.setStatus(SpanStatus(code: .error, message: String(describing: error)))
    }

    private func recordEncoded(_ value: some Encodable, valueKey: String, mimeKey: String) {
        do {
            let json = try OpenInferenceJSON(encoding: value)
            base.record { writer in
                writer.set(valueKey, json.jsonString)
                writer.set(mimeKey, "application/json")
            }
        } catch {
            base.record { writer in
                writer.set(valueKey, String(describing: value))
                writer.set(mimeKey, "text/plain")
                writer.set(SemanticConventions.Recording.issue, error.description)
            }
        }
    }
}
