import Foundation
import Synchronization
import Tracing

/// What OpenInference spans may record: masking of inputs, outputs, message text, images, tools,
/// documents and embeddings, and a cap on the size of any one attribute.
///
/// The fields mirror the OpenInference trace-configuration environment variables, with the semantics of
/// the reference Python instrumentation (`openinference-instrumentation`'s `TraceConfig.mask`):
///
/// | Variable | Field | Effect |
/// |---|---|---|
/// | `OPENINFERENCE_HIDE_INPUTS` | ``hideInputs`` | `input.value`, `reranker.query` and `llm.prompts.*` become `__REDACTED__`; `input.mime_type`, input messages, `input.images.*`, `llm.tools` and reranker input documents are dropped |
/// | `OPENINFERENCE_HIDE_OUTPUTS` | ``hideOutputs`` | `output.value` and `llm.choices.*` become `__REDACTED__`; `output.mime_type`, output messages, `output.images.*` and reranker output documents are dropped; retrieved documents' content and metadata become `__REDACTED__` |
/// | `OPENINFERENCE_HIDE_INPUT_MESSAGES` | ``hideInputMessages`` | `llm.input_messages.*` are dropped |
/// | `OPENINFERENCE_HIDE_OUTPUT_MESSAGES` | ``hideOutputMessages`` | `llm.output_messages.*` are dropped |
/// | `OPENINFERENCE_HIDE_INPUT_IMAGES` | ``hideInputImages`` | images in input messages and `input.images.*` are dropped (and redacted inside a request body) |
/// | `OPENINFERENCE_HIDE_INPUT_TEXT` | ``hideInputText`` | text of input messages becomes `__REDACTED__` |
/// | `OPENINFERENCE_HIDE_OUTPUT_TEXT` | ``hideOutputText`` | text of output messages becomes `__REDACTED__` |
/// | `OPENINFERENCE_HIDE_PROMPTS` | ``hidePrompts`` | `llm.prompts.*` (completions API) become `__REDACTED__` |
/// | `OPENINFERENCE_HIDE_CHOICES` | ``hideChoices`` | `llm.choices.*` (completions API) become `__REDACTED__` |
/// | `OPENINFERENCE_HIDE_LLM_TOOLS` | ``hideLLMTools`` | `llm.tools.*` are dropped |
/// | `OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS` | ``hideLLMInvocationParameters`` | `llm.invocation_parameters` is dropped |
/// | `OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS` or `OPENINFERENCE_HIDE_EMBEDDING_VECTORS` | ``hideEmbeddingVectors`` | `embedding.vector` becomes `__REDACTED__`; either variable set to true hides them |
/// | `OPENINFERENCE_HIDE_EMBEDDINGS_TEXT` | ``hideEmbeddingsText`` | `embedding.text` becomes `__REDACTED__` |
/// | `OPENINFERENCE_HIDE_RETRIEVAL_DOCUMENTS` | ``hideRetrievalDocuments`` | retrieved documents' content and metadata become `__REDACTED__` |
/// | `OPENINFERENCE_ENABLE_GENAI_SEMCONV` | ``enableGenAISemanticConventions`` | spans also carry the OpenTelemetry GenAI attributes (`gen_ai.*`) |
/// | `OTEL_SEMCONV_STABILITY_OPT_IN` | ``genAILatestExperimental`` | with `gen_ai_latest_experimental` in its comma-separated list, the GenAI attributes follow the latest experimental GenAI conventions rather than v1.41 (see ``GenAIConventions``) |
/// | `OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH` | ``base64ImageMaxLength`` | longer base64 `data:image/` URLs of images in input or output messages or `input.images`/`output.images` become `__REDACTED__` (default 32000; `0` redacts every one) |
/// | `OPENINFERENCE_MAX_ATTRIBUTE_LENGTH` | ``maxAttributeLength`` | longer strings are cut (UTF-8 bytes, default 65536); this one is ours, not the reference's |
/// | `OPENINFERENCE_MAX_MESSAGES` | ``maxRecordedMessages`` | a list of more messages records the first and the latest (default 128); ours too |
///
/// Values are read with the library's environment rules: booleans accept `true`/`false` (any case),
/// `yes`/`no` and `1`/`0`; `OPENINFERENCE_MAX_ATTRIBUTE_LENGTH` must be a positive integer and
/// `OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH` any integer (as the reference reads it: `0` or less redacts every
/// base64 image). A value that does not parse keeps
/// the default and is listed by ``environmentIssues(_:)``, as the reference logs a warning and goes on.
///
/// The configuration in force is ``current``: a scope set with ``withTraceConfig(_:_:)`` if any, otherwise
/// ``global``, which starts from the environment and can be replaced in code.
public struct TraceConfig: Sendable, Hashable {
    /// `OPENINFERENCE_HIDE_INPUTS`.
    public var hideInputs = false
    /// `OPENINFERENCE_HIDE_OUTPUTS`.
    public var hideOutputs = false
    /// `OPENINFERENCE_HIDE_INPUT_MESSAGES`.
    public var hideInputMessages = false
    /// `OPENINFERENCE_HIDE_OUTPUT_MESSAGES`.
    public var hideOutputMessages = false
    /// `OPENINFERENCE_HIDE_INPUT_IMAGES`.
    public var hideInputImages = false
    /// `OPENINFERENCE_HIDE_INPUT_TEXT`.
    public var hideInputText = false
    /// `OPENINFERENCE_HIDE_OUTPUT_TEXT`.
    public var hideOutputText = false
    /// `OPENINFERENCE_HIDE_LLM_TOOLS`.
    public var hideLLMTools = false
    /// `OPENINFERENCE_HIDE_PROMPTS`: the prompts of a completions API (`llm.prompts.*`) become ``redacted``.
    public var hidePrompts = false
    /// `OPENINFERENCE_HIDE_CHOICES`: the choices of a completions API (`llm.choices.*`) become ``redacted``.
    public var hideChoices = false
    /// `OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS` (or the older `OPENINFERENCE_HIDE_EMBEDDING_VECTORS`).
    public var hideEmbeddingVectors = false
    /// `OPENINFERENCE_HIDE_EMBEDDINGS_TEXT`.
    public var hideEmbeddingsText = false
    /// `OPENINFERENCE_HIDE_RETRIEVAL_DOCUMENTS`.
    public var hideRetrievalDocuments = false
    /// `OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS`.
    public var hideLLMInvocationParameters = false
    /// `OPENINFERENCE_ENABLE_GENAI_SEMCONV`: when set, LLM, embedding, tool, retriever and agent spans also
    /// carry the OpenTelemetry GenAI semantic conventions (`gen_ai.*`), derived from the masked OpenInference
    /// attributes when the span ends, so one span serves Phoenix and GenAI-aware backends alike.
    public var enableGenAISemanticConventions = false
    /// `OTEL_SEMCONV_STABILITY_OPT_IN` lists `gen_ai_latest_experimental`: the GenAI attributes written under
    /// ``enableGenAISemanticConventions`` follow the latest experimental GenAI conventions
    /// (`open-telemetry/semantic-conventions-genai`) instead of v1.41, which they follow by default, as
    /// OpenTelemetry asks of instrumentations that already emit an older version.
    public var genAILatestExperimental = false
    /// `OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH`: base64 `data:image/` URLs of images longer than this many
    /// characters are replaced by ``redacted``; `0` replaces every one.
    public var base64ImageMaxLength = 32_000
    /// `OPENINFERENCE_MAX_ATTRIBUTE_LENGTH`: string attributes longer than this many UTF-8 bytes are cut, with
    /// a note of the original size; a cut JSON value stays valid JSON (see ``mask(_:_:)``).
    public var maxAttributeLength = 65_536
    /// A masking function of your own, applied after the rules above to every attribute they keep
    /// (``AttributeMask``); none by default. Code only, no environment variable.
    public var attributeMask: AttributeMask?
    /// Which spans the helpers export (``SpanExportFilter``); all by default. Code only, no environment variable.
    public var exportFilter: SpanExportFilter?
    /// `OPENINFERENCE_MAX_MESSAGES`: a span records at most this many messages of a list (the first and
    /// the latest), and counts the rest; ours, not the reference's. Bounds a span's attributes whatever
    /// the size of a conversation.
    public var maxRecordedMessages = 128

