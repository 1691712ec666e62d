import Tracing

import Foundation
import Synchronization

/// What OpenInference spans may record: masking of inputs, outputs, message text, images and
/// embedding vectors, and a cap on the size of any one attribute.
///
/// The fields mirror the OpenInference trace-configuration environment variables, with the same
/// semantics as the Python and JavaScript instrumentations:
///
/// | Variable | Field | Effect |
/// |---|---|---|
/// | `OPENINFERENCE_HIDE_INPUTS` | ``hideInputs`` | `input.value` becomes `__REDACTED__`; input messages are dropped |
/// | `OPENINFERENCE_HIDE_OUTPUTS` | ``hideOutputs`` | `output.value` becomes `__REDACTED__`; output messages are dropped |
/// | `OPENINFERENCE_HIDE_INPUT_MESSAGES` | ``hideInputMessages`` | `llm.input_messages.*` are dropped |
/// | `OPENINFERENCE_HIDE_OUTPUT_MESSAGES` | ``hideOutputMessages`` | `llm.output_messages.*` are dropped |
/// | `OPENINFERENCE_HIDE_INPUT_IMAGES` | ``hideInputImages`` | images in input messages are dropped |
/// | `OPENINFERENCE_HIDE_INPUT_TEXT` | ``hideInputText`` | text of input messages becomes `__REDACTED__` |
/// | `OPENINFERENCE_HIDE_OUTPUT_TEXT` | ``hideOutputText`` | text of output messages becomes `__REDACTED__` |
/// | `OPENINFERENCE_HIDE_EMBEDDING_VECTORS` | ``hideEmbeddingVectors`` | `embedding.vector` is dropped |
/// | `OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS` | ``hideLLMInvocationParameters`` | `llm.invocation_parameters` is dropped |
/// | `OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH` | ``base64ImageMaxLength`` | longer `data:` image URLs become `__REDACTED__` (default 32000) |
/// | `OPENINFERENCE_MAX_ATTRIBUTE_LENGTH` | ``maxAttributeLength`` | longer strings are truncated (UTF-8 bytes, default 65536) |
///
/// Boolean variables accept `true`/`false` (any case), `1`/`0`, `yes`/`no`.
///
/// The configuration in force is ``current``: a scope set with ``withTraceConfig(_:_:)`` if any, otherwise
/// ``global``, which starts from the environment and can be replaced in code.
public struct TraceConfig: Sendable, Hashable {
    public var hideInputs = false
    public var hideOutputs = false
    public var hideInputMessages = false
    public var hideOutputMessages = false
    public var hideInputImages = false
    public var hideInputText = false
    public var hideOutputText = false
    public var hideEmbeddingVectors = false
    public var hideLLMInvocationParameters = false
    /// `data:` image URLs longer than this many characters are replaced by ``redacted``.
    public var base64ImageMaxLength = 32_000
    /// String attributes longer than this many UTF-8 bytes are cut, with a note of the original size appended.
    public var maxAttributeLength = 65_536

    /// The value that replaces a hidden input, output or text.
    public static let redacted = "__REDACTED__"

    /// Records everything, caps attributes at 64 KiB.
    public static let `default` = TraceConfig()

    public init() {}

