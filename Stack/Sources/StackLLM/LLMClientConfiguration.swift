import Foundation
import _OpenInferenceConfiguration

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
///
/// Metrics label a model by its name only when it is configured here or priced (``metricModelNames``);
/// others are `other`.
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
    /// Other secrets of the process (a service's own API keys, say) to take out of the server's error
    /// bodies before they reach an error or a span; ``apiKey`` and the credentials in ``baseURL`` always are.
    public var redactedSecrets: [String] = []

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
    /// The model names metrics carry as themselves: the configured models and those the price table
    /// names. Any other name a caller picks (or a server answers with) is counted as
    /// ``otherModelLabel``, so callers cannot grow the number of series without bound.
    public var metricModelNames: Set<String> {
        prices.modelNames.union([model, embeddingModel] + (rerankModel.map { [$0] } ?? []))
    }

    /// The `model` label of every model outside ``metricModelNames``.
    public static let otherModelLabel = "other"

    /// `name` as a metric label: itself when in ``metricModelNames``, else ``otherModelLabel``.
    public func metricLabel(model name: String) -> String {
        metricModelNames.contains(name) ? name : Self.otherModelLabel
    }

    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(LLMClientError) -> LLMClientConfiguration {
        let reader = ConfigurationReader(environment)
        var config = LLMClientConfiguration()
        do {
            if let url = try reader.url("OPENAI_BASE_URL", example: "http://localhost:8080/v1") { config.baseURL = url }
            if let seconds = try reader.seconds("OPENAI_TIMEOUT") { config.timeout = seconds }
            if let retries = try reader.int("OPENAI_MAX_RETRIES", in: 0...100, expected: "a whole number of retries such as 3") {
                config.maxRetries = retries
            }
        } catch {
            throw .invalidConfiguration(error.description)
        }
        if let key = reader.string("OPENAI_API_KEY", isSecret: true) { config.apiKey = key }
        if let model = reader.string("OPENAI_MODEL") { config.model = model }
        if let model = reader.string("OPENAI_EMBEDDING_MODEL") { config.embeddingModel = model }
        if let model = reader.string("OPENAI_RERANK_MODEL") { config.rerankModel = model }
        if let raw = reader.string("STACK_MODEL_PRICES") { config.prices = try config.prices.merging(environmentValue: raw) }
        return config
    }
}