    /// The value that replaces a hidden input, output, text or vector.
    public static let redacted = "__REDACTED__"

    /// Records everything, caps attributes at 64 KiB.
    public static let `default` = TraceConfig()

    /// Creates the default configuration: nothing hidden, attributes capped at 64 KiB.
    public init() {}

    private static var flags: [(name: String, field: WritableKeyPath<TraceConfig, Bool>)] {
        [
            ("OPENINFERENCE_HIDE_INPUTS", \.hideInputs),
            ("OPENINFERENCE_HIDE_OUTPUTS", \.hideOutputs),
            ("OPENINFERENCE_HIDE_INPUT_MESSAGES", \.hideInputMessages),
            ("OPENINFERENCE_HIDE_OUTPUT_MESSAGES", \.hideOutputMessages),
            ("OPENINFERENCE_HIDE_INPUT_IMAGES", \.hideInputImages),
            ("OPENINFERENCE_HIDE_INPUT_TEXT", \.hideInputText),
            ("OPENINFERENCE_HIDE_OUTPUT_TEXT", \.hideOutputText),
            ("OPENINFERENCE_HIDE_LLM_TOOLS", \.hideLLMTools),
            ("OPENINFERENCE_HIDE_PROMPTS", \.hidePrompts),
            ("OPENINFERENCE_HIDE_CHOICES", \.hideChoices),
            ("OPENINFERENCE_HIDE_EMBEDDINGS_TEXT", \.hideEmbeddingsText),
            ("OPENINFERENCE_HIDE_RETRIEVAL_DOCUMENTS", \.hideRetrievalDocuments),
            ("OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS", \.hideLLMInvocationParameters),
            ("OPENINFERENCE_ENABLE_GENAI_SEMCONV", \.enableGenAISemanticConventions),
        ]
    }
    private static let vectorFlags = ["OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS", "OPENINFERENCE_HIDE_EMBEDDING_VECTORS"]
    private static var numbers: [(name: String, field: WritableKeyPath<TraceConfig, Int>, anyInteger: Bool)] {
        [
            // The reference reads any integer here; 0 (or less) redacts every base64 image.
            ("OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH", \.base64ImageMaxLength, true),
            ("OPENINFERENCE_MAX_ATTRIBUTE_LENGTH", \.maxAttributeLength, false),
            ("OPENINFERENCE_MAX_MESSAGES", \.maxRecordedMessages, false),
        ]
    }

