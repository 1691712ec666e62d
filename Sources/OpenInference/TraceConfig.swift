import Tracing

import Foundation
import Synchronization

/// What OpenInference spans may record: masking of inputs, outputs, message text, images, tools,
/// documents and embeddings, and a cap on the size of any one attribute.
///
/// The fields mirror the OpenInference trace-configuration environment variables, with the semantics of
/// the reference Python instrumentation (`openinference-instrumentation`'s `TraceConfig.mask`):
///
/// | Variable | Field | Effect |
/// |---|---|---|
/// | `OPENINFERENCE_HIDE_INPUTS` | ``hideInputs`` | `input.value` and `reranker.query` become `__REDACTED__`; input messages, `llm.tools` and reranker input documents are dropped |
/// | `OPENINFERENCE_HIDE_OUTPUTS` | ``hideOutputs`` | `output.value` becomes `__REDACTED__`; output messages and reranker output documents are dropped; retrieved documents' content and metadata become `__REDACTED__` |
/// | `OPENINFERENCE_HIDE_INPUT_MESSAGES` | ``hideInputMessages`` | `llm.input_messages.*` are dropped |
/// | `OPENINFERENCE_HIDE_OUTPUT_MESSAGES` | ``hideOutputMessages`` | `llm.output_messages.*` are dropped |
/// | `OPENINFERENCE_HIDE_INPUT_IMAGES` | ``hideInputImages`` | images in input messages are dropped (and redacted inside a request body) |
/// | `OPENINFERENCE_HIDE_INPUT_TEXT` | ``hideInputText`` | text of input messages becomes `__REDACTED__` |
/// | `OPENINFERENCE_HIDE_OUTPUT_TEXT` | ``hideOutputText`` | text of output messages becomes `__REDACTED__` |
/// | `OPENINFERENCE_HIDE_LLM_TOOLS` | ``hideLLMTools`` | `llm.tools.*` are dropped |
/// | `OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS` | ``hideLLMInvocationParameters`` | `llm.invocation_parameters` is dropped |
/// | `OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS` or `OPENINFERENCE_HIDE_EMBEDDING_VECTORS` | ``hideEmbeddingVectors`` | `embedding.vector` becomes `__REDACTED__`; either variable set to true hides them |
/// | `OPENINFERENCE_HIDE_EMBEDDINGS_TEXT` | ``hideEmbeddingsText`` | `embedding.text` becomes `__REDACTED__` |
/// | `OPENINFERENCE_HIDE_RETRIEVAL_DOCUMENTS` | ``hideRetrievalDocuments`` | retrieved documents' content and metadata become `__REDACTED__` |
/// | `OPENINFERENCE_ENABLE_GENAI_SEMCONV` | ``enableGenAISemanticConventions`` | spans also carry the OpenTelemetry GenAI attributes (`gen_ai.*`) |
/// | `OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH` | ``base64ImageMaxLength`` | longer base64 `data:image/` URLs, in input or output messages, become `__REDACTED__` (default 32000) |
/// | `OPENINFERENCE_MAX_ATTRIBUTE_LENGTH` | ``maxAttributeLength`` | longer strings are cut (UTF-8 bytes, default 65536); this one is ours, not the reference's |
/// | `OPENINFERENCE_MAX_MESSAGES` | ``maxRecordedMessages`` | a list of more messages records the first and the latest (default 128); ours too |
///
/// Values are read with ``EnvironmentValue``'s rules: booleans accept `true`/`false` (any case),
/// `yes`/`no` and `1`/`0`; numbers must be positive integers. A value that does not parse keeps
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
    /// `OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH`: base64 `data:image/` URLs longer than this many characters are
    /// replaced by ``redacted``.
    public var base64ImageMaxLength = 32_000
    /// `OPENINFERENCE_MAX_ATTRIBUTE_LENGTH`: string attributes longer than this many UTF-8 bytes are cut, with
    /// a note of the original size; a cut JSON value stays valid JSON (see ``mask(_:_:)``).
    public var maxAttributeLength = 65_536
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
            ("OPENINFERENCE_HIDE_EMBEDDINGS_TEXT", \.hideEmbeddingsText),
            ("OPENINFERENCE_HIDE_RETRIEVAL_DOCUMENTS", \.hideRetrievalDocuments),
            ("OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS", \.hideLLMInvocationParameters),
            ("OPENINFERENCE_ENABLE_GENAI_SEMCONV", \.enableGenAISemanticConventions),
        ]
    }
    private static let vectorFlags = ["OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS", "OPENINFERENCE_HIDE_EMBEDDING_VECTORS"]
    private static var numbers: [(name: String, field: WritableKeyPath<TraceConfig, Int>)] {
        [
            ("OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH", \.base64ImageMaxLength),
            ("OPENINFERENCE_MAX_ATTRIBUTE_LENGTH", \.maxAttributeLength),
            ("OPENINFERENCE_MAX_MESSAGES", \.maxRecordedMessages),
        ]
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
        for number in numbers {
            if let value = try? EnvironmentValue.positiveInt(number.name, in: environment) {
                config[keyPath: number.field] = value
            }
        }
        return config
    }

    /// The `OPENINFERENCE_*` variables in `environment` that are set but do not parse, each with what was
    /// expected; ``fromEnvironment(_:)`` ignores them. An application prints these at start.
    public static func environmentIssues(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> [EnvironmentValueError]
    {
        var issues: [EnvironmentValueError] = []
        for name in flags.map(\.name) + vectorFlags {
            do { _ = try EnvironmentValue.bool(name, in: environment) } catch { issues.append(error) }
        }
        for name in numbers.map(\.name) {
            do { _ = try EnvironmentValue.positiveInt(name, in: environment) } catch { issues.append(error) }
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
    /// must not be recorded at all. The rules are checked in the reference implementation's order.
    ///
    /// A string longer than ``maxAttributeLength`` is cut on a character boundary and ends with
    /// `… [truncated from N bytes]`. Where the key holds JSON (`llm.invocation_parameters`, `metadata`,
    /// tool schemas, …), the cut text is recorded as a JSON string, so the value stays valid JSON;
    /// ``AttributeWriter`` relabels a cut `input.value` or `output.value` as `text/plain`.
    public func mask(_ key: String, _ value: SpanAttribute) -> SpanAttribute? {
        guard hidesSomething else { return limited(key, value) }
        switch key {
        case SemanticConventions.LLM.invocationParameters where hideLLMInvocationParameters:
            return nil
        case SemanticConventions.Input.value where hideInputs,
            SemanticConventions.Reranker.query where hideInputs,
            SemanticConventions.Output.value where hideOutputs:
            return .string(Self.redacted)
        case SemanticConventions.Input.mimeType where hideInputs,
            SemanticConventions.Output.mimeType where hideOutputs:
            return nil
        default:
            break
        }
        if key.hasPrefix(SemanticConventions.LLM.inputMessages) {
            if hideInputs || hideInputMessages { return nil }
            if hideInputText && Self.isMessageText(key) { return .string(Self.redacted) }
            if hideInputImages && key.hasSuffix(SemanticConventions.Image.url) { return nil }
        } else if key.hasPrefix(SemanticConventions.LLM.outputMessages) {
            if hideOutputs || hideOutputMessages { return nil }
            if hideOutputText && Self.isMessageText(key) { return .string(Self.redacted) }
        } else if key.hasPrefix(SemanticConventions.LLM.tools) {
            if hideInputs || hideLLMTools { return nil }
        } else if key.hasPrefix(SemanticConventions.Embedding.embeddings) {
            if hideEmbeddingVectors && key.hasSuffix(SemanticConventions.Embedding.vector) { return .string(Self.redacted) }
            if hideEmbeddingsText && key.hasSuffix(SemanticConventions.Embedding.text) { return .string(Self.redacted) }
        } else if key.hasPrefix(SemanticConventions.Retrieval.documents) {
            if (hideOutputs || hideRetrievalDocuments)
                && (key.hasSuffix(SemanticConventions.Document.content) || key.hasSuffix(SemanticConventions.Document.metadata))
            {
                return .string(Self.redacted)
            }
        } else if key.hasPrefix(SemanticConventions.Reranker.inputDocuments) {
            if hideInputs { return nil }
        } else if key.hasPrefix(SemanticConventions.Reranker.outputDocuments) {
            if hideOutputs { return nil }
        }
        return limited(key, value)
    }

    /// ``mask(_:_:)`` for a text value: the same result as `mask(key, .string(text))`, without building and
    /// taking apart the `SpanAttribute` when nothing is hidden and the text is within the size limits.
    func mask(_ key: String, string text: String) -> String? {
        let length = text.utf8.count
        if !hidesSomething && length <= maxAttributeLength && length <= base64ImageMaxLength {
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
        if length > base64ImageMaxLength, key.hasSuffix(SemanticConventions.Image.url), Self.isBase64Image(text) {
            return .string(Self.redacted)
        }
        guard length > maxAttributeLength else { return value }
        let cut = Self.truncate(text, toUTF8Length: maxAttributeLength)
        return .string(Self.holdsJSON(key) ? OpenInferenceJSON.string(cut).jsonString : cut)
    }

    var hidesSomething: Bool {
        hideInputs || hideOutputs || hideInputMessages || hideOutputMessages || hideInputImages || hideInputText
            || hideOutputText || hideLLMTools || hideEmbeddingVectors || hideEmbeddingsText || hideRetrievalDocuments
            || hideLLMInvocationParameters
    }

    /// Whether `url` is a `data:image/…;base64,…` URL, the only kind the image length limit applies to.
    static func isBase64Image(_ url: String) -> Bool {
        url.hasPrefix("data:image/") && url.contains("base64")
    }

    private static func isMessageText(_ key: String) -> Bool {
        key.hasSuffix(SemanticConventions.Message.content) || key.hasSuffix(SemanticConventions.MessageContent.text)
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
