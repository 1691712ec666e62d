import ArgumentParser
import Foundation
import OpenInference
import OpenInferenceTelemetry
import PhoenixClient
import StackAgent
import StackEvaluation

/// `stack experiment run`: the agent on every example of a dataset, traced into the experiment's project,
/// each run and evaluation recorded in Phoenix, mean scores beside a baseline's, and a regression gate.
struct ExperimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run the agent over a Phoenix dataset as an experiment, with evaluations and a regression gate.",
        subcommands: [Run.self]
    )

    /// `stack experiment run --dataset NAME [--name EXP] [--baseline EXP] [--max-drop 0.05] [--concurrency N]`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the agent on every example, record runs and evaluations, compare with a baseline.",
            discussion: "Exits with status 1 when a mean score drops by more than --max-drop below the baseline's."
        )

        @Option(help: "The dataset's name in Phoenix.")
        var dataset: String

        @Option(help: "The experiment's name (default: Phoenix names it).")
        var name: String?

        @Option(help: "An earlier experiment on the same dataset to compare with.")
        var baseline: String?

        @Option(help: "The largest drop of a mean score (0 to 1) below the baseline that still passes.")
        var maxDrop = 0.05

        @Option(help: "Examples run at once.")
        var concurrency = 2

        @Flag(
            help:
                "Also judge correctness against the expected answer, and groundedness in the retrieved passages, with the model (OPENAI_* variables)."
        )
        var judge = false

        @OptionGroup var options: AgentOptions

        func validate() throws {
            guard (0...1).contains(maxDrop) else { throw ValidationError("--max-drop is a score difference between 0 and 1") }
            guard (1...32).contains(concurrency) else { throw ValidationError("--concurrency is between 1 and 32") }
        }

        func run() async throws {
            let environment = CommandEnvironment.current
            environment.announce()
            let phoenix = try environment.phoenix()
            guard let datasetID = try await phoenix.datasetID(named: dataset) else {
                throw ValidationError("Phoenix has no dataset named '\(dataset)'; upload one with `stack dataset upload`")
            }
            var baselineMeans: [String: Double]?
            if let baseline {
                guard let found = try await phoenix.experiment(named: baseline, datasetID: datasetID) else {
                    throw ValidationError("dataset '\(dataset)' has no experiment named '\(baseline)' to compare with")
                }
                let scores = try await phoenix.experimentRuns(experimentID: found.id)
                    .flatMap(\.annotations).compactMap { record in record.score.map { (name: record.name, score: $0) } }
                baselineMeans = RegressionGate.means(scores)
            }
            let examples = try await phoenix.datasetExamples(datasetID: datasetID)
            let experiment = try await phoenix.createExperiment(datasetID: datasetID, name: name)
            var telemetryConfiguration = TelemetryConfiguration.fromEnvironment(environment.variables, serviceName: "stack-experiment")
            if let project = experiment.projectName { telemetryConfiguration.projectName = project }
            let client = try environment.llmClient()
            let agent = try await AgentOptions.makeAgent(index: options.index, client: client, maxIterations: options.maxIterations)
            var evaluators: [any Evaluator] = [NonEmptyAnswer(), MatchesExpected(), CitesRetrievedPassage()]
            if judge {
                let complete: LLMJudge.Complete = { try await client.chat($0).message.content ?? "" }
                evaluators += [LLMJudge.correctness(complete), LLMJudge.groundedness(complete)]
            }
            let runner = ExperimentRunner(phoenix: phoenix, experiment: experiment, agent: agent, evaluators: evaluators)

            let scores = try await withTelemetry(telemetryConfiguration) { telemetry in
                let scores = try await runner.run(examples, concurrency: concurrency)
                await telemetry.forceFlush()
                return scores
            }
            let rows = RegressionGate(maxDrop: maxDrop).compare(current: RegressionGate.means(scores), baseline: baselineMeans)
            print("experiment \(experiment.name) (\(experiment.id)): \(examples.count) runs, traces in project \(telemetryConfiguration.projectName)")
            print(RegressionGate.table(rows, baselineName: baseline))
            if rows.contains(where: \.regressed) {
                print("regression: a mean score dropped more than \(maxDrop) below \(baseline ?? "the baseline")")
                throw ExitCode(1)
            }
        }
    }
}
