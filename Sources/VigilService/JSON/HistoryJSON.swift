import VigilCore
import VigilStore

/// A VM's placement intervals and the log records about it (`vigil history --json`).
public struct VMHistory: Sendable {
    public var vm: String
    public var intervals: [PlacementInterval]
    public var records: [LogRecord]

    /// Reads the history of `vm`; an unknown VM is an error.
    public init(vm: String, db: any VigilStore) throws {
        guard try db.vm(vm) != nil else { throw ServiceError(.notFound, "unknown vm \"\(vm)\"") }
        self.vm = vm
        intervals = try db.intervals(vm: vm)
        records = try db.records(vm: vm)
    }

    public var json: JSONValue {
        .object([
            ("vm", .string(vm)),
            (
                "intervals",
                .array(
                    intervals.map {
                        .object([
                            ("host", .string($0.host)), ("from", .string(RFC3339.format($0.start))),
                            ("to", .optional($0.end.map(RFC3339.format))),
                        ])
                    })
            ),
            ("events", .array(records.map { .raw($0.body) })),
        ])
    }
}
