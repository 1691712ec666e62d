import OpenInferenceTelemetry
import Testing

@Suite("Telemetry errors: a code to handle, details to compare, and a message that says what to do")
struct TelemetryErrorTests {
    static let spoolError = ExportSpoolError(.directoryUnusable, directory: "/spool", underlying: "read-only file system")

    @Test(
        "Each reason has its own code; a rejected export carries its status, a failed one the last answer's if it got one",
        arguments: [
            (TelemetryError.invalidEndpoint("localhost", source: "OTEL_EXPORTER_OTLP_ENDPOINT"), TelemetryError.Code.invalidEndpoint, nil as Int?),
            (.exportRejected(status: 413, endpoint: "http://collector/v1/traces", body: ""), .exportRejected, 413),
            (.exportFailed(endpoint: "http://collector/v1/traces", attempts: 3, lastError: "refused"), .exportFailed, nil),
            (.exportFailed(endpoint: "http://collector/v1/traces", attempts: 1, lastError: "HTTP 503", status: 503), .exportFailed, 503),
            (.exportTimedOut(after: .seconds(30)), .exportTimedOut, nil),
            (.spoolFailed(spoolError), .spoolFailed, nil),
        ]
    )
    func codes(error: TelemetryError, code: TelemetryError.Code, status: Int?) {
        #expect(error.code == code)
        #expect(error.status == status)
        #expect((error.spoolError != nil) == (code == .spoolFailed))
    }

    @Test("Errors of one code with different details are different errors")
    func equalityComparesDetails() {
        let rejected = TelemetryError.exportRejected(status: 400, endpoint: "http://collector/v1/traces", body: "bad")
        #expect(rejected == .exportRejected(status: 400, endpoint: "http://collector/v1/traces", body: "bad"))
        #expect(rejected != .exportRejected(status: 401, endpoint: "http://collector/v1/traces", body: "bad"))
        #expect(rejected.code == TelemetryError.exportRejected(status: 401, endpoint: "", body: "").code)
    }

    @Test(
        "A rejected export's message names what to change for the status",
        arguments: [(401, "PHOENIX_API_KEY"), (404, "/v1/traces"), (413, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE"), (415, "protobuf")]
    )
    func rejectedMessages(status: Int, hint: String) {
        let error = TelemetryError.exportRejected(status: status, endpoint: "http://collector/v1/traces", body: "")
        #expect(error.description.contains("HTTP \(status)"))
        #expect(error.description.contains(hint))
    }

    @Test("A batch kept for later is not delivered, and says why it was kept")
    func exportResults() {
        let kept = SpanExportResult.keptForLater(reason: "the collector did not answer")
        #expect(kept.wasKeptForLater)
        #expect(kept.reason == "the collector did not answer")
        #expect(kept != .delivered)
        #expect(!SpanExportResult.delivered.wasKeptForLater)
        #expect(SpanExportResult.delivered.reason == nil)
    }
}
