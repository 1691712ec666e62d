import Testing
import _OpenInferenceHTTP

@Suite("Allowed hosts: the DNS-rebinding rule")
struct AllowedHostsTests {
    @Test(
        "Host follows the address listened on: loopback names on loopback, the address itself elsewhere, nothing on a wildcard",
        arguments: [
            ("127.0.0.1", 8080, "localhost:8080", true), ("127.0.0.1", 8080, "127.0.0.1:9999", true),
            ("127.0.0.1", 8080, "[::1]:8080", true), ("127.0.0.1", 8080, "localhost", true), ("::1", 8080, "attacker.example:8080", false),
            ("127.0.0.1", 8080, "attacker.example", false), ("127.0.0.1", 8080, "localhost.attacker.example:8080", false),
            ("192.168.1.5", 9000, "192.168.1.5:9000", true), ("192.168.1.5", 9000, "192.168.1.5:9001", false),
            ("192.168.1.5", 0, "192.168.1.5:4242", true), ("192.168.1.5", 9000, "evil.example:9000", false),
            ("0.0.0.0", 8080, "anything.example:8080", true),
        ]
    )
    func hosts(listening: String, port: Int, host: String, allowed: Bool) {
        #expect(AllowedHosts(listeningOn: listening, port: port).allows(host: host) == allowed)
    }

    @Test("Origin is judged by the same names over http and https; 'null' and other names are refused")
    func origins() {
        let allowed = AllowedHosts(listeningOn: "127.0.0.1", port: 8080)
        #expect(allowed.allows(origin: "http://127.0.0.1:8080"))
        #expect(allowed.allows(origin: "https://localhost:3000"))
        #expect(!allowed.allows(origin: "http://attacker.example:8080"))
        #expect(!allowed.allows(origin: "null"))
    }

    @Test("Extra names are accepted with any port or none, and turn the check on for a wildcard address")
    func extraNames() {
        let allowed = AllowedHosts(listeningOn: "0.0.0.0", port: 8080, extra: ["Stack.Example.com", "proxy.internal:8443"])
        #expect(allowed.isChecking)
        #expect(allowed.allows(host: "stack.example.com"))
        #expect(allowed.allows(host: "stack.example.com:443"))
        #expect(allowed.allows(host: "proxy.internal:8443"))
        #expect(!allowed.allows(host: "proxy.internal:8444"))
        #expect(!allowed.allows(host: "attacker.example:8080"))
        #expect(allowed.allows(origin: "https://stack.example.com"))
    }
}
