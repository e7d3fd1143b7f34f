import Foundation
import Testing
import VigilCore
import VigilIngest
import VigilTestFixtures

/// Every bad-input class of issue 2 item 2, each with the exact error (file:line: field: message).
@Suite struct DocumentErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var old: String
        var new: String
        var error: String
        var testDescription: String { name }
    }

    static let inventoryCases: [Case] = [
        Case(
            name: "unknown field", old: "    securityLevel: 3\n", new: "    securityLevel: 3\n    colour: blue\n",
            error: "inv.yaml:30: vms[0].colour: unknown field"),
        Case(
            name: "unknown nested field", old: "{vcpus: 64, memoryMiB: 262144}",
            new: "{vcpus: 64, memoryMiB: 262144, disks: 2}",
            error: "inv.yaml:14: hosts[0].capacity.disks: unknown field"),
        Case(
            name: "duplicate vm id", old: "  - id: vm-0002", new: "  - id: vm-0001",
            error: "inv.yaml:35: vms[1].id: duplicate vm id \"vm-0001\""),
        Case(
            name: "duplicate host id", old: "  - id: h-002", new: "  - id: h-001",
            error: "inv.yaml:16: hosts[1].id: duplicate host id \"h-001\""),
        Case(
            name: "duplicate field", old: "    securityLevel: 3\n", new: "    securityLevel: 3\n    securityLevel: 2\n",
            error: "inv.yaml:29: duplicate field \"securityLevel\""),
        Case(
            name: "malformed mac", old: "52:54:00:12:34:56", new: "52:54:00:12:34",
            error: "inv.yaml:32: vms[0].nics[0].mac: \"52:54:00:12:34\" is not a MAC address"),
        Case(
            name: "malformed ip", old: "ip: 10.1.2.3", new: "ip: 10.1.2.300",
            error: "inv.yaml:32: vms[0].nics[0].ip: \"10.1.2.300\" is not an IP address"),
        Case(
            name: "malformed management ip", old: "[192.0.2.11]", new: "[192.0.2]",
            error: "inv.yaml:15: hosts[0].managementIps[0]: \"192.0.2\" is not an IP address"),
        Case(
            name: "malformed time", old: "observedAt: 2026-09-01T00:00:00Z", new: "observedAt: 2026-09-31T00:00:00Z",
            error: "inv.yaml:3: observedAt: \"2026-09-31T00:00:00Z\" is not an RFC 3339 time"),
        Case(
            name: "malformed version", old: "version: \"4.17.3\"", new: "version: \"4..17\"",
            error: "inv.yaml:13: hosts[0].hypervisor.version: \"4..17\" is not a version"),
        Case(
            name: "tier out of range", old: "tier: 3", new: "tier: 5",
            error: "inv.yaml:5: sites[0].tier: 5 is out of range (1..4)"),
        Case(
            name: "security level out of range", old: "securityLevel: 3", new: "securityLevel: 7",
            error: "inv.yaml:29: vms[0].securityLevel: 7 is out of range (0..4)"),
        Case(
            name: "negative capacity", old: "{vcpus: 32, memoryMiB: 131072}", new: "{vcpus: -32, memoryMiB: 131072}",
            error: "inv.yaml:20: hosts[1].capacity.vcpus: -32 is out of range (0 or more)"),
        Case(
            name: "negative resources", old: "{vcpus: 2, memoryMiB: 4096}", new: "{vcpus: 2, memoryMiB: -1}",
            error: "inv.yaml:39: vms[1].resources.memoryMiB: -1 is out of range (0 or more)"),
        Case(
            name: "bad enum", old: "role: quarantine", new: "role: spare",
            error: "inv.yaml:21: hosts[1].role: \"spare\" is not one of general | quarantine"),
        Case(
            name: "bad identifier", old: "  - id: vm-0002", new: "  - id: vm 0002",
            error: "inv.yaml:35: vms[1].id: \"vm 0002\" is not an identifier"),
        Case(
            name: "missing field", old: "    environment: test\n", new: "",
            error: "inv.yaml:35: vms[1].environment: required field is missing"),
        Case(
            name: "wrong api version", old: "apiVersion: vigil/v1", new: "apiVersion: vigil/v2",
            error: "inv.yaml:1: apiVersion: \"vigil/v2\" is not supported"),
    ]

    @Test(arguments: inventoryCases)
    func inventoryParseErrors(c: Case) {
        let text = Fixtures.replacing(Fixtures.inventory, c.old, c.new)
        let error = #expect(throws: DocumentError.self) { try DocumentLoader.load(file: "inv.yaml", text: text) }
        #expect(error?.description.hasPrefix(c.error) == true, "got: \(String(describing: error))")
    }

    static let referenceCases: [Case] = [
        Case(
            name: "dangling vm host", old: "    host: h-001\n    state", new: "    host: h-099\n    state",
            error: "inv.yaml:42: vms[1].host: unknown host \"h-099\""),
        Case(
            name: "dangling tenant", old: "    tenant: globex", new: "    tenant: hooli",
            error: "inv.yaml:36: vms[1].tenant: unknown tenant \"hooli\""),
        Case(
            name: "dangling site", old: "    site: muc-1\n    networks: [int-1]",
            new: "    site: ber-1\n    networks: [int-1]",
            error: "inv.yaml:17: hosts[1].site: unknown site \"ber-1\""),
        Case(
            name: "dangling host network", old: "networks: [dmz-a, int-1]", new: "networks: [dmz-a, int-9]",
            error: "inv.yaml:12: hosts[0].networks[1]: unknown network \"int-9\""),
        Case(
            name: "dangling nic network", old: "network: int-1}", new: "network: int-2}",
            error: "inv.yaml:41: vms[1].nics[0].network: unknown network \"int-2\""),
        Case(
            name: "ip owned twice", old: "ip: 10.1.2.4", new: "ip: 10.1.2.3",
            error: "inv.yaml:41: vms[1].nics[0].ip: ip 10.1.2.3 of vm-0002 is already owned by vm-0001"),
        Case(
            name: "mac owned twice", old: "52:54:00:12:34:57", new: "52:54:00:12:34:56",
            error: "inv.yaml:41: vms[1].nics[0].mac: mac 52:54:00:12:34:56 of vm-0002 is already owned by vm-0001"),
    ]

    @Test(arguments: referenceCases)
    func inventoryReferenceErrors(c: Case) throws {
        let text = Fixtures.replacing(Fixtures.inventory, c.old, c.new)
        let doc = try DocumentLoader.load(file: "inv.yaml", text: text)
        let error = #expect(throws: DocumentError.self) {
            try ImportPlanner.plan(current: Cmdb(), documents: [doc], now: 0)
        }
        #expect(error?.description.hasPrefix(c.error) == true, "got: \(String(describing: error))")
    }

    static let policyCases: [Case] = [
        Case(
            name: "unknown rule", old: "max: 4", new: "maximum: 4",
            error: "pol.yaml:16: policies[0].rules.neighbours.maximum: unknown field"),
        Case(
            name: "bad duration", old: "within: 90d", new: "within: 90 days",
            error: "pol.yaml:19: policies[0].rules.neighbours.maxIncidents.within: \"90 days\" is not a duration"),
        Case(
            name: "tier out of range", old: "minTier: 3", new: "minTier: 0",
            error: "pol.yaml:8: policies[0].rules.site.minTier: 0 is out of range (1..4)"),
        Case(
            name: "security level out of range", old: "minSecurityLevel: 2", new: "minSecurityLevel: 5",
            error: "pol.yaml:18: policies[0].rules.neighbours.minSecurityLevel: 5 is out of range (0..4)"),
        Case(
            name: "cvss out of range", old: "maxCvss: 7.0", new: "maxCvss: 11",
            error: "pol.yaml:14: policies[0].rules.hypervisor.maxCvss: 11 is out of range"),
        Case(
            name: "bad min version", old: "kvm: \"8.2\"", new: "kvm: \"8.2.\"",
            error: "pol.yaml:13: policies[0].rules.hypervisor.minVersion.kvm: \"8.2.\" is not a version"),
        Case(
            name: "self outside forbid", old: "selector: {tenantLabels: {tier: gold}, environment: production}",
            new: "selector: {tenant: self}",
            error: "pol.yaml:6: policies[0].selector.tenant: \"self\" is only allowed in neighbours.forbid"),
        Case(
            name: "bad enforcement", old: "enforcement: hard", new: "enforcement: strict",
            error: "pol.yaml:5: policies[0].enforcement: \"strict\" is not one of hard | soft"),
    ]

    @Test(arguments: policyCases)
    func policyErrors(c: Case) {
        let text = Fixtures.replacing(Fixtures.policies, c.old, c.new)
        let error = #expect(throws: DocumentError.self) { try DocumentLoader.load(file: "pol.yaml", text: text) }
        #expect(error?.description.hasPrefix(c.error) == true, "got: \(String(describing: error))")
    }

    static let vulnerabilityCases: [Case] = [
        Case(
            name: "cvss out of range", old: "cvss: 8.8", new: "cvss: -1",
            error: "vul.yaml:4: vulnerabilities[0].cvss: -1 is out of range"),
        Case(
            name: "bad version", old: "fixed: \"4.17.4\"", new: "fixed: \"\"",
            error: "vul.yaml:4: vulnerabilities[0].affected[0].fixed: \"\" is not a version"),
        Case(
            name: "duplicate id", old: "CVE-2025-0002", new: "CVE-2025-0001",
            error: "vul.yaml:5: vulnerabilities[1].id: duplicate vulnerability id \"CVE-2025-0001\""),
    ]

    @Test(arguments: vulnerabilityCases)
    func vulnerabilityErrors(c: Case) {
        let text = Fixtures.replacing(Fixtures.vulnerabilities, c.old, c.new)
        let error = #expect(throws: DocumentError.self) { try DocumentLoader.load(file: "vul.yaml", text: text) }
        #expect(error?.description.hasPrefix(c.error) == true, "got: \(String(describing: error))")
    }

    static let eventCases: [Case] = [
        Case(
            name: "out of order for a vm", old: "\"time\":\"2026-10-02T08:30:00Z\"",
            new: "\"time\":\"2026-09-30T08:30:00Z\"",
            error:
                "ev.jsonl:2: event at 2026-09-30T08:30:00Z is older than vm-0002's last recorded event at 2026-10-01T12:00:00Z"
        ),
        Case(
            name: "wrong from host", old: "\"from\":\"h-002\"", new: "\"from\":\"h-001\"",
            error: "ev.jsonl:2: vm-0002 is on h-002, not on h-001"),
        Case(
            name: "unknown vm", old: "\"vm\":\"vm-0001\"}", new: "\"vm\":\"vm-0404\"}",
            error: "ev.jsonl:3: unknown vm \"vm-0404\""),
        Case(
            name: "unknown incident subject", old: "{\"vm\":\"vm-0002\"}", new: "{\"host\":\"h-404\"}",
            error: "ev.jsonl:4: incident.subject.host: unknown host \"h-404\""),
    ]

    @Test(arguments: eventCases)
    func eventHistoryErrors(c: Case) throws {
        let inventory = try DocumentLoader.load(file: "inv.yaml", text: Fixtures.inventory)
        let events = try DocumentLoader.load(file: "ev.jsonl", text: Fixtures.replacing(Fixtures.events, c.old, c.new))
        let error = #expect(throws: DocumentError.self) {
            try ImportPlanner.plan(current: Cmdb(), documents: [inventory, events], now: 0)
        }
        #expect(error?.description.hasPrefix(c.error) == true, "got: \(String(describing: error))")
    }

    static let eventSyntaxCases: [Case] = [
        Case(
            name: "bad json", old: "\"type\":\"vm.removed\",", new: "\"type\":\"vm.removed\"",
            error: "ev.jsonl:3: JSON syntax"),
        Case(
            name: "bad time", old: "2026-10-03T00:00:00Z\",\"type\":\"vm.removed\"",
            new: "2026-10-03 noon\",\"type\":\"vm.removed\"",
            error: "ev.jsonl:3: time: \"2026-10-03 noon\" is not an RFC 3339 time"),
        Case(
            name: "unknown type", old: "vm.removed", new: "vm.deleted",
            error: "ev.jsonl:3: type: unknown event type \"vm.deleted\""),
        Case(
            name: "unknown field", old: "\"to\":\"h-002\"}", new: "\"to\":\"h-002\",\"why\":\"x\"}",
            error: "ev.jsonl:1: why: unknown field"),
        Case(
            name: "bad severity", old: "\"severity\":\"high\"", new: "\"severity\":\"urgent\"",
            error: "ev.jsonl:4: incident.severity: \"urgent\" is not one of low | medium | high | critical"),
    ]

    @Test(arguments: eventSyntaxCases)
    func eventSyntaxErrors(c: Case) {
        let text = Fixtures.replacing(Fixtures.events, c.old, c.new)
        let error = #expect(throws: DocumentError.self) { try DocumentLoader.load(file: "ev.jsonl", text: text) }
        #expect(error?.description.hasPrefix(c.error) == true, "got: \(String(describing: error))")
    }

    @Test func jsonDocumentsHaveLinesToo() throws {
        let json =
            "{\n  \"apiVersion\": \"vigil/v1\",\n  \"kind\": \"VulnerabilityFeed\",\n  \"vulnerabilities\": [\n    {\"id\": \"X-1\", \"product\": \"xen\", \"cvss\": 99, \"affected\": []}\n  ]\n}\n"
        let error = #expect(throws: DocumentError.self) { try DocumentLoader.load(file: "v.json", text: json) }
        #expect(error?.description == "v.json:5: vulnerabilities[0].cvss: 99 is out of range (0.0..10.0)")
    }

    @Test func validFixturesLoad() throws {
        let inv = try DocumentLoader.load(file: "inv.yaml", text: Fixtures.inventory)
        let pol = try DocumentLoader.load(file: "pol.yaml", text: Fixtures.policies)
        let vul = try DocumentLoader.load(file: "vul.yaml", text: Fixtures.vulnerabilities)
        let ev = try DocumentLoader.load(file: "ev.jsonl", text: Fixtures.events)
        let batch = try ImportPlanner.plan(current: Cmdb(), documents: [ev, vul, pol, inv], now: 0)
        #expect(batch.eventCount == 4)
        #expect(
            batch.entries.map(\.type) == [
                "document.Inventory", "document.PolicySet", "document.VulnerabilityFeed", "vm.migrated", "vm.migrated",
                "vm.removed", "incident",
            ])
        guard case .policySet(let set) = pol.document else {
            Issue.record("not a policy set")
            return
        }
        let p = try #require(set.policies.first)
        #expect(
            p.rules.neighbours?.forbid == [
                Selector(tenant: .differentFromSelf, environment: .anyOf(["test", "development"]))
            ])
        #expect(p.rules.neighbours?.maxIncidents == CountWithin(count: 0, within: 90 * 86400))
        #expect(p.rules.hypervisor?.minVersion?["xen"] == Version("4.17.3"))
        #expect(p.selector?.tenantLabels == ["tier": .equals("gold")])
    }

    @Test func bundledExamplesLoad() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples")
            .standardized
        var docs: [SourceDocument] = []
        for name in ["inventory.yaml", "policies.yaml", "vulnerabilities.yaml", "events.jsonl"] {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            docs.append(try DocumentLoader.load(file: name, text: text))
        }
        let batch = try ImportPlanner.plan(current: Cmdb(), documents: docs, now: 0)
        #expect(batch.eventCount == 43)
    }
}
