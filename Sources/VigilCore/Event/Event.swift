/// What happened in one event of the log (DESIGN §3).
public enum EventBody: Sendable, Hashable {
    case placed(vm: String, host: String)
    case migrated(vm: String, from: String, to: String)
    case removed(vm: String)
    /// A VM's run state changed (Vigil extension: `vm.state`).
    case stateChanged(vm: String, state: VMState)
    /// A host's state changed, e.g. marked compromised (Vigil extension: `host.state`).
    case hostStateChanged(host: String, state: HostState)
    case incident(Incident)
}

/// One timestamped event of the placement and incident history.
public struct Event: Sendable, Hashable {
    public var time: Timestamp
    public var body: EventBody

    public init(time: Timestamp, body: EventBody) {
        self.time = time
        self.body = body
    }

    /// The event's `type` as written in JSON.
    public var type: String {
        switch body {
        case .placed: "vm.placed"
        case .migrated: "vm.migrated"
        case .removed: "vm.removed"
        case .stateChanged: "vm.state"
        case .hostStateChanged: "host.state"
        case .incident: "incident"
        }
    }

    /// The VM the event is about, if any (the subject VM of an incident).
    public var vm: String? {
        switch body {
        case .placed(let vm, _), .migrated(let vm, _, _), .removed(let vm), .stateChanged(let vm, _): vm
        case .incident(let i): if case .vm(let v) = i.subject { v } else { nil }
        case .hostStateChanged: nil
        }
    }

    /// The event as one canonical JSON line (no trailing newline), as stored in the log.
    public var jsonLine: String {
        var out = "{\"time\":\"\(RFC3339.format(time))\",\"type\":\"\(type)\""
        switch body {
        case .placed(let vm, let host):
            out += ",\"vm\":\(JSONWriter.quote(vm)),\"host\":\(JSONWriter.quote(host))"
        case .migrated(let vm, let from, let to):
            out += ",\"vm\":\(JSONWriter.quote(vm)),\"from\":\(JSONWriter.quote(from)),\"to\":\(JSONWriter.quote(to))"
        case .removed(let vm):
            out += ",\"vm\":\(JSONWriter.quote(vm))"
        case .stateChanged(let vm, let state):
            out += ",\"vm\":\(JSONWriter.quote(vm)),\"state\":\"\(state.rawValue)\""
        case .hostStateChanged(let host, let state):
            out += ",\"host\":\(JSONWriter.quote(host)),\"state\":\"\(state.rawValue)\""
        case .incident(let i):
            out += ",\"incident\":" + JSONWriter.write(i.jsonValue)
        }
        return out + "}"
    }
}

extension Incident {
    /// The incident's JSON form (the `incident` member of an event).
    public var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(id)), ("subject", .object([(subject.kind, .string(subject.value))])),
            ("severity", .string(severity.rawValue)), ("source", .string(source)), ("signature", .string(signature)),
        ]
        if let role { members.append(("role", .string(role))) }
        return .object(members)
    }
}
