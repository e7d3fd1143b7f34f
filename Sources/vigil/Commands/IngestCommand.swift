import ArgumentParser
import Foundation
import VigilCore
import VigilIngest
import VigilService
import VigilStore

/// `vigil ingest --format suricata|wazuh|vigil FILE|-`: alerts to incidents, and the playbooks' response.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract:
            "Stream IDS alerts into incidents and run the matching playbooks (snapshot, quarantine, evacuate, …).",
        discussion: "Malformed lines are reported with their line number and skipped; the rest of the stream goes on.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var at: AtOption
    @OptionGroup var driver: DriverOptions

    @Option(help: "suricata (EVE JSON), wazuh (alerts.json) or vigil (incident event lines).")
    var format: AlertFormat

    @Argument(help: "The alert file, or - for standard input.") var file: String

    func run() async throws {
        let db = try common.open()
        let now = try at.resolve()
        let summary = try await AlertIngestion.run(
            text: try InputFile.read(file), format: format, db: db, now: now, drivers: try driver.drivers(),
            progress: { Console.error($0) })
        for m in summary.malformed { Console.error("\(file):\(m.line): \(m.reason)") }
        if common.json {
            Console.json(summary.json)
        } else {
            summary.printTable()
        }
    }
}

extension AlertFormat: ExpressibleByArgument {}

/// Renders an ingest summary for people.
extension AlertIngestion.Summary {
    func printTable() {
        print(
            "ok: \(lines) lines, \(alerts) alerts → \(incidents) incidents (\(unmatched) unmatched, \(duplicates) already recorded), \(malformed.count) malformed"
        )
        if !skipped.isEmpty {
            print(
                "skipped non-alert records: "
                    + skipped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        for d in decisions where !d.playbooks.isEmpty {
            print(
                "\(d.incident.id) (\(d.incident.subject.kind) \(d.incident.subject.value), \(d.incident.severity.rawValue)\(d.incident.role.map { ", " + $0 } ?? "")): \(d.playbooks.joined(separator: ", ")) → \(d.steps.map(\.kind).joined(separator: ", "))"
            )
        }
    }
}
