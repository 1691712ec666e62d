import ArgumentParser
import Foundation
import OpenInference
import OpenInferenceTelemetry
import PhoenixClient
import StackEvaluation

/// `stack eval --project P [--since DURATION] [--limit N]`: evaluates the agent runs Phoenix holds and
/// writes each verdict back as an annotation (the run's root span for the answer, the RETRIEVER span's
/// documents for relevance), every evaluation an EVALUATOR span in the same project.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate stored agent traces and write the verdicts to Phoenix as annotations.",
        discussion: """
            Code evaluators (non_empty, cites_retrieved_passage) always run; with --judge the model \
            (OPENAI_* variables) also judges groundedness and the relevance of each retrieved document.
            """
    )

    @Option(help: "The Phoenix project whose traces to evaluate (default: PHOENIX_PROJECT_NAME or 'default').")
    var project: String?

    @Option(help: "Only traces from this far back: 30m, 6h, 2d.")
    var since: String?

    @Option(help: "At most this many traces, the latest first.")
    var limit = 20

    @Flag(help: "Also ask the model to judge groundedness and document relevance.")
    var judge = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit is a positive number of traces") }
        if let since, Self.duration(since) == nil {
            throw ValidationError("--since '\(since)' is not a duration such as 30m, 6h or 2d")
        }
    }

    /// Seconds in `30s`, `30m`, `6h` or `2d`.
    static func duration(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let amount = Double(text.dropLast()), amount > 0 else { return nil }
        switch unit {
        case "s": return amount
        case "m": return amount * 60
        case "h": return amount * 3600
        case "d": return amount * 86400
        default: return nil
        }
    }

    func run() async throws {
        let environment = CommandEnvironment.current
        environment.announce()
        let project = project ?? environment.projectName
        let phoenix = try environment.phoenix()
        let start = since.flatMap(Self.duration).map { Date().addingTimeInterval(-$0) }
        let spans = try await Self.spans(phoenix, project: project, since: start)
        let byTrace = Dictionary(grouping: spans, by: \.context.traceID)
        // The roots of traces with an agent run: the AGENT span of `stack ask`, the request span of `stack serve`.
        let agentTraces = Set(spans.filter { $0.spanKind == "AGENT" }.map(\.context.traceID))
        let roots = spans.filter { $0.parentID == nil && agentTraces.contains($0.context.traceID) }
            .sorted { $0.startTime > $1.startTime }.prefix(limit)
        guard !roots.isEmpty else {
            print("no agent traces in project \(project)\(since.map { " in the last \($0)" } ?? "")")
            return
        }
        var judgeCompletion: LLMJudge.Complete?
        if judge {
            let client = try environment.llmClient()
            judgeCompletion = { try await client.chat($0).message.content ?? "" }
        }
        let evaluation = TraceEvaluation(judge: judgeCompletion, identifier: "stack-eval")
        var telemetryConfiguration = TelemetryConfiguration.fromEnvironment(environment.variables, serviceName: "stack-eval")
        telemetryConfiguration.projectName = project
        let (annotations, errors) = try await withTelemetry(telemetryConfiguration) { telemetry in
            var annotations = 0
            var errors = 0
            for root in roots {
                let outcome = try await evaluation.evaluate(EvaluatedRun(root: root, spans: byTrace[root.context.traceID] ?? []), annotator: phoenix)
                annotations += outcome.annotations
                errors += outcome.failures.count
                for failure in outcome.failures {
                    FileHandle.standardError.write(Data("stack: \(failure.evaluator) on trace \(root.context.traceID): \(failure.error)\n".utf8))
                }
            }
            await telemetry.forceFlush()
            return (annotations, errors)
        }
        print("evaluated \(roots.count) traces in project \(project): \(annotations) annotations written, \(errors) evaluations without a verdict")
    }

    /// The spans of `project` since `start`; an unknown project is a usage error.
    static func spans(_ phoenix: PhoenixClient, project: String, since start: Date?) async throws -> [PhoenixSpan] {
        do {
            return try await phoenix.spans(project: project, since: start)
        } catch {
            if error.status == 404 { throw ValidationError("Phoenix has no project '\(project)'; check --project") }
            throw error
        }
    }
}
