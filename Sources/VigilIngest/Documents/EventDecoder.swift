import VigilCore

/// Decodes one event of a JSON Lines history (DESIGN §3).
enum EventDecoder {
    static func decode(_ node: DocNode, file: String) throws(DocumentError) -> Event {
        var r = try FieldReader(node, path: "", file: file)
        guard let t = try r.time("time") else { throw r.error(node.line, "time", "required field is missing") }
        let type = try r.string("type")
        let body: EventBody
        switch type {
        case "vm.placed":
            body = .placed(vm: try r.identifier("vm"), host: try r.identifier("host"))
        case "vm.migrated":
            body = .migrated(vm: try r.identifier("vm"), from: try r.identifier("from"), to: try r.identifier("to"))
        case "vm.removed":
            body = .removed(vm: try r.identifier("vm"))
        case "vm.state":
            let vm = try r.identifier("vm")
            guard let state = try InventoryDecoder.enumValue(&r, "state", VMState.self) else {
                throw r.error(node.line, "state", "required field is missing")
            }
            body = .stateChanged(vm: vm, state: state)
        case "incident":
            var i = try r.requireObject("incident")
            body = .incident(try decodeIncident(&i))
            try i.finish()
        default:
            throw r.error(node.line, "type", "unknown event type \"\(type)\" (vm.placed | vm.migrated | vm.removed | vm.state | incident)")
        }
        try r.finish()
        return Event(time: t, body: body)
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
