import Foundation
import Testing
import VigilCore
import VigilIngest

/// The alert parsers on the real third-party files in Tests/Fixtures/real/ (provenance in its SOURCES.md).
@Suite struct AlertParserTests {
    static let real = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/real").standardized

    static func read(_ path: String) throws -> String {
        try String(contentsOf: real.appendingPathComponent(path), encoding: .utf8)
    }

    static func parse(_ path: String, _ format: AlertFormat) throws -> (
        alerts: [Alert], skipped: [String: Int], malformed: [(Int, String)]
    ) {
        var alerts: [Alert] = []
        var skipped: [String: Int] = [:]
        var malformed: [(Int, String)] = []
        AlertParser.parseLines(try read(path), format: format) { line, result in
            switch result {
            case .alert(let a): alerts.append(a)
            case .skipped(let t): skipped[t, default: 0] += 1
            case .malformed(let r): malformed.append((line, r))
            }
        }
        return (alerts, skipped, malformed)
    }

    @Test func everyCuratedSuricataAlertParses() throws {
        let r = try Self.parse("suricata/eve-alerts-curated.jsonl", .suricata)
        #expect(r.alerts.count == 1247)
        #expect(r.malformed.isEmpty)
        let bySeverity = Dictionary(grouping: r.alerts, by: \.severity).mapValues(\.count)
        #expect(bySeverity == [.low: 1170, .medium: 31, .high: 46])
        // Two lines of the real set are exact re-deliveries: same identity, so they are recorded once.
        #expect(Set(r.alerts.map(\.identity)).count == 1245)
        #expect(r.alerts.filter { $0.sourceIP == nil && $0.destinationIP == nil }.count == 24)
        #expect(r.alerts[0].sourceIP == "192.168.2.3")
        #expect(r.alerts[0].destinationIP == "209.85.225.105")
        #expect(r.alerts[0].signature == "SURICATA TCPv4 invalid checksum")
        #expect(r.alerts[0].time == RFC3339.parse("2010-01-04T17:29:26Z"))
    }

    @Test func nonAlertRecordsAreCountedAndSkipped() throws {
        let r = try Self.parse("suricata/eve-nonalert-sample.jsonl", .suricata)
        #expect(r.alerts.isEmpty)
        #expect(r.malformed.isEmpty)
        #expect(r.skipped.values.reduce(0, +) == 750)
        #expect(r.skipped.count == 26)
        #expect(r.skipped["flow"] == 40)
        #expect(r.skipped["dns"] == 40)
        #expect(r.skipped["bittorrent_dht"] == 16)
        #expect(r.skipped["tftp"] == 2)
    }

    @Test func elasticBeatsSampleYieldsExactlyOneAlert() throws {
        let r = try Self.parse("suricata/elastic-beats-eve-small.log", .suricata)
        #expect(r.alerts.count == 1)
        #expect(r.alerts.first?.severity == .high)
        #expect(r.skipped == ["ssh": 1, "http": 1, "fileinfo": 1, "dns": 1, "stats": 1, "tls": 1, "flow": 1])
        #expect(r.malformed.isEmpty)
    }

    @Test func wazuhAlertsParseAndTheInvalidSampleIsRejectedClearly() throws {
        let ok = try Self.parse("wazuh_falco/wazuh-integratord-alert-samples.jsonl", .wazuh)
        #expect(ok.alerts.count == 2)
        #expect(ok.malformed.isEmpty)
        #expect(ok.alerts[0].severity == .high)  // rule.level 10
        #expect(ok.alerts[0].sourceIP == "172.17.1.1")
        #expect(ok.alerts[0].signature == "sshd: brute force trying to get access to the system. Non existent user.")
        let bad = try Self.parse("wazuh_falco/wazuh-integratord-invalid-alert-samples.txt", .wazuh)
        #expect(bad.alerts.isEmpty)
        #expect(bad.malformed.count == 1)
        #expect(bad.malformed.first?.0 == 1)
        #expect(bad.malformed.first?.1.hasPrefix("JSON syntax: ") == true)
    }

    @Test(arguments: [
        ("{\"event_type\":\"alert\",\"src_ip\":\"10.0.0.1\",\"alert\":{\"severity\":1}}", "timestamp is missing"),
        ("{\"timestamp\":\"yesterday\",\"event_type\":\"alert\"}", "timestamp \"yesterday\" is not a time"),
        (
            "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"event_type\":\"alert\",\"src_ip\":\"10.0.0.1\"}",
            "alert object is missing"
        ),
        ("{\"timestamp\":\"2026-01-01T00:00:00Z\",\"event_type\":\"alert\",\"alert\":{}}", "alert.severity is missing"),
        ("{\"timestamp\":\"2026-01-01T00:00:00Z\"}", "event_type is missing"),
        ("not json", "JSON syntax: unexpected word; expected null"),
    ])
    func malformedSuricataLines(line: String, reason: String) {
        var text = line
        let result = text.withUTF8 { AlertParser.parse($0, format: .suricata) }
        guard case .malformed(let r) = result else {
            Issue.record("not malformed: \(result)")
            return
        }
        #expect(r == reason)
    }

    @Test func attributionByAddressAtAlertTime() {
        var cmdb = Cmdb()
        cmdb.vms["web"] = VM(
            id: "web", tenant: "t", environment: "production", securityLevel: 3,
            resources: Resources(vcpus: 1, memoryMiB: 1),
            template: Template(id: "x", patchLevel: "1"),
            nics: [NIC(mac: "52:54:00:00:00:01", ip: "10.0.0.5", network: "n")])
        cmdb.hosts["h1"] = Host(
            id: "h1", site: "s", networks: [],
            hypervisor: Hypervisor(product: "kvm", version: Version("8")!, virtualization: "hvm"),
            capacity: Resources(vcpus: 1, memoryMiB: 1), managementIps: ["192.0.2.9"])
        let book = AddressBook(cmdb)
        let both = Alert(
            time: 0, source: "suricata", identity: "a1", severity: .high, signature: "s", sourceIP: "10.0.0.5",
            destinationIP: "192.0.2.9")
        #expect(book.incidents(for: both).map(\.subject) == [.vm("web"), .host("h1")])
        #expect(book.incidents(for: both).map(\.role) == ["attacker", "victim"])
        let unknown = Alert(
            time: 0, source: "suricata", identity: "a2", severity: .low, signature: "s", sourceIP: "203.0.113.1",
            destinationIP: "198.51.100.2")
        #expect(book.incidents(for: unknown).map(\.subject) == [.unmatched("203.0.113.1")])
        #expect(book.incidents(for: unknown).map(\.id) == ["a2-u"])
    }
}
