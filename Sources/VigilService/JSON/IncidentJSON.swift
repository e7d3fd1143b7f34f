import VigilCore
import VigilStore

/// The JSON of DESIGN §6 for `vigil incidents --json`.
public enum IncidentJSON {
    /// Every incident by id, with the actions taken for it.
    public static func list(_ db: any VigilStore) throws -> JSONValue {
        let incidents = try db.incidents()
        let actions = try db.actions()
        return .object([
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
        ])
    }
}
