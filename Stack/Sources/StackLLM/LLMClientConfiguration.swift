import Foundation

/// Where an OpenAI-compatible server lives and how to talk to it.
///
/// | Variable | Field | Default |
/// |---|---|---|
/// | `OPENAI_BASE_URL` | ``baseURL`` | `https://api.openai.com/v1` |
/// | `OPENAI_API_KEY` | ``apiKey`` (sent as a bearer token; never logged or traced) | none |
/// | `OPENAI_MODEL` | ``model`` | `gpt-4o-mini` |
/// | `OPENAI_EMBEDDING_MODEL` | ``embeddingModel`` | `text-embedding-3-small` |
/// | `OPENAI_RERANK_MODEL` | ``rerankModel``: when set, retrieval reranks through `POST /rerank` | none |
/// | `OPENAI_TIMEOUT` | ``timeout``, in seconds | 60 |
/// | `OPENAI_MAX_RETRIES` | ``maxRetries`` | 3 |
/// | `STACK_MODEL_PRICES` | ``prices``, extended by `model=prompt:completion,…` (USD per million tokens) | ``ModelPriceTable/default`` |
public struct LLMClientConfiguration: Sendable {
    /// The API root, ending in `/v1` (OpenAI, Ollama's `/v1`, vLLM, llama.cpp's server).
    public var baseURL: URL
    /// Sent as `Authorization: Bearer …`. Kept out of spans, logs and errors.
    public var apiKey: String?
    public var model: String
    public var embeddingModel: String
    /// The model of the server's `/rerank` endpoint, if it has one.
    public var rerankModel: String?
    /// The longest one HTTP attempt may take.
    public var timeout: Duration
    /// Retries after a 429, a 5xx or a failed connection, with exponential backoff honouring `Retry-After`.
    public var maxRetries: Int
    /// The first retry's delay; it doubles each time, up to ``maxBackoff``.
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// The `llm.system` and `llm.provider` recorded on spans.
    public var system: String
    public var provider: String?
    /// Turns token counts into `llm.cost.*` attributes and the cost metric.
    public var prices: ModelPriceTable

    public init(
        baseURL: URL = URL(string: "https://api.openai.com/v1")!,
        apiKey: String? = nil,
        model: String = "gpt-4o-mini",
        embeddingModel: String = "text-embedding-3-small",
        timeout: Duration = .seconds(60),
        maxRetries: Int = 3,
        initialBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(20),
        system: String = "openai",
        provider: String? = nil,
        prices: ModelPriceTable = .default
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.model = model
        self.embeddingModel = embeddingModel
        self.timeout = timeout
        self.maxRetries = max(0, maxRetries)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.system = system
        self.provider = provider
        self.prices = prices
    }

    /// Reads the variables in the table above over the defaults.
    ///
    /// - Throws: ``LLMClientError/invalidConfiguration(_:)`` when `OPENAI_BASE_URL` is not an http(s) URL.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LLMClientError) -> LLMClientConfiguration {
        var config = LLMClientConfiguration()
        if let raw = environment["OPENAI_BASE_URL"], !raw.isEmpty {
            guard let url = URL(string: raw), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
            else {
                throw .invalidConfiguration(
                    "OPENAI_BASE_URL is '\(raw)', which is not an http(s) URL; set it to the API root, e.g. http://localhost:8080/v1"
                )
            }
            config.baseURL = url
        }
        if let key = environment["OPENAI_API_KEY"], !key.isEmpty { config.apiKey = key }
        if let model = environment["OPENAI_MODEL"], !model.isEmpty { config.model = model }
        if let model = environment["OPENAI_EMBEDDING_MODEL"], !model.isEmpty { config.embeddingModel = model }
        if let model = environment["OPENAI_RERANK_MODEL"], !model.isEmpty { config.rerankModel = model }
        if let raw = environment["OPENAI_TIMEOUT"], let seconds = Double(raw), seconds > 0 {
            config.timeout = .milliseconds(Int(seconds * 1000))
        }
        if let raw = environment["OPENAI_MAX_RETRIES"], let retries = Int(raw), retries >= 0 { config.maxRetries = retries }
        if let raw = environment["STACK_MODEL_PRICES"], !raw.isEmpty { config.prices = try config.prices.merging(environmentValue: raw) }
        return config
    }
}
