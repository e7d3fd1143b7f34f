import VigilCore
import VigilStore

/// An exposure answer (DESIGN §3) read from the store: the index is built from only the intervals
/// of the hosts involved, fetched through the (host, start) index.
public struct ExposureReport: Sendable {
    public var subject: (kind: String, id: String)
    public var since: Timestamp
    public var until: Timestamp
    public var entries: [ExposureEntry]
    public var identical: [String]

    public init(
        subject: (kind: String, id: String), since: Timestamp, until: Timestamp, entries: [ExposureEntry],
        identical: [String]
    ) {
        self.subject = subject
        self.since = since
        self.until = until
        self.entries = entries
        self.identical = identical
    }

    public static func forVM(_ id: String, db: any VigilStore, since: Timestamp, until: Timestamp) throws
        -> ExposureReport
    {
        guard let vm = try db.vm(id) else { throw ServiceError(.notFound, "unknown vm \"\(id)\"") }
        let own = try db.intervals(vm: id)
        let hosts = own.filter { $0.start < until && ($0.end ?? .max) > since }.map(\.host)
        let index = IntervalIndex(
            own + (try db.intervals(onHosts: hosts, since: since, until: until)).filter { $0.vm != id })
        return ExposureReport(
            subject: ("vm", id), since: since, until: until,
            entries: index.exposure(vm: id, since: since, until: until),
            identical: try db.identicallyConfigured(as: vm))
    }

    public static func forHost(_ id: String, db: any VigilStore, since: Timestamp, until: Timestamp) throws
        -> ExposureReport
    {
        guard try db.host(id) != nil else { throw ServiceError(.notFound, "unknown host \"\(id)\"") }
        let index = IntervalIndex(try db.intervals(onHosts: [id], since: since, until: until))
        return ExposureReport(
            subject: ("host", id), since: since, until: until,
            entries: index.exposure(host: id, since: since, until: until),
            identical: [])
    }

    /// The JSON of DESIGN §6 (`vigil exposure --json`).
    public var json: JSONValue {
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
}