    private static func number(_ name: String, anyInteger: Bool, in environment: [String: String]) throws(EnvironmentValueError) -> Int? {
        anyInteger ? try EnvironmentValue.int(name, in: environment) : try EnvironmentValue.positiveInt(name, in: environment)
    }

    /// Reads the `OPENINFERENCE_*` variables; unset or unreadable ones keep their defaults.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> TraceConfig {
        var config = TraceConfig()
        for flag in flags {
            if let value = try? EnvironmentValue.bool(flag.name, in: environment) { config[keyPath: flag.field] = value }
        }
        // The two spellings combine: either one set to true hides the vectors.
        config.hideEmbeddingVectors = vectorFlags.contains { name in
            (try? EnvironmentValue.bool(name, in: environment)) == true
        }
        config.genAILatestExperimental = optsIntoLatestGenAI(environment)
        for number in numbers {
            if let value = try? Self.number(number.name, anyInteger: number.anyInteger, in: environment) {
                config[keyPath: number.field] = value
            }
        }
        return config
    }

    /// Whether `OTEL_SEMCONV_STABILITY_OPT_IN`, a comma-separated list, holds `gen_ai_latest_experimental`.
    static func optsIntoLatestGenAI(_ environment: [String: String]) -> Bool {
        guard let list = environment["OTEL_SEMCONV_STABILITY_OPT_IN"] else { return false }
        return list.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "gen_ai_latest_experimental" }
    }

    /// The `OPENINFERENCE_*` variables in `environment` that are set but do not parse, each with what was
    /// expected; ``fromEnvironment(_:)`` ignores them. An application prints these at start.
    public static func environmentIssues(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> [EnvironmentValueError]
    {
        var issues: [EnvironmentValueError] = []
        for name in flags.map(\.name) + vectorFlags {
            do { _ = try EnvironmentValue.bool(name, in: environment) } catch { issues.append(error) }
        }
        for number in numbers {
            do { _ = try Self.number(number.name, anyInteger: number.anyInteger, in: environment) } catch { issues.append(error) }
        }
        return issues
    }

    private static let globalStorage = Mutex(TraceConfig.fromEnvironment())

    /// The process-wide configuration, read from the environment at first use.
    public static var global: TraceConfig {
        get { globalStorage.withLock { $0 } }
        set { globalStorage.withLock { $0 = newValue } }
    }

    @TaskLocal static var scoped: TraceConfig?

    /// The configuration that spans started now will use.
    public static var current: TraceConfig { scoped ?? global }

    /// Applies this configuration to one attribute: returns it unchanged, redacted, cut, or `nil` when it
    /// must not be recorded at all. The rules are the reference implementation's (`TraceConfig.mask` in
    /// `openinference-instrumentation` 0.1.72), checked in its order; the first that applies decides.
    ///
    /// A string longer than ``maxAttributeLength`` is cut on a character boundary and ends with
    /// `… [truncated from N bytes]`. Where the key holds JSON (`llm.invocation_parameters`, `metadata`,
    /// tool schemas, …), the cut text is recorded as a JSON string, so the value stays valid JSON;
    /// ``AttributeWriter`` relabels a cut `input.value` or `output.value` as `text/plain`.
    ///
    /// An ``attributeMask`` sees each value these rules keep, before the size limit.
    public func mask(_ key: String, _ value: SpanAttribute) -> SpanAttribute? {
        guard hidesSomething else { return limited(key, value) }
        switch rule(for: key) {
        case .drop: return nil
        case .redact: return .string(Self.redacted)
        case .keep:
            guard let attributeMask else { return limited(key, value) }
            return attributeMask.apply(key, value).map { limited(key, $0) }
        }
    }

    private enum Rule { case keep, redact, drop }

    /// The reference's hiding rules, in its order. Its tests are substring tests (`"llm.tools" in key`),
    /// and so are these, so a key matches here exactly when it matches there.
    private func rule(for key: String) -> Rule {
        typealias C = SemanticConventions
        if hideLLMInvocationParameters && key == C.LLM.invocationParameters { return .drop }
        if (hideInputs || hideLLMTools) && key.contains(C.LLM.tools) { return .drop }
        if hideInputs {
            if key == C.Input.value { return .redact }
            if key == C.Input.mimeType { return .drop }
            if key == C.Reranker.query { return .redact }
            if Self.isWithin(key, C.Reranker.inputDocuments) { return .drop }
        }
        if hideOutputs {
            if key == C.Output.value { return .redact }
            if key == C.Output.mimeType { return .drop }
            if Self.isWithin(key, C.Reranker.outputDocuments) { return .drop }
        }
        if (hideRetrievalDocuments || hideOutputs) && Self.isRetrievalDocumentContent(key) { return .redact }
        let inInputMessages = key.contains(C.LLM.inputMessages)
        if (hideInputs || hideInputMessages) && inInputMessages { return .drop }
        if (hideInputs || hidePrompts) && key.contains(C.LLM.prompts) { return .redact }
        let inOutputMessages = key.contains(C.LLM.outputMessages)
        if (hideOutputs || hideOutputMessages) && inOutputMessages { return .drop }
        if (hideOutputs || hideChoices) && key.contains(C.LLM.choices) { return .redact }
        if hideInputText && inInputMessages && Self.isMessageText(key) { return .redact }
        if hideOutputText && inOutputMessages && Self.isMessageText(key) { return .redact }
        if (hideInputs || hideInputImages) && Self.isInputImage(key) { return .drop }
        if hideOutputs && Self.isOutputImage(key) { return .drop }
        // An image URL is kept (``limited(_:_:)`` applies the base64 limit); the embedding rules do not apply.
        if Self.isImageURL(key) { return .keep }
        if key.contains(C.Embedding.embeddings) {
            if hideEmbeddingVectors && key.contains(C.Embedding.vector) { return .redact }
            if hideEmbeddingsText && key.contains(C.Embedding.text) { return .redact }
        }
        return .keep
    }

    /// ``mask(_:_:)`` for a text value: the same result as `mask(key, .string(text))`, without building and
    /// taking apart the `SpanAttribute` when nothing is hidden and the text is within the size limits.
    func mask(_ key: String, string text: String) -> String? {
        let length = text.utf8.count
        if !hidesSomething && length <= maxAttributeLength && (length <= base64ImageMaxLength || !Self.isBase64Image(text)) {
            return text
        }
        // Masking keeps a text value text (redacted or cut); it never changes its type.
        guard case .string(let masked)? = mask(key, .string(text)) else { return nil }
        return masked
    }

    /// Whether an image URL inside a recorded request body must be replaced by ``redacted``: every image
    /// when ``hideInputImages`` is set, a base64 one longer than ``base64ImageMaxLength`` always.
    public func hidesImageURL(_ url: String) -> Bool {
        hideInputImages || (url.utf8.count > base64ImageMaxLength && Self.isBase64Image(url))
    }

    /// Whether `text` is longer than ``maxAttributeLength`` and so will be cut by ``mask(_:_:)``.
    public func cuts(_ text: String) -> Bool {
        text.utf8.count > maxAttributeLength
    }

    /// Applies the size limits: long base64 images are redacted, long strings cut.
    private func limited(_ key: String, _ value: SpanAttribute) -> SpanAttribute {
        guard case .string(let text) = value else { return value }
        let length = text.utf8.count
        if length > base64ImageMaxLength, Self.isBase64Image(text), Self.isImageURL(key) {
            return .string(Self.redacted)
        }
        guard length > maxAttributeLength else { return value }
        let cut = Self.truncate(text, toUTF8Length: maxAttributeLength)
        return .string(Self.holdsJSON(key) ? OpenInferenceJSON.string(cut).jsonString : cut)
    }

    var hidesSomething: Bool {
        hideInputs || hideOutputs || hideInputMessages || hideOutputMessages || hideInputImages || hideInputText
            || hideOutputText || hideLLMTools || hideEmbeddingVectors || hideEmbeddingsText || hideRetrievalDocuments
            || hideLLMInvocationParameters || hidePrompts || hideChoices || attributeMask != nil
    }

    /// Whether `url` is a `data:image/…;base64,…` URL, the only kind the image length limit applies to.
    static func isBase64Image(_ url: String) -> Bool {
        url.hasPrefix("data:image/") && url.contains("base64")
    }

    /// A message's text: `message.content` (but not under `message.contents`), or a part's `message_content.text`.
    private static func isMessageText(_ key: String) -> Bool {
        (key.contains(SemanticConventions.Message.content) && !key.contains(SemanticConventions.Message.contents))
            || key.contains(SemanticConventions.MessageContent.text)
    }

    /// `namespace` itself or anything indexed under it.
    private static func isWithin(_ key: String, _ namespace: String) -> Bool {
        key.hasPrefix(namespace) && (key.utf8.count == namespace.utf8.count || key.utf8.dropFirst(namespace.utf8.count).first == UInt8(ascii: "."))
    }

    /// The content or metadata of a `retrieval.documents` entry.
    private static func isRetrievalDocumentContent(_ key: String) -> Bool {
        isWithin(key, SemanticConventions.Retrieval.documents)
            && (key.hasSuffix(SemanticConventions.Document.content) || key.hasSuffix(SemanticConventions.Document.metadata))
    }

    /// An image of an input message's part, or anything under the span-level `input.images`.
    private static func isInputImage(_ key: String) -> Bool {
        (key.contains(SemanticConventions.LLM.inputMessages) && key.contains(SemanticConventions.MessageContent.image))
            || isWithin(key, SemanticConventions.Input.images)
    }

    /// An image of an output message's part, or anything under the span-level `output.images`.
    private static func isOutputImage(_ key: String) -> Bool {
        (key.contains(SemanticConventions.LLM.outputMessages) && key.contains(SemanticConventions.MessageContent.image))
            || isWithin(key, SemanticConventions.Output.images)
    }

    /// The `image.url` of an input or output image: the only keys the base64 limit applies to.
    static func isImageURL(_ key: String) -> Bool {
        key.hasSuffix(SemanticConventions.Image.url) && (isInputImage(key) || isOutputImage(key))
    }

    /// Keys whose value is a JSON document without a MIME type of its own beside it.
    private static func holdsJSON(_ key: String) -> Bool {
        switch key {
        case SemanticConventions.LLM.invocationParameters, SemanticConventions.Embedding.invocationParameters,
            SemanticConventions.Context.metadata, SemanticConventions.LLM.PromptTemplate.variables,
            SemanticConventions.Tool.parameters:
            true
        default:
            key.hasSuffix(SemanticConventions.Tool.jsonSchema) || key.hasSuffix(SemanticConventions.Document.metadata)
        }
    }

    /// Cuts `text` to at most `limit` UTF-8 bytes on a character boundary and says how much was cut.
    static func truncate(_ text: String, toUTF8Length limit: Int) -> String {
        let utf8 = text.utf8
        var end = utf8.index(utf8.startIndex, offsetBy: limit)
        // Step back to the start of a Unicode scalar so the result stays valid UTF-8.
        while end > utf8.startIndex, UTF8.isContinuation(utf8[end]) {
            end = utf8.index(before: end)
        }
        return String(text[..<end]) + "… [truncated from \(utf8.count) bytes]"
    }
}

/// Runs `body` with `config` as ``TraceConfig/current`` for every span started inside it, in this task
/// and its child tasks.
///
/// ```swift
/// var config = TraceConfig.global
/// config.hideInputs = true
/// try await withTraceConfig(config) { try await agent.run(goal) }
/// ```
public nonisolated(nonsending) func withTraceConfig<T>(
    _ config: TraceConfig,
    _ body: nonisolated(nonsending) () async throws -> T
) async rethrows -> T {
    try await TraceConfig.$scoped.withValue(config, operation: body)
}
