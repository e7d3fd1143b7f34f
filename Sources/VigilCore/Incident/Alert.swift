/// An IDS alert, normalised from Suricata EVE, Wazuh or Vigil's own form, before it is attributed.
public struct Alert: Sendable, Hashable {
    public var time: Timestamp
    /// `suricata`, `wazuh` or `vigil`.
    public var source: String
    /// Stable identity of the alert (same alert delivered twice → same identity).
    public var identity: String
    public var severity: Severity
    public var signature: String
    public var sourceIP: String?
    public var destinationIP: String?
    /// A subject named directly (Vigil's form, or a Wazuh agent name that is a VM or host id).
    public var subject: IncidentSubject?

    public init(
        time: Timestamp, source: String, identity: String, severity: Severity, signature: String,
        sourceIP: String? = nil,
        destinationIP: String? = nil, subject: IncidentSubject? = nil
    ) {
        self.time = time
        self.source = source
        self.identity = identity
        self.severity = severity
        self.signature = signature
        self.sourceIP = sourceIP
        self.destinationIP = destinationIP
        self.subject = subject
    }
}

/// Who owns an address: VMs by NIC IP at each time (the versioned history), hosts by management IP.
public struct AddressBook: Sendable {
    /// Every stretch of VM ownership of each IP, oldest first.
    var vmByIP: [String: [AddressOwnership]] = [:]
    var hostByIP: [String: String] = [:]
    var vms: Set<String> = []
    var hosts: Set<String> = []

    /// Builds the book from the CMDB's current NICs, as if each VM had always held its addresses.
    public init(_ cmdb: Cmdb) {
        self.init(
            cmdb,
            history: cmdb.vms.values.flatMap { vm in
                vm.nics.map { AddressOwnership(ip: $0.ip, vm: vm.id, since: .min) }
            })
    }

    /// Builds the book from the versioned address history (`VigilStore.addressHistory`).
    public init(_ cmdb: Cmdb, history: [AddressOwnership]) {
        for o in history { vmByIP[o.ip, default: []].append(o) }
        for k in vmByIP.keys { vmByIP[k]?.sort { ($0.since, $0.vm) < ($1.since, $1.vm) } }
        for (id, h) in cmdb.hosts { for ip in h.managementIps { hostByIP[ip] = id } }
        vms = Set(cmdb.vms.keys)
        hosts = Set(cmdb.hosts.keys)
    }

    /// The VM or host owning `ip` at `time`.
    public func owner(of ip: String, at time: Timestamp) -> IncidentSubject? {
        if let v = vmByIP[ip]?.last(where: { $0.holds(at: time) }) { return .vm(v.vm) }
        if let h = hostByIP[ip] { return .host(h) }
        return nil
    }

    /// Turns an alert into incidents: one for the owner of the source address (role attacker), one for the
    /// owner of the destination address (role victim); a named subject as given; otherwise one incident whose
    /// subject is the unmatched source address (never dropped).
    public func incidents(for a: Alert) -> [Incident] {
        func make(_ subject: IncidentSubject, _ role: String?, _ suffix: String) -> Incident {
            Incident(
                id: a.identity + suffix, subject: subject, severity: a.severity, source: a.source,
                signature: a.signature, role: role)
        }
        var out: [Incident] = []
        if let ip = a.sourceIP, let owner = owner(of: ip, at: a.time) { out.append(make(owner, "attacker", "-a")) }
        if let ip = a.destinationIP, let owner = owner(of: ip, at: a.time) { out.append(make(owner, "victim", "-v")) }
        if out.isEmpty, let s = a.subject {
            switch s {
            case .vm(let v) where vms.contains(v): return [make(s, nil, "")]
            case .vm(let h) where hosts.contains(h): return [make(.host(h), nil, "")]
            case .host(let h) where hosts.contains(h): return [make(s, nil, "")]
            default: break
            }
        }
        if out.isEmpty {
            let address = a.sourceIP ?? a.destinationIP ?? a.subject?.value ?? "unknown"
            out.append(make(.unmatched(address), nil, "-u"))
        }
        return out
    }
}
