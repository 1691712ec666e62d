/// The `llm.provider` value for a model server's host, as the reference OpenAI instrumentation infers it
/// (`infer_llm_provider_from_host` in `openinference-instrumentation`).
///
/// A host matches a suffix when it equals it or ends with `.` and the suffix; the first match wins. Hosts
/// that match nothing (a local server, say) have no provider, and the attribute is left out.
///
/// ```swift
/// LLMProvider.inferred(fromHost: "api.openai.com")          // "openai"
/// LLMProvider.inferred(fromHost: "eastus.openai.azure.com") // "azure"
/// LLMProvider.inferred(fromHost: "127.0.0.1")               // nil
/// ```
public enum LLMProvider {
    /// Host suffixes and the provider each names, in the reference's order.
    static let hostSuffixes: [(suffix: String, provider: String)] = [
        ("api.openai.com", "openai"),
        ("openai.azure.com", "azure"), ("services.ai.azure.com", "azure"), ("cognitiveservices.azure.com", "azure"),
        ("api.anthropic.com", "anthropic"),
        ("api.cohere.com", "cohere"), ("api.cohere.ai", "cohere"),
        ("api.mistral.ai", "mistralai"),
        ("generativelanguage.googleapis.com", "google"), ("aiplatform.googleapis.com", "google"),
        ("amazonaws.com", "aws"),
        ("api.x.ai", "xai"),
        ("api.deepseek.com", "deepseek"),
        ("api.groq.com", "groq"),
        ("api.fireworks.ai", "fireworks"),
        ("api.moonshot.cn", "moonshot"),
        ("api.cerebras.ai", "cerebras"),
        ("api.perplexity.ai", "perplexity"),
        ("api.together.ai", "together"), ("api.together.xyz", "together"),
        ("ollama.com", "ollama"),
        ("api.meta.ai", "meta"),
        ("api.z.ai", "zai"),
        ("api.minimax.io", "minimax"), ("api.minimaxi.com", "minimax"), ("api.minimax.chat", "minimax"),
        ("oci.oraclecloud.com", "oracle"),
        ("api.typesafe.ai", "typesafe"),
    ]

    /// `name` as `llm.provider` and `llm.system` record it: lowercased, as the reference records a
    /// free-form vendor name (`OpenAI` becomes `openai`), so one vendor is spelled one way on every span.
    /// A name already in lowercase ASCII is returned as it is, without a copy.
    public static func normalized(_ name: String) -> String {
        if name.utf8.allSatisfy({ $0 < 0x80 && !($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) }) { return name }
        return name.lowercased()
    }

    /// The provider serving `host`, or `nil` when the host is not a known provider's.
    public static func inferred(fromHost host: String) -> String? {
        let host = host.lowercased()
        return hostSuffixes.first { host == $0.suffix || host.hasSuffix("." + $0.suffix) }?.provider
    }
}
