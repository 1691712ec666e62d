#if Phoenix
import OpenInference

/// One example of a Phoenix dataset: its input and the expected output, as JSON objects.
public struct PhoenixDatasetExample: Sendable, Hashable {
    /// Phoenix's id of the example (runs refer to it).
    public var id: String
    /// The input object (`{"input": "…"}` for datasets uploaded with `stack dataset upload`).
    public var input: [String: OpenInferenceJSON]
    /// The expected output object (`{"expected": "…"}`).
    public var output: [String: OpenInferenceJSON]

    /// An example with the given id, input and expected output.
    public init(id: String, input: [String: OpenInferenceJSON], output: [String: OpenInferenceJSON]) {
        self.id = id
        self.input = input
        self.output = output
    }
}
#endif  // Phoenix
