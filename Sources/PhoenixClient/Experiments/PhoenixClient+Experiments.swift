#if Phoenix
import Foundation
import OpenAPIRuntime
import OpenInference
import PhoenixAPI

extension PhoenixClient {
    /// Creates the dataset `name` from `examples` (input and expected-output objects) in one upload, and
    /// returns its id. Phoenix refuses (409) a name that exists.
    public func uploadDataset(
        name: String,
        description: String? = nil,
        examples: [(input: [String: OpenInferenceJSON], output: [String: OpenInferenceJSON])]
    ) async throws(PhoenixClientError) -> String {
        let body = Operations.UploadDataset.Input.Body.JsonPayload(
            action: .create,
            description: description,
            inputs: examples.map { OpenInferenceJSON.openAPIObject($0.input) },
            name: name,
            outputs: examples.map { OpenInferenceJSON.openAPIObject($0.output) }
        )
        let answer = try await call("/v1/datasets/upload") {
            try await api.uploadDataset(query: .init(sync: true), body: .json(body)).ok.body.json
        }
        return answer.data.datasetId
    }

    /// The id of the dataset named `name`, or `nil` when there is none.
    public func datasetID(named name: String) async throws(PhoenixClientError) -> String? {
        try await call("/v1/datasets") {
            try await api.listDatasets(query: .init(name: name, limit: 10)).ok.body.json.data.first { $0.name == name }?.id
        }
    }

    /// The examples of the dataset's latest version.
    public func datasetExamples(datasetID: String) async throws(PhoenixClientError) -> [PhoenixDatasetExample] {
        try await call("/v1/datasets/{id}/examples") {
            try await api.getDatasetExamples(path: .init(id: datasetID)).ok.body.json.data.examples.map { example in
                PhoenixDatasetExample(
                    id: example.id,
                    input: OpenInferenceJSON.object(example.input.additionalProperties),
                    output: OpenInferenceJSON.object(example.output.additionalProperties)
                )
            }
        }
    }

    /// Starts an experiment over the dataset's latest version; Phoenix names the project its runs'
    /// traces belong in (``PhoenixExperiment/projectName``).
    public func createExperiment(datasetID: String, name: String?, description: String? = nil) async throws(PhoenixClientError) -> PhoenixExperiment {
        let experiment = try await call("/v1/datasets/{id}/experiments") {
            try await api.createExperiment(
                path: .init(datasetId: datasetID),
                body: .json(.init(description: description, name: name, repetitions: 1))
            ).ok.body.json.data
        }
        return PhoenixExperiment(id: experiment.id, name: experiment.name, datasetID: experiment.datasetId, projectName: experiment.projectName)
    }

    /// The experiment named `name` over the dataset, or `nil` when there is none.
    public func experiment(named name: String, datasetID: String) async throws(PhoenixClientError) -> PhoenixExperiment? {
        var cursor: String?
        repeat {
            let page = try await call("/v1/datasets/{id}/experiments") {
                try await api.listExperiments(path: .init(datasetId: datasetID), query: .init(cursor: cursor, limit: 100)).ok.body.json
            }
            if let found = page.data.last(where: { $0.name == name }) {
                return PhoenixExperiment(id: found.id, name: found.name, datasetID: found.datasetId, projectName: found.projectName)
            }
            cursor = page.nextCursor
        } while cursor != nil
        return nil
    }

    /// Records one run of an experiment: the example, the output (or the error), its times and trace.
    /// Returns the run's id, for its evaluations.
    public func recordExperimentRun(
        experimentID: String,
        exampleID: String,
        output: OpenInferenceJSON,
        error: String?,
        traceID: String?,
        start: Date,
        end: Date
    ) async throws(PhoenixClientError) -> String {
        let value: OpenAPIValueContainer
        do {
            value = try OpenAPIValueContainer(unvalidatedValue: output.openAPIValue)
        } catch {
            throw .unexpectedResponse(path: "/v1/experiments/{id}/runs", reason: "the run's output is not JSON: \(error)")
        }
        return try await call("/v1/experiments/{id}/runs") {
            try await api.createExperimentRun(
                path: .init(experimentId: experimentID),
                body: .json(
                    .init(
                        datasetExampleId: exampleID, endTime: end, error: error, output: value, repetitionNumber: 1,
                        startTime: start, traceId: traceID
                    ))
            ).ok.body.json.data.id
        }
    }

    /// Records (or replaces) the evaluation `name` of an experiment run.
    public func recordExperimentEvaluation(
        runID: String,
        name: String,
        annotatorKind: SpanAnnotation.AnnotatorKind,
        label: String?,
        score: Double?,
        explanation: String?,
        error: String?,
        traceID: String?,
        start: Date,
        end: Date
    ) async throws(PhoenixClientError) {
        _ = try await call("/v1/experiment_evaluations") {
            try await api.upsertExperimentEvaluation(
                body: .json(
                    .init(
                        annotatorKind: .init(rawValue: annotatorKind.rawValue) ?? .code,
                        endTime: end,
                        error: error,
                        experimentRunId: runID,
                        name: name,
                        result: error == nil ? .init(explanation: explanation, label: label, score: score) : nil,
                        startTime: start,
                        traceId: traceID
                    ))
            ).ok.body.json
        }
    }

    /// Every run of the experiment with its evaluations.
    public func experimentRuns(experimentID: String) async throws(PhoenixClientError) -> [ExperimentRunRecord] {
        let runs = try await call("/v1/experiments/{id}/json") {
            try await api.getExperimentJSON(path: .init(experimentId: experimentID)).ok.body.json
        }
        do {
            // The export is free-form JSON; the fields read are decoded from it as Phoenix writes them.
            return try JSONDecoder().decode([ExperimentRunRecord].self, from: JSONEncoder().encode(runs))
        } catch {
            throw .unexpectedResponse(path: "/v1/experiments/{id}/json", reason: String(describing: error))
        }
    }
}
#endif  // Phoenix
