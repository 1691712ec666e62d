import Foundation
import PhoenixClient
import Testing

/// Prompt versions and tags through the generated client, against a real Phoenix.
@Suite("Prompts in a live Phoenix", .enabled(if: PhoenixEnvironment.isRequired || PhoenixEnvironment.baseURL != nil))
struct PhoenixPromptTests {
    @Test("A pushed template round-trips; a tag keeps pointing at its version while latest moves on")
    func pushPullAndTags() async throws {
        let baseURL = try #require(PhoenixEnvironment.baseURL, "STACK_PHOENIX_URL is not set; run `make test`")
        let phoenix = PhoenixClient(baseURL: baseURL)
        let name = "stack-it-\(UUID().uuidString.prefix(8).lowercased())"
        let first = "You answer questions about {{topic}}.\nCite passage ids & be brief <always>."
        let pushed = try await phoenix.pushPrompt(name: name, template: first, format: .mustache, tag: "production")
        #expect(pushed.template == first)
        #expect(pushed.url == baseURL.absoluteString + "/v1/prompt_versions/\(pushed.versionID)")

        let tagged = try await phoenix.prompt(named: name, tag: "production")
        #expect(tagged.versionID == pushed.versionID)
        #expect(tagged.template == first)
        #expect(tagged.format == .mustache)
        #expect(try tagged.render(["topic": "SQLite"]) == "You answer questions about SQLite.\nCite passage ids & be brief <always>.")

        let second = try await phoenix.pushPrompt(name: name, template: "Answer about {topic}.", format: .fString)
        #expect(second.versionID != pushed.versionID)
        let latest = try await phoenix.prompt(named: name)
        #expect(latest.versionID == second.versionID)
        #expect(latest.format == .fString)
        #expect(try await phoenix.prompt(named: name, tag: "production").versionID == pushed.versionID)
    }

    @Test("An unknown prompt or tag is a 404 naming the route")
    func unknownPrompt() async throws {
        let baseURL = try #require(PhoenixEnvironment.baseURL, "STACK_PHOENIX_URL is not set; run `make test`")
        let phoenix = PhoenixClient(baseURL: baseURL)
        await #expect {
            try await phoenix.prompt(named: "no-such-prompt-\(UUID().uuidString.prefix(8).lowercased())", tag: "production")
        } throws: { error in
            if let error = error as? PhoenixClientError, error.status == 404 { return error.path?.contains("/tags/production") == true }
            return false
        }
    }
}
