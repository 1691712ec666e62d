import Foundation
import OpenInference

/// OpenAI's chat-completions wire format, as `Codable` types: the one model of it in the project. The
/// client encodes its requests and decodes answers with it; `stack serve`'s pass-through decodes requests
/// and encodes answers with the same types. Field names follow the API (`max_tokens`, `tool_calls`, …).
public enum OpenAIWire {
    /// The encoder for bodies: compact, keys sorted (so equal requests are equal text), slashes unescaped.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `POST /chat/completions`. Fields the type does not name are kept in ``extra`` and sent as given.
    public struct ChatCompletionRequest: Codable, Sendable, Hashable {
        public var model: String?
        public var messages: [Message]
        public var temperature: Double?
        public var maxTokens: Int?
        public var maxCompletionTokens: Int?
        public var tools: [Tool]?
        public var toolChoice: ToolChoice?
        public var stream: Bool?
        public var streamOptions: StreamOptions?
        /// Every other field (`top_p`, `seed`, `response_format`, …).
        public var extra: [String: OpenInferenceJSON]

        /// A request for `messages`; set the other fields as needed.
        public init(model: String? = nil, messages: [Message]) {
            self.model = model
            self.messages = messages
            self.extra = [:]
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case model, messages, temperature, tools, stream
            case maxTokens = "max_tokens"
            case maxCompletionTokens = "max_completion_tokens"
            case toolChoice = "tool_choice"
            case streamOptions = "stream_options"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            model = try container.decodeIfPresent(String.self, forKey: .model)
            messages = try container.decode([Message].self, forKey: .messages)
            temperature = try container.decodeIfPresent(Double.self, forKey: .temperature)
            maxTokens = try container.decodeIfPresent(Int.self, forKey: .maxTokens)
            maxCompletionTokens = try container.decodeIfPresent(Int.self, forKey: .maxCompletionTokens)
            tools = try container.decodeIfPresent([Tool].self, forKey: .tools)
            toolChoice = try container.decodeIfPresent(ToolChoice.self, forKey: .toolChoice)
            stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
            streamOptions = try container.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
            let known = Set(CodingKeys.allCases.map(\.rawValue))
            let all = try decoder.container(keyedBy: AnyKey.self)
            var extra: [String: OpenInferenceJSON] = [:]
            for key in all.allKeys where !known.contains(key.stringValue) {
                extra[key.stringValue] = try all.decode(OpenInferenceJSON.self, forKey: key)
            }
            self.extra = extra
        }

        public func encode(to encoder: any Encoder) throws {
            var extraContainer = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in extra where CodingKeys(rawValue: key) == nil {
                try extraContainer.encode(value, forKey: AnyKey(key))
            }
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(model, forKey: .model)
            try container.encode(messages, forKey: .messages)
            try container.encodeIfPresent(temperature, forKey: .temperature)
            try container.encodeIfPresent(maxTokens, forKey: .maxTokens)
            try container.encodeIfPresent(maxCompletionTokens, forKey: .maxCompletionTokens)
            try container.encodeIfPresent(tools, forKey: .tools)
            try container.encodeIfPresent(toolChoice, forKey: .toolChoice)
            try container.encodeIfPresent(stream, forKey: .stream)
            try container.encodeIfPresent(streamOptions, forKey: .streamOptions)
        }
    }

    /// `stream_options`.
    public struct StreamOptions: Codable, Sendable, Hashable {
        public var includeUsage: Bool?
        public init(includeUsage: Bool?) { self.includeUsage = includeUsage }
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    /// One message of a request or an answer (`delta` in a stream chunk).
    public struct Message: Codable, Sendable, Hashable {
        public var role: String?
        public var content: Content?
        public var name: String?
        public var toolCallID: String?
        public var toolCalls: [ToolCall]?
        /// The legacy single function call some servers still send beside `tool_calls`.
        public var functionCall: FunctionCall?

        public init(role: String?, content: Content? = nil, name: String? = nil, toolCallID: String? = nil, toolCalls: [ToolCall]? = nil) {
            self.role = role
            self.content = content
            self.name = name
            self.toolCallID = toolCallID
            self.toolCalls = toolCalls
        }

        enum CodingKeys: String, CodingKey {
            case role, content, name
            case toolCallID = "tool_call_id"
            case toolCalls = "tool_calls"
            case functionCall = "function_call"
        }
    }

    /// A message's content: a string, or parts (text and images).
    public enum Content: Codable, Sendable, Hashable {
        case text(String)
        case parts([ContentPart])

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .parts(try container.decode([ContentPart].self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .parts(let parts): try container.encode(parts)
            }
        }
    }

    /// One part of a multi-part message: `{"type":"text","text":…}` or `{"type":"image_url","image_url":{"url":…}}`.
    public struct ContentPart: Codable, Sendable, Hashable {
        public var type: String
        public var text: String?
        public var imageURL: ImageURL?

        public struct ImageURL: Codable, Sendable, Hashable {
            public var url: String
            public init(url: String) { self.url = url }
        }

        public init(type: String, text: String? = nil, imageURL: ImageURL? = nil) {
            self.type = type
            self.text = text
            self.imageURL = imageURL
        }

        enum CodingKeys: String, CodingKey {
            case type, text
            case imageURL = "image_url"
        }
    }

    /// A tool call of an assistant message (in a stream, a fragment of one, by `index`).
    public struct ToolCall: Codable, Sendable, Hashable {
        public var index: Int?
        public var id: String?
        public var type: String?
        public var function: FunctionCall?

        public init(index: Int? = nil, id: String?, type: String? = "function", function: FunctionCall?) {
            self.index = index
            self.id = id
            self.type = type
            self.function = function
        }
    }

    /// The function of a tool call: its name and its arguments as JSON text.
    public struct FunctionCall: Codable, Sendable, Hashable {
        public var name: String?
        public var arguments: String?
        public init(name: String?, arguments: String?) {
            self.name = name
            self.arguments = arguments
        }
    }

    /// A tool offered to the model: `{"type":"function","function":{name, description, parameters}}`.
    public struct Tool: Codable, Sendable, Hashable {
        public var type: String
        public var function: FunctionDefinition

        public struct FunctionDefinition: Codable, Sendable, Hashable {
            public var name: String
            public var description: String?
            public var parameters: OpenInferenceJSON?
        }

        public init(name: String, description: String?, parameters: OpenInferenceJSON?) {
            self.type = "function"
            self.function = FunctionDefinition(name: name, description: description, parameters: parameters)
        }
    }

    /// `tool_choice`: `auto`, `none`, `required`, or one function by name.
    public enum ToolChoice: Codable, Sendable, Hashable {
        case auto, none, required
        case function(String)

        struct Named: Codable {
            var type: String?
            var function: FunctionCall
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let word = try? container.decode(String.self) {
                switch word {
                case "auto": self = .auto
                case "none": self = .none
                case "required": self = .required
                default:
                    throw DecodingError.dataCorruptedError(
                        in: container, debugDescription: "should be auto, none, required or {type: function, function: {name}}")
                }
                return
            }
            guard let name = try container.decode(Named.self).function.name else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "names no function")
            }
            self = .function(name)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .auto: try container.encode("auto")
            case .none: try container.encode("none")
            case .required: try container.encode("required")
            case .function(let name): try container.encode(Named(type: "function", function: FunctionCall(name: name, arguments: nil)))
            }
        }
    }

    /// A key for fields the types do not name.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
