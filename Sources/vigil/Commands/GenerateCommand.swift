import ArgumentParser
import Foundation
import VigilBench
import VigilCore
import VigilTestSupport

/// `vigil generate`: writes a realistic generated datacenter that imports cleanly.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a generated datacenter: inventory.json, policies.json, vulnerabilities.json, events.jsonl.")

    @Option var sites = 3
    @Option var hosts = 60
    @Option var vms = 1000
    @Option var tenants = 20
    @Option var days = 90
    @Option(help: "Number of events (default: 10 per VM).") var events: Int?
    @Option var seed: UInt64 = 1
    @Option(help: "Output directory (created if needed).") var out: String

    func validate() throws {
        guard sites > 0, hosts >= sites * 2, vms > 0, tenants > 0, days > 0 else {
            throw ValidationError("need sites > 0, hosts >= 2 × sites, vms > 0, tenants > 0, days > 0")
        }
    }

    func run() throws {
        let config = GeneratorConfig(
            sites: sites, hosts: hosts, vms: vms, tenants: tenants, days: days, events: events, seed: seed)
        let dc = DatacenterGenerator.generate(config)
        let files = try GeneratedFiles.write(dc, to: out)
        print(
            "ok: wrote \(files.joined(separator: ", ")) (\(dc.inventory.hosts.count) hosts, \(dc.inventory.vms.count) VMs, \(dc.events.count) events)"
        )
    }
}
