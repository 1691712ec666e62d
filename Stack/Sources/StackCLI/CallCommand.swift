import ArgumentParser
import Foundation
import OpenInference
import OpenInferenceTelemetry

/// `stack call URL --body FILE`: one model-API call through a recorded HTTP seam, answer and trace id printed.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Send one JSON request to a model API through a recorded HTTP seam; print the answer and its trace id.",
        discussion: """
            The call is recorded by the wire recorder as the seam an application uses would record it (see \
            docs/wire-recorder.md): OpenAI Chat Completions, Responses and Embeddings, Anthropic Messages, Gemini \
            generateContent and streamGenerateContent. The answer is printed as it arrives, a stream included, \
            then `trace_id: <32 hex>` on the last line. Spans go to PHOENIX_COLLECTOR_ENDPOINT, project \
            PHOENIX_PROJECT_NAME. Exits with 1 when the server answers an error status.
            """
    )

    @Argument(help: "The URL to POST to, e.g. http://127.0.0.1:8080/v1/chat/completions.")
    var url: String

    @Option(help: "A file holding the JSON request body ('-' reads standard input).")
    var body: String

    @Option(name: .customLong("header"), help: "A request header, 'Name: value' (repeatable), e.g. 'Authorization: Bearer $KEY'.")
    var headers: [String] = []

    @Option(help: "The HTTP seam the call goes through: \(CallSeam.allCases.map(\.rawValue).joined(separator: ", ")).")
    var via: CallSeam = .urlsession

    @Option(help: "The Phoenix project (default: PHOENIX_PROJECT_NAME or 'default').")
    var project: String?

    func run() async throws {
        CommandEnvironment.current.announce()
        let call = try CallRequest(url: url, bodyPath: body, headers: headers)
        if !WireRecorder().recognizes(method: "POST", url: call.url) {
            FileHandle.standardError.write(
                Data("stack: \(call.url.path) is not a model API path the wire recorder knows; the call is sent, but not recorded\n".utf8)
            )
        }
        var configuration = TelemetryConfiguration.fromEnvironment(CommandEnvironment.current.variables, serviceName: "stack-cli")
        if let project { configuration.projectName = project }
        let seam = via
        let (status, traceID) = try await withTelemetry(configuration) { _ in
            // A root span of the command's own, so the trace id is known before the call: the URLSession
            // seam takes its parent from the request's headers, the other two from the task.
            try await withOpenInferenceSpan("stack call", kind: .chain, ofKind: .client) { span in
                span.recordInput("POST \(call.url.path)")
                let traceID = TraceParent.current?.traceID ?? "unknown"
                let status = try await seam.send(call) { piece in
                    FileHandle.standardOutput.write(piece)
                }
                span.recordOutput("HTTP \(status)")
                return (status, traceID)
            }
        }
        print("")
        print("trace_id: \(traceID)")
        if status >= 400 {
            FileHandle.standardError.write(Data("stack: the server answered HTTP \(status)\n".utf8))
            throw ExitCode(1)
        }
    }
}
