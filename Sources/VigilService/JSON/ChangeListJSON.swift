import VigilCore
import VigilStore

/// The JSON of DESIGN §6 for `vigil changes --json`: each change with its anti-spoofing handover.
public enum ChangeListJSON {
    public static func list(_ db: any VigilStore, state: ChangeState?) throws -> JSONValue {
        let changes = try db.changes(state: state)
        let handovers = try db.handovers()
        return .object([
            (
                "changes",
                .array(
                    changes.map { c in
                        guard case .object(var m) = ChangeJSON.value(c), let h = handovers[c.id] else {
                            return ChangeJSON.value(c)
                        }
                        m.append(("antiSpoofing", .raw(h)))
                        return .object(m)
                    })
            )
        ])
    }
}
