import Foundation

/// The parsing rules for configuration values read from environment variables, shared by
/// ``TraceConfig`` and the application's configuration reader so every variable of the project reads the
/// same way.
///
/// - Booleans: `true`, `yes`, `1` and `false`, `no`, `0`, in any case, surrounding spaces ignored: the rule of
///   apple/swift-configuration, which the application's reader is built on.
/// - Positive integers: decimal digits, greater than zero; integers: an optional sign and decimal digits.
///
/// An unset or empty variable is `nil`; a set one that does not parse throws an ``EnvironmentValueError``
/// naming the variable, the value and a valid example.
@_spi(OpenInferenceInternal) public enum EnvironmentValue {
    /// The boolean in `name`, or `nil` when it is unset or empty.
    public static func bool(_ name: String, in environment: [String: String]) throws(EnvironmentValueError) -> Bool? {
        guard let raw = trimmed(name, in: environment) else { return nil }
        switch raw.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw EnvironmentValueError(variable: name, value: raw, expected: "true or false")
        }
    }

    /// The positive integer in `name`, or `nil` when it is unset or empty.
    public static func positiveInt(_ name: String, in environment: [String: String]) throws(EnvironmentValueError) -> Int? {
        guard let raw = trimmed(name, in: environment) else { return nil }
        guard let value = Int(raw), value > 0 else {
            throw EnvironmentValueError(variable: name, value: raw, expected: "a positive whole number such as 4096")
        }
        return value
    }

    /// The integer in `name` (negative and zero included), or `nil` when it is unset or empty.
    public static func int(_ name: String, in environment: [String: String]) throws(EnvironmentValueError) -> Int? {
        guard let raw = trimmed(name, in: environment) else { return nil }
        guard let value = Int(raw) else {
            throw EnvironmentValueError(variable: name, value: raw, expected: "a whole number such as 32000")
        }
        return value
    }

    private static func trimmed(_ name: String, in environment: [String: String]) -> String? {
        guard let raw = environment[name] else { return nil }
        let value = raw.trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }
}
