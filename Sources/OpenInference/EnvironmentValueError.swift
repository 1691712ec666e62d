/// A configuration variable that is set to a value its reader cannot use.
///
/// The description names the variable and says what a valid value looks like, for example
/// `OPENINFERENCE_HIDE_INPUTS=maybe is not valid: use true or false`. Values are only echoed for
/// variables that hold no secrets (the `OPENINFERENCE_*` switches and numbers).
public struct EnvironmentValueError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The environment variable.
    public let variable: String
    /// The value that did not parse.
    public let value: String
    /// What a valid value looks like.
    public let expected: String

    /// Creates the error for `variable` holding `value`, with `expected` describing a valid value.
    public init(variable: String, value: String, expected: String) {
        self.variable = variable
        self.value = value
        self.expected = expected
    }

    public var description: String { "\(variable)=\(value) is not valid: use \(expected)" }
}
