import BenchmarkWorkloads
import Foundation
import OpenInferenceTelemetry
import StackTestSupport
import Synchronization
import Tracing

/// 512 recorded seed spans and an OTLP/HTTP exporter pointed at a local sink that answers `{}` at once.
final class ExportBatch: Sendable {
    let spans = Mutex<[FinishedSpan]>([])
    let exporter = Mutex<OTLPHTTPSpanExporter?>(nil)

    func prepare(sink: ScriptedHTTPServer) async throws {
        let recorder = InMemorySpanRecorder()
        await withTracer(StackTracer(processor: recorder)) {
            await SeedSpan.record(512)
        }
        let url = try await sink.start()
        let endpoint = URL(string: url.absoluteString.replacingOccurrences(of: "/v1", with: "/v1/traces"))!
        let exporter = OTLPHTTPSpanExporter(
            configuration: .init(endpoint: endpoint),
            encoder: OTLPTraceEncoder(resource: ["service.name": "bench"])
        )
        let recorded = recorder.spans
        try await exporter.export(recorded)  // opens the connection
        spans.withLock { $0 = recorded }
        self.exporter.withLock { $0 = exporter }
    }
}
