#if Phoenix
import OpenInference
import _OpenInferenceConfiguration

/// Which prompt to use from Phoenix: a name and an optional tag, written `name` or `name:tag`
/// (`STACK_PROMPT`).
public struct PromptReference: Sendable, Hashable, CustomStringConvertible {
    /// The prompt's name.
    public var name: String
    /// The tag that picks the version; `nil` means the latest version.
    public var tag: String?

    /// A reference to `name`, at `tag` or the latest version.
    public init(name: String, tag: String? = nil) {
        self.name = name
        self.tag = tag
    }

    /// Parses `name` or `name:tag`; `nil` when the name or the tag is empty.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let name = parts.first, !name.isEmpty else { return nil }
        if parts.count == 2, parts[1].isEmpty { return nil }
        self.init(name: name, tag: parts.count == 2 ? parts[1] : nil)
    }

    /// The reference in `STACK_PROMPT` (`name` or `name:tag`); `nil` when the variable is unset.
    ///
    /// - Throws: `EnvironmentValueError` when it is set but not of that form.
    public static func fromEnvironment(_ environment: [String: String]) throws(EnvironmentValueError) -> PromptReference? {
        let reader = ConfigurationReader(environment)
        guard let raw = reader.string("STACK_PROMPT") else { return nil }
        guard let reference = PromptReference(parsing: raw) else {
            throw reader.invalid("STACK_PROMPT", expected: "a prompt name, or name:tag, as pushed with `stack prompt push`")
        }
        return reference
    }

    public var description: String { tag.map { "\(name):\($0)" } ?? name }
}
#endif  // Phoenix
