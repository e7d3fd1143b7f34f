import VigilCore

/// Decodes a `Playbooks` document (DESIGN §4).
enum PlaybooksDecoder {
    static func decode(_ top: inout FieldReader) throws(DocumentError) -> PlaybookSet {
        var out: [Playbook] = []
        var names: Set<String> = []
        for (i, n) in try top.list("playbooks").enumerated() {
            let path = "playbooks[\(i)]"
            var r = try FieldReader(n, path: path, file: top.file)
            let name = try r.identifier("name")
            guard names.insert(name).inserted else {
                throw r.error(n.line, "\(path).name", "duplicate playbook name \"\(name)\"")
            }
            var when = PlaybookCondition()
            if var w = try r.object("when") {
                if let s = try w.optionalString("subject") {
                    guard s == "vm" || s == "host" else {
                        throw w.error(w.line, w.fieldPath("subject"), "\"\(s)\" is not one of vm | host")
                    }
                    when.subject = s
                }
                when.minSeverity = try InventoryDecoder.enumValue(&w, "minSeverity", Severity.self)
                if let role = try w.optionalString("role") {
                    guard role == "attacker" || role == "victim" else {
                        throw w.error(w.line, w.fieldPath("role"), "\"\(role)\" is not one of attacker | victim")
                    }
                    when.role = role
                }
                try w.finish()
            }
            var actions: [PlaybookAction] = []
            for (k, item) in try r.list("actions").enumerated() {
                let p = "\(path).actions[\(k)]"
                let s = try r.text(item, p)
                guard let a = PlaybookAction(rawValue: s) else {
                    let allowed = PlaybookAction.allCases.map(\.rawValue).joined(separator: " | ")
                    throw r.error(item.line, p, "\"\(s)\" is not one of \(allowed)")
                }
                actions.append(a)
            }
            guard !actions.isEmpty else {
                throw r.error(n.line, "\(path).actions", "a playbook needs at least one action")
            }
            var lookback: Int64 = 30 * 86400
            if r.node("lookback") != nil { lookback = try r.duration("lookback") }
            try r.finish()
            out.append(Playbook(name: name, when: when, actions: actions, lookback: lookback))
        }
        return PlaybookSet(playbooks: out)
    }
}
