import ArgumentParser
import VigilCore
import VigilStore

/// `vigil incidents`: incidents with the actions taken for each.
struct IncidentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents", abstract: "List incidents and the actions taken.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        let db = try common.open()
        let incidents = try db.incidents()
        let actions = try db.actions()
        if common.json {
            Console.json(
                .object([
                    (
                        "incidents",
                        .array(
                            incidents.sorted { $0.incident.id < $1.incident.id }.map { (time, i) in
                                .object([
                                    ("id", .string(i.id)), ("time", .string(RFC3339.format(time))),
                                    ("source", .string(i.source)),
                                    ("severity", .string(i.severity.rawValue)),
                                    ("subject", .object([(i.subject.kind, .string(i.subject.value))])),
                                    ("role", .optional(i.role)),
                                    ("signature", .string(i.signature)),
                                    (
                                        "actions",
                                        .array(
                                            (actions[i.id] ?? []).map {
                                                .object([
                                                    ("kind", .string($0.kind)), ("state", .string($0.state)),
                                                    ("change", .optional($0.change)),
                                                ])
                                            })
                                    ),
                                ])
                            })
                    )
                ]))
            return
        }
        var t = TextTable("INCIDENT", "TIME", "SEVERITY", "SUBJECT", "ROLE", "ACTIONS", "SIGNATURE")
        for (time, i) in incidents {
            t.add(
                i.id, RFC3339.format(time), i.severity.rawValue, "\(i.subject.kind) \(i.subject.value)", i.role ?? "-",
                (actions[i.id] ?? []).map { "\($0.kind):\($0.state)" }.joined(separator: " "), i.signature)
        }
        t.print()
    }
}
