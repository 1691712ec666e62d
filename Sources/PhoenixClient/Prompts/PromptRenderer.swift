#if Phoenix
import Foundation
import Mustache

/// Fills a template in one of Phoenix's formats: Mustache (`{{name}}`, unescaped) or f-string (`{name}`,
/// with `{{`/`}}` as literal braces).
enum PromptRenderer {
    static func render(
        _ template: String,
        format: PhoenixPrompt.Format,
        variables: [String: String]
    ) throws(PromptRenderingError) -> String {
        switch format {
        case .none:
            return template
        case .mustache:
            do {
                // Prompts are text, not HTML: no escaping of `<`, `&` or quotes.
                let parsed = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + template)
                return parsed.render(variables)
            } catch {
                throw PromptRenderingError(code: .malformedTemplate, detail: String(describing: error))
            }
        case .fString:
            return try renderFString(template, variables: variables)
        }
    }

    private static func renderFString(_ template: String, variables: [String: String]) throws(PromptRenderingError) -> String {
        var output = ""
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            let next = template.index(after: index)
            if character == "{" {
                if next < template.endIndex, template[next] == "{" {
                    output.append("{")
                    index = template.index(after: next)
                    continue
                }
                guard let close = template[next...].firstIndex(of: "}") else {
                    throw PromptRenderingError(code: .malformedTemplate, detail: "a `{` without its `}`")
                }
                let name = template[next..<close].trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, !name.contains("{") else {
                    throw PromptRenderingError(code: .malformedTemplate, detail: "`{\(name)}` is not a variable name")
                }
                guard let value = variables[name] else { throw PromptRenderingError(code: .missingVariable, detail: name) }
                output += value
                index = template.index(after: close)
            } else if character == "}" {
                guard next < template.endIndex, template[next] == "}" else {
                    throw PromptRenderingError(code: .malformedTemplate, detail: "a `}` without its `{` (write `}}` for a brace)")
                }
                output.append("}")
                index = template.index(after: next)
            } else {
                output.append(character)
                index = next
            }
        }
        return output
    }
}
#endif  // Phoenix
