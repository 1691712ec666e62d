import Testing
import _OpenInferenceHTTP

@Suite("Durations in messages")
struct DurationReadableTests {
    @Test(
        "Below a second in whole milliseconds, from a second on in seconds to a tenth",
        arguments: [
            (Duration.nanoseconds(499_968_498), "500 ms"), (.milliseconds(3), "3 ms"), (.zero, "0 ms"),
            (.milliseconds(999), "999 ms"), (.seconds(1), "1.0 s"), (.seconds(3), "3.0 s"),
            (.milliseconds(10_049), "10.0 s"), (.milliseconds(12_350), "12.4 s"),
        ]
    )
    func readable(duration: Duration, shown: String) {
        #expect(duration.readable == shown)
    }
}
