import VigilCore
import VigilIngest
import VigilStore

/// Runs an alert stream through attribution, response and durable recording (`vigil ingest`, and the
/// server's alert routes and intake sockets).
public enum AlertIngestion {
    /// What an alert stream produced, as `vigil ingest` reports it.
    public struct Summary: Sendable {
        public var lines = 0
        public var alerts = 0
        public var skipped: [String: Int] = [:]
        public var malformed: [(line: Int, reason: String)] = []
        public var incidents = 0
        public var duplicates = 0
        public var unmatched = 0
        public var decisions: [ResponseDecision] = []
        /// Nanoseconds from each acted-on alert's arrival to its decided actions (not part of the JSON).
        public var decisionNanos: [UInt64] = []

        public init() {}

        /// Adds a session's tallies (incidents, duplicates, unmatched, decisions) to these line tallies.
        public mutating func add(_ t: Summary) {
            incidents += t.incidents
            duplicates += t.duplicates
            unmatched += t.unmatched
            decisions += t.decisions
            decisionNanos += t.decisionNanos
        }

        /// The JSON `vigil ingest --json` prints.
        public var json: JSONValue {
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
    }

    /// Parses `text` as `format` alert lines and handles every alert at `now`; changes left `executing` by a
    /// crash are reconciled first. `progress` hears about long streams (every 500k lines, every flush).
    public static func run(
        text: String, format: AlertFormat, db: any VigilStore, now: Timestamp,
        drivers: DriverConfiguration = DriverConfiguration(), flushEvery: Int = 20_000,
        progress: ((String) -> Void)? = nil
    ) async throws -> Summary {
        _ = try await ChangeReconciler.reconcile(db: db, drivers: drivers, now: now)
        var session = try ResponseSession(db: db, now: now, drivers: drivers)
        let big = text.utf8.count > 20_000_000
        var (summary, alerts) = parse(text: text, format: format) { n in
            if big && n % 500_000 == 0 { progress?("… \(n) lines read") }
        }
        for (i, a) in alerts.enumerated() {
            try await session.handle(a)
            if (i + 1) % flushEvery == 0 {
                try session.flush()
                if big { progress?("… \(i + 1) alerts recorded") }
            }
        }
        try session.flush()
        summary.add(session.takeTallies())
        return summary
    }

    /// Parses `text` as `format` alert lines: the line tallies (lines, alerts, skipped, malformed) and the alerts.
    /// `line` hears each line's number as it is read.
    public static func parse(text: String, format: AlertFormat, line: (Int) -> Void = { _ in }) -> (Summary, [Alert]) {
        var summary = Summary()
        var alerts: [Alert] = []
        AlertParser.parseLines(text, format: format) { n, result in
            summary.lines += 1
            switch result {
            case .alert(let a): alerts.append(a)
            case .skipped(let type): summary.skipped[type, default: 0] += 1
            case .malformed(let reason): summary.malformed.append((n, reason))
            }
            line(summary.lines)
        }
        summary.alerts = alerts.count
        return (summary, alerts)
    }
}
