import VigilCore
import VigilStore

/// An exposure answer (DESIGN §3) read from the database: the index is built from only the intervals
/// of the hosts involved, fetched through the (host, start) index.
struct ExposureReport {
    var subject: (kind: String, id: String)
    var since: Timestamp
    var until: Timestamp
    var entries: [ExposureEntry]
    var identical: [String]

    static func forVM(_ id: String, db: VigilDatabase, since: Timestamp, until: Timestamp) throws -> ExposureReport {
        guard let vm = try db.vm(id) else { throw CLIError("unknown vm \"\(id)\"") }
        let own = try db.intervals(vm: id)
        let hosts = own.filter { $0.start < until && ($0.end ?? .max) > since }.map(\.host)
        let index = IntervalIndex(
            own + (try db.intervals(onHosts: hosts, since: since, until: until)).filter { $0.vm != id })
        return ExposureReport(
            subject: ("vm", id), since: since, until: until,
            entries: index.exposure(vm: id, since: since, until: until),
            identical: try db.identicallyConfigured(as: vm))
    }

    static func forHost(_ id: String, db: VigilDatabase, since: Timestamp, until: Timestamp) throws -> ExposureReport {
        guard try db.host(id) != nil else { throw CLIError("unknown host \"\(id)\"") }
        let index = IntervalIndex(try db.intervals(onHosts: [id], since: since, until: until))
        return ExposureReport(
            subject: ("host", id), since: since, until: until,
            entries: index.exposure(host: id, since: since, until: until),
            identical: [])
    }

    var json: JSONValue {
        .object([
            (subject.kind, .string(subject.id)), ("since", .string(RFC3339.format(since))),
            ("until", .string(RFC3339.format(until))),
            (
                "neighbours",
                .array(
                    entries.map { e in
                        .object([
                            ("vm", .string(e.vm)), ("host", .string(e.host)),
                            (
                                "intervals",
                                .array(
                                    e.intervals.map {
                                        .object([
                                            ("from", .string(RFC3339.format($0.from))),
                                            ("to", .string(RFC3339.format($0.to))),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
            ("identicalConfiguration", .strings(identical)),
        ])
    }

    func printTable() {
        print(
            "exposure of \(subject.kind) \(subject.id) from \(RFC3339.format(since)) to \(RFC3339.format(until)): \(entries.count) neighbour placement(s)"
        )
        var t = TextTable("VM", "HOST", "FROM", "TO", "HOURS")
        for e in entries {
            for r in e.intervals {
                t.add(
                    e.vm, e.host, RFC3339.format(r.from), RFC3339.format(r.to),
                    String(format1((Double(r.to - r.from) / 3600))))
            }
        }
        t.print()
        if subject.kind == "vm" {
            print(
                "identically configured (same template and patch level): \(identical.isEmpty ? "none" : identical.joined(separator: ", "))"
            )
        }
    }
}

/// One decimal place, without Foundation formatting.
func format1(_ x: Double) -> String {
    let tenths = Int((x * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
}