    /// Reads the `OPENINFERENCE_*` variables; unset or unreadable ones keep their defaults.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> TraceConfig {
        var config = TraceConfig()
        func flag(_ name: String, _ keyPath: WritableKeyPath<TraceConfig, Bool>) {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces).lowercased() else { return }
            switch raw {
            case "true", "1", "yes", "on": config[keyPath: keyPath] = true
            case "false", "0", "no", "off": config[keyPath: keyPath] = false
            default: break
            }
        }
        func number(_ name: String, _ keyPath: WritableKeyPath<TraceConfig, Int>) {
            if let raw = environment[name], let value = Int(raw.trimmingCharacters(in: .whitespaces)), value > 0 {
                config[keyPath: keyPath] = value
            }
        }
        flag("OPENINFERENCE_HIDE_INPUTS", \.hideInputs)
        flag("OPENINFERENCE_HIDE_OUTPUTS", \.hideOutputs)
        flag("OPENINFERENCE_HIDE_INPUT_MESSAGES", \.hideInputMessages)
        flag("OPENINFERENCE_HIDE_OUTPUT_MESSAGES", \.hideOutputMessages)
        flag("OPENINFERENCE_HIDE_INPUT_IMAGES", \.hideInputImages)
        flag("OPENINFERENCE_HIDE_INPUT_TEXT", \.hideInputText)
        flag("OPENINFERENCE_HIDE_OUTPUT_TEXT", \.hideOutputText)
        flag("OPENINFERENCE_HIDE_EMBEDDING_VECTORS", \.hideEmbeddingVectors)
        flag("OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS", \.hideEmbeddingVectors)
        flag("OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS", \.hideLLMInvocationParameters)
        number("OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH", \.base64ImageMaxLength)
        number("OPENINFERENCE_MAX_ATTRIBUTE_LENGTH", \.maxAttributeLength)
        return config
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

    /// Applies this configuration to one attribute: returns it unchanged, redacted, truncated,
    /// or `nil` when it must not be recorded at all.
    public func mask(_ key: String, _ value: SpanAttribute) -> SpanAttribute? {
        if hidesNothing {
            // The common case: only size limits apply.
            guard case .string(let text) = value else { return value }
            let length = text.utf8.count
            if length > base64ImageMaxLength, text.hasPrefix("data:"), key.hasPrefix(SemanticConventions.LLM.inputMessages) {
                return .string(Self.redacted)
            }
            return length > maxAttributeLength ? .string(Self.truncate(text, toUTF8Length: maxAttributeLength)) : value
        }
        let inputMessages = SemanticConventions.LLM.inputMessages
        let outputMessages = SemanticConventions.LLM.outputMessages
        switch key {
        case SemanticConventions.Input.value where hideInputs:
            return .string(Self.redacted)
        case SemanticConventions.Input.mimeType where hideInputs:
            return nil
        case SemanticConventions.Output.value where hideOutputs:
            return .string(Self.redacted)
        case SemanticConventions.Output.mimeType where hideOutputs:
            return nil
        case SemanticConventions.LLM.invocationParameters where hideLLMInvocationParameters:
            return nil
        default:
            break
        }
        if key.hasPrefix(inputMessages) {
            if hideInputs || hideInputMessages { return nil }
            if hideInputText && Self.isMessageText(key) { return .string(Self.redacted) }
            if key.hasSuffix(SemanticConventions.Image.url) {
                if hideInputImages { return nil }
                if case .string(let url) = value, url.hasPrefix("data:"), url.utf8.count > base64ImageMaxLength {
                    return .string(Self.redacted)
                }
            }
        } else if key.hasPrefix(outputMessages) {
            if hideOutputs || hideOutputMessages { return nil }
            if hideOutputText && Self.isMessageText(key) { return .string(Self.redacted) }
        } else if hideEmbeddingVectors, key.hasPrefix(SemanticConventions.Embedding.embeddings),
            key.hasSuffix(SemanticConventions.Embedding.vector)
        {
            return nil
        }
        if case .string(let text) = value, text.utf8.count > maxAttributeLength {
            return .string(Self.truncate(text, toUTF8Length: maxAttributeLength))
        }
        return value
    }

    private var hidesNothing: Bool {
        !(hideInputs || hideOutputs || hideInputMessages || hideOutputMessages || hideInputImages || hideInputText
            || hideOutputText || hideEmbeddingVectors || hideLLMInvocationParameters)
    }

    private static func isMessageText(_ key: String) -> Bool {
        key.hasSuffix(SemanticConventions.Message.content) || key.hasSuffix(SemanticConventions.MessageContent.text)
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
