import StackService
import Testing

@Suite("Configuration values that hold secrets")
struct SecretConfigurationTests {
    @Test("Printing or dumping a service configuration shows neither the API keys nor the feedback secret")
    func configurationDoesNotLeak() throws {
        let secret = String(repeating: "s3cr3t-", count: 6)
        let configuration = try ServiceConfiguration.fromEnvironment([
            "STACK_API_KEYS": "sk-live-123=alice,sk-ops-456=ops:admin", "STACK_FEEDBACK_SECRET": secret,
        ])
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [String(describing: configuration), String(reflecting: configuration), dumped] {
            #expect(!text.contains("sk-live-123") && !text.contains("sk-ops-456") && !text.contains("s3cr3t"))
        }
    }
}
