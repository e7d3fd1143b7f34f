import ArgumentParser
import VigilCore
import VigilStore

/// `vigil history --vm ID`: a VM's placements over time and the events about it.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "A VM's placement intervals and the log records about it.")

    @OptionGroup var common: CommonOptions

    @Option(help: "The VM.") var vm: String

    func run() throws {
        let db = try common.open()
        guard try db.vm(vm) != nil else { throw CLIError("unknown vm \"\(vm)\"") }
        let intervals = try db.intervals(vm: vm)
        let records = try db.records(vm: vm)
        if common.json {
            Console.json(
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
                ]))
            return
        }
        var t = TextTable("HOST", "FROM", "TO")
        for i in intervals { t.add(i.host, RFC3339.format(i.start), i.end.map(RFC3339.format) ?? "(now)") }
        t.print()
        print("")
        var e = TextTable("SEQ", "TIME", "EVENT")
        for r in records { e.add(String(r.seq), RFC3339.format(r.time), r.body) }
        e.print()
    }
}
