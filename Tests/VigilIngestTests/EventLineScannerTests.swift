import Foundation
import Testing
import VigilCore
import VigilTestFixtures
import VigilTestSupport

@testable import VigilIngest

/// The fast path for event lines must give exactly the general path's event, and give way (nil) wherever the
/// general path rejects the line or the line needs it.
@Suite struct EventLineScannerTests {
    /// The general path's answer: the event, or the error text.
    static func general(_ line: String) -> String {
        do {
            let node = try JSONParser.parse(line)
            return "\(try EventDecoder.decode(node, file: "e.jsonl"))"
        } catch {
            return "error: \(error)"
        }
    }

    static func fast(_ line: String) -> String? {
        var scanner = EventLineScanner()
        var text = line
        return text.withUTF8 { scanner.scan($0, file: "e.jsonl") }.map { "\($0)" }
    }

    static let accepted: [String] = [
        #"{"time":"2026-09-01T00:01:24Z","type":"vm.migrated","vm":"vm-1","from":"h-1","to":"h-2"}"#,
        " { \"type\" : \"vm.placed\" ,\t\"vm\":\"vm-1\", \"host\":\"h-1\", \"time\":\"2026-09-01T00:00:00Z\" } ",
        #"{"time":"2026-09-01T00:00:00+02:00","type":"vm.removed","vm":"a.b_c-9"}"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.state","vm":"vm-1","state":"quarantined"}"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"host.state","host":"h-1","state":"compromised"}"#,
    ]

    /// Lines the fast path leaves to the general path: every error, and shapes it does not read.
    static let deferred: [String] = [
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.placed","vm":"vm-1","host":"h-1","host":"h-2"}"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.placed","vm":"vm-1","host":"h-1","colour":"red"}"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.placed","vm":"vm-1"}"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.placed","vm":"vm-1","host":"h-1","state":"running"}"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.placed","vm":"vm 1","host":"h-1"}"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.placed","vm":"","host":"h-1"}"#,
        #"{"time":"2026-09-01","type":"vm.placed","vm":"vm-1","host":"h-1"}"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.moved","vm":"vm-1","host":"h-1"}"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.state","vm":"vm-1","state":"paused"}"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.placed","vm":"vm-\u0031","host":"h-1"}"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.placed","vm":"vm-é","host":"h-1"}"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.placed","vm":1,"host":"h-1"}"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.placed","vm":"vm-1","host":"h-1"} x"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.placed","vm":"vm-1","host":"h-1""#,
        #"{"time":"2026-09-01T00:00:00Z","type":"vm.placed","vm":"vm-1","host":"h-1",}"#,
        #"{"time":"2026-09-01T00:00:00Z","type":"incident","incident":{"id":"i-1","subject":{"vm":"vm-1"},"severity":"high","source":"ids"}}"#,
        #"["time"]"#,
        #"{}"#,
    ]

    @Test(arguments: accepted)
    func acceptedLinesGiveTheGeneralPathsEvent(line: String) {
        #expect(Self.fast(line) != nil)
        #expect(Self.fast(line) == Self.general(line))
    }

    @Test(arguments: deferred)
    func otherLinesAreLeftToTheGeneralPath(line: String) {
        #expect(Self.fast(line) == nil)
    }

    @Test func everyPlacementLineOfAGeneratedHistoryTakesTheFastPathAndAgrees() throws {
        let dc = DatacenterGenerator.generate(
            GeneratorConfig(sites: 2, hosts: 40, vms: 400, tenants: 6, days: 10, events: 5000, seed: 3))
        let lines = dc.events.map(\.jsonLine)
        var fast = 0
        for (line, event) in zip(lines, dc.events) {
            if case .incident = event.body {
                #expect(Self.fast(line) == nil)
                continue
            }
            #expect(Self.fast(line) == "\(event)")
            #expect(Self.general(line) == "\(event)")
            fast += 1
        }
        #expect(fast > 4000)
    }
}

/// A large history with a blank line: events, line numbers and sources as written, and the first bad line is the
/// error.
@Suite struct LargeEventHistoryParseTests {
    static let events = DatacenterGenerator.generate(
        GeneratorConfig(sites: 2, hosts: 40, vms: 2000, tenants: 6, days: 30, events: 60_000, seed: 8)
    ).events

    /// The history's lines with a blank line after line 40,000 (so numbering has to count it).
    static func lines() -> [String] {
        var lines = events.map(\.jsonLine)
        lines.insert("   ", at: 40_000)
        return lines
    }

    @Test func eventsLineNumbersAndSources() throws {
        let text = Self.lines().joined(separator: "\n")
        #expect(text.utf8.count > 4 << 20)
        let (parsed, lineNumbers, sources) = try DocumentLoader.parseEvents(file: "e.jsonl", text: text)
        #expect(parsed == Self.events)
        #expect(lineNumbers == Array(1...40_000) + Array(40_002...60_001))
        #expect(sources == Self.events.map(\.jsonLine))
    }

    @Test(arguments: [([50_001], 50_001), ([12, 50_001], 12), ([60_001], 60_001)])
    func theFirstBadLineIsTheError(bad: [Int], line: Int) {
        var lines = Self.lines()
        for b in bad { lines[b - 1] = lines[b - 1].replacingOccurrences(of: "\"time\"", with: "\"tim\"") }
        let error = #expect(throws: DocumentError.self) {
            try DocumentLoader.parseEvents(file: "e.jsonl", text: lines.joined(separator: "\n"))
        }
        #expect(error?.line == line)
    }
}
