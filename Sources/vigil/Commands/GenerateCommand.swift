import ArgumentParser
import Foundation
import VigilCore

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

/// Writes a generated datacenter's documents into a directory.
enum GeneratedFiles {
    static func write(_ dc: GeneratedDatacenter, to dir: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func put(_ name: String, _ text: String) throws -> String {
            let path = (dir as NSString).appendingPathComponent(name)
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
                throw CLIError("cannot write \(path)")
            }
            return path
        }
        var paths: [String] = []
        paths.append(try put("inventory.json", JSONWriter.pretty(DocumentEncoder.inventory(dc.inventory)) + "\n"))
        paths.append(try put("policies.json", JSONWriter.pretty(DocumentEncoder.policies(dc.policies)) + "\n"))
        paths.append(
            try put(
                "vulnerabilities.json", JSONWriter.pretty(DocumentEncoder.vulnerabilities(dc.vulnerabilities)) + "\n"))
        paths.append(try put("events.jsonl", eventLines(dc.events)))
        return paths
    }

    static func eventLines(_ events: [Event]) -> String {
        var text = ""
        text.reserveCapacity(events.count * 110)
        for e in events {
            text += e.jsonLine
            text += "\n"
        }
        return text
    }
}
