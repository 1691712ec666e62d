import Foundation
import OpenInference
import OpenInferenceTesting
import Testing

@Suite("Wire recorder: OpenAI Embeddings")
struct WireEmbeddingsTests {
    @Test("An embeddings call is an EMBEDDING span named CreateEmbeddings with texts, vectors, parameters, model and tokens")
    func embeddings() async throws {
        let request = #"{"model":"text-embedding-3-small","input":["red","blue"],"encoding_format":"float"}"#
        let response =
            #"{"object":"list","data":[{"object":"embedding","index":1,"embedding":[0.5,-1]},{"object":"embedding","index":0,"embedding":[0.25,2]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":2,"total_tokens":2}}"#
        let span = try await CannedExchange(url: "https://api.openai.com/v1/embeddings", request: request, response: [response]).record()
            .only(kind: .embedding)
        #expect(span.operationName == "CreateEmbeddings")
        #expect(span.attribute("llm.system") == "openai")
        #expect(span.attribute("embedding.model_name") == "text-embedding-3-small")
        #expect(span.jsonAttribute("embedding.invocation_parameters") == ["model": "text-embedding-3-small", "encoding_format": "float"])
        #expect(span.attribute("embedding.embeddings.0.embedding.text") == "red")
        #expect(span.attribute("embedding.embeddings.1.embedding.text") == "blue")
        #expect(span.attributes.get("embedding.embeddings.0.embedding.vector") == .doubleArray([0.25, 2]))
        #expect(span.attributes.get("embedding.embeddings.1.embedding.vector") == .doubleArray([0.5, -1]))
        #expect(span.intAttribute("llm.token_count.prompt") == 2)
        #expect(span.intAttribute("llm.token_count.total") == 2)
        #expect(span.attribute("output.mime_type") == "application/json")
    }
}
