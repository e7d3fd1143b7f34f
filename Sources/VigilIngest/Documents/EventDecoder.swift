import VigilCore

/// Decodes one event of a JSON Lines history (DESIGN §3). Event files hold millions of lines, so the
/// common placement events are read in one pass over the members; errors are the same as elsewhere.
enum EventDecoder {
    static let keys = ["time", "type", "vm", "host", "from", "to", "state", "incident"]
    static let keyBytes = keys.map { Array($0.utf8) }
    static let allowed: [String: UInt8] = [
        "vm.placed": 0b0000_1111, "vm.migrated": 0b0011_0111, "vm.removed": 0b0000_0111, "vm.state": 0b0100_0111,
        "incident": 0b1000_0011, "host.state": 0b0100_1011,
    ]

    static func decode(_ node: DocNode, file: String) throws(DocumentError) -> Event {
        func fail(_ path: String, _ message: String) -> DocumentError {
            DocumentError(file: file, line: node.line, path: path, message: message)
        }
        guard case .object(let members) = node.value else {
            throw fail("", "expected a JSON object, found \(node.typeName)")
        }
        var values = [String?](repeating: nil, count: 8)
        var incidentNode: DocNode?
        var seen: UInt8 = 0
        for m in members {
            guard let k = keys.firstIndex(of: m.key) else { throw fail(m.key, "unknown field") }
            let bit = UInt8(1) << UInt8(k)
            guard seen & bit == 0 else { throw fail(m.key, "duplicate field") }
            seen |= bit
            if k == 7 {
                incidentNode = m.node
                continue
            }
            guard case .scalar(let s, _) = m.node.value else {
                throw fail(m.key, "expected a string, found \(m.node.typeName)")
            }
            if k >= 2 && k <= 5 && !Syntax.isIdentifier(s) {
                throw fail(m.key, "\"\(s)\" is not an identifier (letters, digits, '.', '_', '-')")
            }
            values[k] = s
        }
        return try event(values: values, seen: seen, incident: incidentNode, file: file, fail: fail)
    }

    /// Builds the event from its member values (`values[k]` for `keys[k]`, `seen` their bits), checking that
    /// the type's fields and only those are present. Shared by the DocNode path and `EventLineScanner`.
    static func event(
        values: [String?], seen: UInt8, incident incidentNode: DocNode?, file: String,
        fail: (String, String) -> DocumentError
    ) throws(DocumentError) -> Event {
        guard let timeText = values[0] else { throw fail("time", "required field is missing") }
        guard let time = RFC3339.parse(timeText) else {
            throw fail("time", "\"\(timeText)\" is not an RFC 3339 time (e.g. 2026-09-01T00:00:00Z)")
        }
        guard let type = values[1] else { throw fail("type", "required field is missing") }
        guard let mask = allowed[type] else {
            throw fail(
                "type",
                "unknown event type \"\(type)\" (vm.placed | vm.migrated | vm.removed | vm.state | host.state | incident)"
            )
        }
        for k in 0..<8 where mask & (1 << UInt8(k)) != 0 && seen & (1 << UInt8(k)) == 0 {
            throw fail(keys[k], "required field is missing")
        }
        for k in 0..<8 where mask & (1 << UInt8(k)) == 0 && seen & (1 << UInt8(k)) != 0 {
            throw fail(keys[k], "unknown field for a \(type) event")
        }
        // The checks above make every member of the type's mask present: the `else` branches below only repeat
        // the missing-field error for the compiler.
        switch type {
        case "vm.placed":
            guard let vm = values[2] else { throw fail(keys[2], "required field is missing") }
            guard let host = values[3] else { throw fail(keys[3], "required field is missing") }
            return Event(time: time, body: .placed(vm: vm, host: host))
        case "vm.migrated":
            guard let vm = values[2] else { throw fail(keys[2], "required field is missing") }
            guard let from = values[4] else { throw fail(keys[4], "required field is missing") }
            guard let to = values[5] else { throw fail(keys[5], "required field is missing") }
            return Event(time: time, body: .migrated(vm: vm, from: from, to: to))
        case "vm.removed":
            guard let vm = values[2] else { throw fail(keys[2], "required field is missing") }
            return Event(time: time, body: .removed(vm: vm))
        case "host.state":
            guard let host = values[3] else { throw fail(keys[3], "required field is missing") }
            guard let stateText = values[6] else { throw fail(keys[6], "required field is missing") }
            guard let state = HostState(rawValue: stateText) else {
                throw fail("state", "\"\(stateText)\" is not one of active | maintenance | compromised")
            }
            return Event(time: time, body: .hostStateChanged(host: host, state: state))
        case "vm.state":
            guard let vm = values[2] else { throw fail(keys[2], "required field is missing") }
            guard let stateText = values[6] else { throw fail(keys[6], "required field is missing") }
            guard let state = VMState(rawValue: stateText) else {
                throw fail("state", "\"\(stateText)\" is not one of running | stopped | quarantined")
            }
            return Event(time: time, body: .stateChanged(vm: vm, state: state))
        default:
            guard let incidentNode else { throw fail(keys[7], "required field is missing") }
            var i = try FieldReader(incidentNode, path: "incident", file: file)
            let incident = try decodeIncident(&i)
            try i.finish()
            return Event(time: time, body: .incident(incident))
        }
    }

    /// Decodes Vigil's own incident form: `{id, subject: {vm|host|unmatched}, severity, source, signature, role?}`.
    static func decodeIncident(_ r: inout FieldReader) throws(DocumentError) -> Incident {
        let id = try r.identifier("id")
        var s = try r.requireObject("subject")
        let subject: IncidentSubject
        if let vm = try s.optionalIdentifier("vm") {
            subject = .vm(vm)
        } else if let host = try s.optionalIdentifier("host") {
            subject = .host(host)
        } else if let ip = try s.optionalString("unmatched") {
            subject = .unmatched(ip)
        } else {
            throw s.error(s.line, s.path, "needs one of vm, host or unmatched")
        }
        try s.finish()
        let severity = try InventoryDecoder.enumValue(&r, "severity", Severity.self)
        guard let severity else { throw r.error(r.line, r.fieldPath("severity"), "required field is missing") }
        let source = try r.identifier("source")
        let signature = try r.optionalString("signature") ?? ""
        let role = try r.optionalString("role")
        if let role, role != "attacker" && role != "victim" {
            throw r.error(r.line, r.fieldPath("role"), "\"\(role)\" is not one of attacker | victim")
        }
        return Incident(id: id, subject: subject, severity: severity, source: source, signature: signature, role: role)
    }
}
