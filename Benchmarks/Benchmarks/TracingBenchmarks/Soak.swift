import BenchmarkWorkloads
import Foundation
import OpenInferenceTelemetry
import Tracing

/// Resident memory of this process, from `/proc/self/statm`.
func residentBytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
        let pages = Int(statm.split(separator: " ")[1])
    else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Memory over a long run: `count` seed spans through the batch pipeline, resident memory sampled at each
/// tenth. Returns the growth after the first tenth (once the queue and allocator have reached their
/// working size) and the resident size at the end, in kilobytes, and the spans the pipeline dropped.
func soak(spans count: Int) async throws -> (growthKB: Int, endKB: Int, dropped: Int) {
    let pipeline = BatchPipeline()
    pipeline.start()
    let step = max(1, count / 10)
    var samples = [residentBytes()]
    await withTracer(pipeline.tracer) {
        var done = 0
        while done < count {
            await SeedSpan.record(min(step, count - done))
            done += step
            samples.append(residentBytes())
        }
    }
    await pipeline.processor.forceFlush()
    let dropped = pipeline.processor.droppedSpans
    try await pipeline.stop()
    return ((samples.last! - samples[1]) / 1024, samples.last! / 1024, dropped)
}
