import Testing
import VigilCore

@Suite struct TimeTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)), ("2026-09-01T00:00:00Z", Int64(1_788_220_800)),
        ("2026-10-01T12:00:00Z", Int64(1_790_856_000)), ("2024-02-29T23:59:59Z", Int64(1_709_251_199)),
        ("2026-10-01T14:00:00+02:00", Int64(1_790_856_000)), ("2026-10-01T12:00:00.999Z", Int64(1_790_856_000)),
        ("2015-10-06T12:02:11.123456+0200", Int64(1_444_125_731)),
    ])
    func parses(text: String, seconds: Int64) {
        #expect(RFC3339.parse(text) == seconds)
    }

    @Test(arguments: [
        "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-10-01", "2026-10-01T25:00:00Z", "2026-10-01T00:00:00",
        "yesterday", "2026-10-01T00:00:00Zjunk", "2025-02-29T00:00:00Z",
    ])
    func rejects(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func formatRoundTrips() {
        for t in stride(from: Int64(-86_400 * 400), to: Int64(4_000_000_000), by: 9_876_543) {
            #expect(RFC3339.parse(RFC3339.format(t)) == t)
        }
        #expect(RFC3339.format(1_788_220_800) == "2026-09-01T00:00:00Z")
    }

    @Test(arguments: [("90d", Int64(7_776_000)), ("36h", Int64(129_600)), ("15m", Int64(900)), ("7s", Int64(7))])
    func durations(text: String, seconds: Int64) {
        #expect(DurationText.parse(text) == seconds)
        #expect(DurationText.format(seconds) == text)
    }

    @Test(arguments: ["90", "d", "-3d", "3w", "1.5d", ""])
    func badDurations(text: String) {
        #expect(DurationText.parse(text) == nil)
    }
}
