#if Phoenix
/// An experiment in Phoenix: runs of a task over a dataset's examples, with evaluations.
public struct PhoenixExperiment: Sendable, Hashable {
    /// Phoenix's id of the experiment.
    public var id: String
    /// The experiment's name.
    public var name: String
    /// The dataset it runs over.
    public var datasetID: String
    /// The project the runs' traces belong in, so the UI links runs to traces.
    public var projectName: String?

    /// An experiment record.
    public init(id: String, name: String, datasetID: String, projectName: String?) {
        self.id = id
        self.name = name
        self.datasetID = datasetID
        self.projectName = projectName
    }
}
#endif  // Phoenix
