#if Telemetry || Phoenix
import Configuration
import Foundation
import OpenInference

/// The one reader of the project's environment variables, on apple/swift-configuration: every module
/// and executable of the application reads its variables through it, with one rule per kind of value.
///
/// - Strings: surrounding spaces are trimmed; an empty value counts as unset.
/// - Booleans: swift-configuration's rule, `true`/`yes`/`1` and `false`/`no`/`0` in any case (OpenInference's
///   ``EnvironmentValue``, which its library reads alone, follows the same rule).
/// - Numbers: swift-configuration's; positive integers, milliseconds, seconds and ratios are checked here.
/// - URLs: absolute `http` or `https` URLs with a host.
///
/// A set value that does not parse throws ``EnvironmentValueError`` naming the variable and a valid example
/// (the value is left out for secrets). Callers decide once what that means: the service and the CLI stop
/// at start with the message; telemetry, which must never stop an application, reports it as a warning and
/// keeps the default, as the OpenTelemetry specification asks of SDKs.
public struct ConfigurationReader: Sendable {
    private let reader: ConfigReader
    private let values: [String: String]

    /// A reader of `environment` (by default the process's), values trimmed and empty ones dropped.
    public init(_ environment: [String: String] = ProcessInfo.processInfo.environment) {
        var values: [String: String] = [:]
        for (name, raw) in environment {
            let value = raw.trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { values[name] = value }
        }
        self.values = values
        self.reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: values))
    }

    /// The value of `variable`, or `nil` when it is unset or empty.
    public func string(_ variable: String, isSecret: Bool = false) -> String? {
        reader.string(forKey: Self.key(variable), isSecret: isSecret)
    }

    /// `STACK_CACHE_DIR`, or `~/.cache/stack`: where the project keeps its venvs, run folders, indexes and queues.
    public var cacheDirectory: URL {
        string("STACK_CACHE_DIR").map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/stack")
    }

    /// The boolean in `variable`, or `nil` when it is unset.
    public func bool(_ variable: String) throws(EnvironmentValueError) -> Bool? {
        try parsed(variable, expected: "true or false") { try reader.requiredBool(forKey: $0) }
    }

    /// The positive whole number in `variable`, or `nil` when it is unset.
    public func positiveInt(_ variable: String, example: Int = 4096) throws(EnvironmentValueError) -> Int? {
        let value = try parsed(variable, expected: "a positive whole number such as \(example)") { try reader.requiredInt(forKey: $0) }
        guard let value else { return nil }
        guard value > 0 else { throw invalid(variable, expected: "a positive whole number such as \(example)") }
        return value
    }

    /// The whole number in `variable` within `range`, or `nil` when it is unset.
    public func int(_ variable: String, in range: ClosedRange<Int>, expected: String) throws(EnvironmentValueError) -> Int? {
        let value = try parsed(variable, expected: expected) { try reader.requiredInt(forKey: $0) }
        guard let value else { return nil }
        guard range.contains(value) else { throw invalid(variable, expected: expected) }
        return value
    }

    /// A duration given in whole milliseconds (the OpenTelemetry variables' unit), or `nil` when unset.
    public func milliseconds(_ variable: String) throws(EnvironmentValueError) -> Duration? {
        try positiveInt(variable, example: 5000).map { .milliseconds($0) }
    }

    /// A duration given in seconds, fractions allowed, or `nil` when unset.
    public func seconds(_ variable: String) throws(EnvironmentValueError) -> Duration? {
        let expected = "a positive number of seconds such as 30 or 2.5"
        let value = try parsed(variable, expected: expected) { try reader.requiredDouble(forKey: $0) }
        guard let value else { return nil }
        guard value > 0, value.isFinite else { throw invalid(variable, expected: expected) }
        return .milliseconds(Int64(value * 1000))
    }

    /// A ratio from 0 to 1, or `nil` when unset.
    public func ratio(_ variable: String) throws(EnvironmentValueError) -> Double? {
        let expected = "a number from 0 to 1 such as 0.25"
        let value = try parsed(variable, expected: expected) { try reader.requiredDouble(forKey: $0) }
        guard let value else { return nil }
        guard (0...1).contains(value) else { throw invalid(variable, expected: expected) }
        return value
    }

    /// An absolute http(s) URL with a host, or `nil` when unset.
    public func url(_ variable: String, example: String) throws(EnvironmentValueError) -> URL? {
        guard let raw = string(variable) else { return nil }
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
        else { throw invalid(variable, expected: "an http(s) URL such as \(example)") }
        return url
    }

    /// The error for `variable`'s value, which is not `expected`.
    public func invalid(_ variable: String, expected: String, isSecret: Bool = false) -> EnvironmentValueError {
        EnvironmentValueError(variable: variable, value: isSecret ? "<hidden>" : values[variable] ?? "", expected: expected)
    }

    private func parsed<T>(_ variable: String, expected: String, _ read: (ConfigKey) throws -> T) throws(EnvironmentValueError) -> T? {
        guard values[variable] != nil else { return nil }
        do {
            return try read(Self.key(variable))
        } catch {
            throw invalid(variable, expected: expected)
        }
    }

    /// swift-configuration's key for an environment variable: its words, lowercased
    /// (`OTEL_SDK_DISABLED` is `otel.sdk.disabled`), which its environment provider maps back.
    private static func key(_ variable: String) -> ConfigKey {
        ConfigKey(variable.lowercased().split(separator: "_").map(String.init))
    }
}
#endif  // Telemetry || Phoenix
