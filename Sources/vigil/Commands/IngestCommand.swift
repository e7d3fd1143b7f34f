import ArgumentParser
import Foundation
import VigilCore
import VigilIngest
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

    @Option(help: "suricata (EVE JSON), wazuh (alerts.json) or vigil (incident event lines).")
    var format: AlertFormat

    @Argument(help: "The alert file, or - for standard input.") var file: String

    func run() async throws {
        let db = try common.open()
        let now = try at.resolve()
        let summary = try await AlertIngestion.run(
            text: try readText(file), file: file, format: format, db: db, now: now)
        if common.json {
            Console.json(summary.json)
        } else {
            summary.printTable()
        }
    }
}

extension AlertFormat: ExpressibleByArgument {}

/// Runs an alert stream through attribution, response and durable recording.
enum AlertIngestion {
    struct Summary {
        var lines = 0
        var alerts = 0
        var skipped: [String: Int] = [:]
        var malformed: [(line: Int, reason: String)] = []
        var incidents = 0
        var duplicates = 0
        var unmatched = 0
        var decisions: [ResponseDecision] = []

        var json: JSONValue {
            .object([
                ("lines", .int(Int64(lines))), ("alerts", .int(Int64(alerts))), ("incidents", .int(Int64(incidents))),
                ("duplicates", .int(Int64(duplicates))), ("unmatched", .int(Int64(unmatched))),
                ("skipped", .object(skipped.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })),
                (
                    "malformed",
                    .array(malformed.map { .object([("line", .int(Int64($0.line))), ("reason", .string($0.reason))]) })
                ),
                (
                    "responses",
                    .array(
                        decisions.filter { !$0.playbooks.isEmpty }.map { d in
                            .object([
                                ("incident", .string(d.incident.id)), ("playbooks", .strings(d.playbooks)),
                                ("steps", .strings(d.steps.map(\.kind))),
                            ])
                        })
                ),
            ])
        }

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

    static func run(
        text: String, file: String, format: AlertFormat, db: VigilDatabase, now: Timestamp, flushEvery: Int = 20_000
    )
        async throws -> Summary
    {
        var executor = try ResponseExecutor(db: db, now: now)
        var summary = Summary()
        var alerts: [Alert] = []
        let big = text.utf8.count > 20_000_000
        AlertParser.parseLines(text, format: format) { line, result in
            summary.lines += 1
            switch result {
            case .alert(let a): alerts.append(a)
            case .skipped(let type): summary.skipped[type, default: 0] += 1
            case .malformed(let reason):
                summary.malformed.append((line, reason))
                Console.error("\(file):\(line): \(reason)")
            }
            if big && summary.lines % 500_000 == 0 { Console.error("… \(summary.lines) lines read") }
        }
        for (i, a) in alerts.enumerated() {
            await executor.handle(a)
            if (i + 1) % flushEvery == 0 {
                try executor.flush(now: now)
                if big { Console.error("… \(i + 1) alerts recorded") }
            }
        }
        try executor.flush(now: now)
        summary.alerts = alerts.count
        summary.incidents = executor.incidents
        summary.duplicates = executor.duplicates
        summary.unmatched = executor.unmatched
        summary.decisions = executor.decisions
        return summary
    }
}
