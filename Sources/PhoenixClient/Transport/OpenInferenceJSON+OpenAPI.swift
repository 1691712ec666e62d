#if Phoenix
import OpenAPIRuntime
import OpenInference

extension OpenInferenceJSON {
    /// The value of a free-form JSON field of the generated client (`OpenAPIValueContainer.value`).
    init(openAPIValue value: (any Sendable)?) {
        switch value {
        case nil: self = .null
        case let bool as Bool: self = .bool(bool)
        case let int as Int: self = .int(int)
        case let double as Double: self = .double(double)
        case let string as String: self = .string(string)
        case let array as [(any Sendable)?]: self = .array(array.map(OpenInferenceJSON.init(openAPIValue:)))
        case let object as [String: (any Sendable)?]: self = .object(object.mapValues(OpenInferenceJSON.init(openAPIValue:)))
        case let some?: self = .string(String(describing: some))
        }
    }

    /// An object of the generated client's free-form JSON as OpenInference JSON values.
    static func object(_ container: OpenAPIObjectContainer?) -> [String: OpenInferenceJSON] {
        (container?.value ?? [:]).mapValues(OpenInferenceJSON.init(openAPIValue:))
    }

    /// This value in the shape the generated client's free-form JSON holds.
    var openAPIValue: (any Sendable)? {
        switch self {
        case .null: nil
        case .bool(let value): value
        case .int(let value): value
        case .double(let value): value
        case .string(let value): value
        case .array(let values): values.map(\.openAPIValue)
        case .object(let values): values.mapValues(\.openAPIValue)
        }
    }

    /// `object` as the generated client's free-form JSON object. Every OpenInference JSON value is
    /// representable, so this cannot fail.
    static func openAPIObject(_ object: [String: OpenInferenceJSON]) -> OpenAPIObjectContainer {
        (try? OpenAPIObjectContainer(unvalidatedValue: object.mapValues(\.openAPIValue))) ?? OpenAPIObjectContainer()
    }
}
#endif  // Phoenix
