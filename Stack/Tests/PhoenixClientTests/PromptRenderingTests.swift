import PhoenixClient
import Testing

@Suite("Prompt templates in Phoenix's formats")
struct PromptRenderingTests {
    static func prompt(_ template: String, _ format: PhoenixPrompt.Format) -> PhoenixPrompt {
        PhoenixPrompt(name: "p", versionID: "v1", template: template, format: format, modelName: "m")
    }

    @Test(
        "Variables are filled in each format; text is never HTML-escaped",
        arguments: [
            ("Hello {{name}} & <co>", PhoenixPrompt.Format.mustache, "Hello Ana <3 & <co>"),
            ("{{#tools}}Tools: {{tools}}{{/tools}}", .mustache, "Tools: search"),
            ("Hello {name}, use {{braces}} literally", .fString, "Hello Ana <3, use {braces} literally"),
            ("{ name } uses {tools}", .fString, "Ana <3 uses search"),
            ("Keep {name} and {{name}} as written", .none, "Keep {name} and {{name}} as written"),
        ]
    )
    func fillsVariables(template: String, format: PhoenixPrompt.Format, expected: String) throws {
        #expect(try Self.prompt(template, format).render(["name": "Ana <3", "tools": "search"]) == expected)
    }

    @Test("A Mustache variable without a value renders empty, as Mustache specifies")
    func mustacheMissingVariableIsEmpty() throws {
        #expect(try Self.prompt("a{{missing}}b", .mustache).render() == "ab")
    }

    @Test(
        "Malformed templates and missing f-string variables are errors that name the problem",
        arguments: [
            ("Hello {name", PhoenixPrompt.Format.fString, PromptRenderingError.Code.malformedTemplate),
            ("Hello name}", .fString, .malformedTemplate),
            ("Hello {}", .fString, .malformedTemplate),
            ("Hello {who}", .fString, .missingVariable),
            ("{{#open}}never closed", .mustache, .malformedTemplate),
        ]
    )
    func rejectsBadTemplates(template: String, format: PhoenixPrompt.Format, code: PromptRenderingError.Code) {
        #expect {
            _ = try Self.prompt(template, format).render(["name": "Ana"])
        } throws: { error in
            (error as? PromptRenderingError)?.code == code
        }
    }

    @Test("The span template carries the version, the registry's id, link and name, and the variables")
    func spanTemplate() {
        var prompt = Self.prompt("Hi {{name}}", .mustache)
        prompt.url = "http://phoenix/v1/prompt_versions/v1"
        let template = prompt.spanTemplate(variables: ["name": "Ana"])
        #expect(template.template == "Hi {{name}}")
        #expect(template.version == "v1")
        #expect(template.id == "v1")
        #expect(template.url == "http://phoenix/v1/prompt_versions/v1")
        #expect(template.vendor == "phoenix")
        #expect(template.variables == ["name": .string("Ana")])
    }

    @Test(
        "STACK_PROMPT is name or name:tag",
        arguments: [
            ("agent", PromptReference(name: "agent")),
            ("agent:production", PromptReference(name: "agent", tag: "production")),
            (":production", nil),
            ("agent:", nil),
        ]
    )
    func parsesReference(text: String, expected: PromptReference?) {
        #expect(PromptReference(parsing: text) == expected)
    }
}
