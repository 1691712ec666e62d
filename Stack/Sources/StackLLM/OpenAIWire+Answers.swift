import OpenInference

extension OpenAIWire {
    /// A chat completion, or one chunk of a streamed one (`object` says which).
    public struct ChatCompletion: Codable, Sendable, Hashable {
        public var id: String?
        public var object: String?
        public var created: Int?
        public var model: String?
        public var choices: [Choice]?
        public var usage: Usage?

        public init(id: String?, object: String?, created: Int?, model: String?, choices: [Choice]?, usage: Usage? = nil) {
            self.id = id
            self.object = object
            self.created = created
            self.model = model
            self.choices = choices
            self.usage = usage
        }
    }

    /// One choice: a `message`, or in a stream a `delta`.
    public struct Choice: Codable, Sendable, Hashable {
        public var index: Int?
        public var message: Message?
        public var delta: Message?
        public var finishReason: String?

        public init(index: Int?, message: Message? = nil, delta: Message? = nil, finishReason: String?) {
            self.index = index
            self.message = message
            self.delta = delta
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case index, message, delta
            case finishReason = "finish_reason"
        }

        // A choice says `finish_reason: null` until it finishes, as OpenAI's does.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(index, forKey: .index)
            try container.encodeIfPresent(message, forKey: .message)
            try container.encodeIfPresent(delta, forKey: .delta)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    /// Token counts.
    public struct Usage: Codable, Sendable, Hashable {
        public var promptTokens: Int?
        public var completionTokens: Int?
        public var totalTokens: Int?
        public var promptTokensDetails: PromptDetails?
        public var completionTokensDetails: CompletionDetails?

        public struct PromptDetails: Codable, Sendable, Hashable {
            public var cachedTokens: Int?
            public var cacheWriteTokens: Int?
            public var audioTokens: Int?
            enum CodingKeys: String, CodingKey {
                case cachedTokens = "cached_tokens"
                case cacheWriteTokens = "cache_write_tokens"
                case audioTokens = "audio_tokens"
            }
        }

        public struct CompletionDetails: Codable, Sendable, Hashable {
            public var reasoningTokens: Int?
            public var audioTokens: Int?
            enum CodingKeys: String, CodingKey {
                case reasoningTokens = "reasoning_tokens"
                case audioTokens = "audio_tokens"
            }
        }

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case totalTokens = "total_tokens"
            case promptTokensDetails = "prompt_tokens_details"
            case completionTokensDetails = "completion_tokens_details"
        }

        /// The counts as OpenInference records them.
        public var tokenUsage: TokenUsage {
            TokenUsage(
                prompt: promptTokens,
                completion: completionTokens,
                total: totalTokens,
                promptCacheRead: promptTokensDetails?.cachedTokens,
                promptCacheWrite: promptTokensDetails?.cacheWriteTokens,
                completionReasoning: completionTokensDetails?.reasoningTokens,
                promptAudio: promptTokensDetails?.audioTokens,
                completionAudio: completionTokensDetails?.audioTokens
            )
        }

        /// OpenInference's counts in the wire shape (total filled in when both parts are known).
        public init(_ usage: TokenUsage) {
            promptTokens = usage.prompt ?? 0
            completionTokens = usage.completion ?? 0
            totalTokens = usage.total ?? (usage.prompt ?? 0) + (usage.completion ?? 0)
        }
    }

    /// `{"error": {"message": …}}`, the shape of an OpenAI error answer.
    public struct ErrorBody: Codable, Sendable, Hashable {
        public struct Detail: Codable, Sendable, Hashable { public var message: String? }
        public var error: Detail?
    }
}
