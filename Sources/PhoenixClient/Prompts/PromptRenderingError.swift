#if Phoenix
/// Why a prompt template could not be filled, and what to fix.
public struct PromptRenderingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// The template does not parse (an unclosed Mustache section, a stray `{` in an f-string).
        case malformedTemplate
        /// An f-string variable has no value.
        case missingVariable
    }

    /// What went wrong.
    public var code: Code
    /// The offending detail: the parser's message or the variable's name.
    public var detail: String

    /// An error with the given code and detail.
    public init(code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String {
        switch code {
        case .malformedTemplate: "the prompt template does not parse (\(detail)); fix it in Phoenix or with `stack prompt push`"
        case .missingVariable: "the prompt template uses {\(detail)} but no value was given for it"
        }
    }
}
#endif  // Phoenix
