import ArgumentParser
import Foundation
import PhoenixClient

/// `stack prompt push|pull`: prompt versions kept in Phoenix.
struct PromptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt",
        abstract: "Save prompt versions to Phoenix and read them back.",
        discussion: "The agent takes its system prompt from Phoenix with STACK_PROMPT=name or name:tag.",
        subcommands: [Push.self, Pull.self]
    )

    /// `stack prompt push NAME --file F [--tag T] [--format F]`.
    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Save a file's text as a new version of a prompt (and tag it).")

        @Argument(help: "The prompt's name: lowercase letters, digits, '-' and '_'.")
        var name: String

        @Option(help: "The file holding the template.")
        var file: String

        @Option(help: "A tag to point at the new version, such as 'production'.")
        var tag: String?

        @Option(help: "How the template marks variables: MUSTACHE ({{name}}), F_STRING ({name}) or NONE.")
        var format: String = PhoenixPrompt.Format.mustache.rawValue

        @Option(help: "A description of this version.")
        var description: String?

        func run() async throws {
            CommandEnvironment.current.announce()
            guard let format = PhoenixPrompt.Format(rawValue: format.uppercased()) else {
                throw ValidationError("--format should be MUSTACHE, F_STRING or NONE, not '\(format)'")
            }
            let template: String
            do {
                template = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read the template file \(file): \(error.localizedDescription)")
            }
            guard !template.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ValidationError("the template file \(file) is empty")
            }
            do {
                _ = try PhoenixPrompt(name: name, versionID: "", template: template, format: format, modelName: "").render(
                    Self.placeholderValues(template)
                )
            } catch {
                throw ValidationError("the template in \(file) is not valid \(format.rawValue): \(error)")
            }
            let phoenix = try CommandEnvironment.current.phoenix()
            let prompt = try await phoenix.pushPrompt(name: name, template: template, format: format, description: description, tag: tag)
            print("pushed \(name) version \(prompt.versionID)\(tag.map { " tagged \($0)" } ?? "")")
        }

        /// A value for every `{name}` of an f-string template, so a check renders it without missing variables.
        static func placeholderValues(_ template: String) -> [String: String] {
            var values: [String: String] = [:]
            var rest = Substring(template)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                values[rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)] = ""
                rest = rest[rest.index(after: close)...]
            }
            return values
        }
    }

    /// `stack prompt pull NAME [--tag T]`.
    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a prompt's template (the tagged version, or the latest).")

        @Argument(help: "The prompt's name.")
        var name: String

        @Option(help: "The tag of the version to print; without it, the latest version.")
        var tag: String?

        func run() async throws {
            CommandEnvironment.current.announce()
            let phoenix = try CommandEnvironment.current.phoenix()
            let prompt = try await phoenix.prompt(named: name, tag: tag)
            FileHandle.standardError.write(Data("stack: \(name) version \(prompt.versionID), \(prompt.format.rawValue)\n".utf8))
            print(prompt.template, terminator: prompt.template.hasSuffix("\n") ? "" : "\n")
        }
    }
}
