/// Writes Vigil documents as JSON (which is also valid YAML), in the schema of DESIGN §2.
public enum DocumentEncoder {
    static func header(_ kind: String) -> [(String, JSONValue)] {
        [("apiVersion", .string("vigil/v1")), ("kind", .string(kind))]
    }

    /// An `Inventory` document.
    public static func inventory(_ inv: Inventory) -> JSONValue {
        var m = header("Inventory")
        if let t = inv.observedAt { m.append(("observedAt", .string(RFC3339.format(t)))) }
        m.append(
            (
                "sites",
                .array(
                    inv.sites.map {
                        .object([
                            ("id", .string($0.id)), ("tier", .int(Int64($0.tier))),
                            ("jurisdiction", .string($0.jurisdiction)),
                        ])
                    })
            ))
        m.append(
            ("networks", .array(inv.networks.map { .object([("id", .string($0.id)), ("zone", .string($0.zone))]) })))
        m.append(("hosts", .array(inv.hosts.map(host))))
        m.append(
            ("tenants", .array(inv.tenants.map { .object([("id", .string($0.id)), ("labels", .labels($0.labels))]) })))
        m.append(("vms", .array(inv.vms.map(vm))))
        return .object(m)
    }

    /// `{"vcpus", "memoryMiB"}`, as in documents and `show` output.
    public static func resources(_ r: Resources) -> JSONValue {
        .object([("vcpus", .int(Int64(r.vcpus))), ("memoryMiB", .int(Int64(r.memoryMiB)))])
    }

    /// `{"product", "version", "virtualization"}`.
    public static func hypervisor(_ h: Hypervisor) -> JSONValue {
        .object([
            ("product", .string(h.product)), ("version", .string(h.version.text)),
            ("virtualization", .string(h.virtualization)),
        ])
    }

    /// `{"id", "patchLevel"}`.
    public static func template(_ t: Template) -> JSONValue {
        .object([("id", .string(t.id)), ("patchLevel", .string(t.patchLevel))])
    }

    /// `[{"mac", "ip", "network"}]`.
    public static func nics(_ nics: [NIC]) -> JSONValue {
        .array(
            nics.map { .object([("mac", .string($0.mac)), ("ip", .string($0.ip)), ("network", .string($0.network))]) })
    }

    static func host(_ h: Host) -> JSONValue {
        .object([
            ("id", .string(h.id)), ("site", .string(h.site)), ("networks", .strings(h.networks)),
            ("hypervisor", hypervisor(h.hypervisor)), ("capacity", resources(h.capacity)),
            ("role", .string(h.role.rawValue)),
            ("state", .string(h.state.rawValue)),
            ("managementIps", .strings(h.managementIps)), ("labels", .labels(h.labels)),
        ])
    }

    static func vm(_ v: VM) -> JSONValue {
        var m: [(String, JSONValue)] = [
            ("id", .string(v.id)), ("tenant", .string(v.tenant)), ("environment", .string(v.environment)),
            ("securityLevel", .int(Int64(v.securityLevel))), ("resources", resources(v.resources)),
            ("template", template(v.template)), ("nics", nics(v.nics)), ("labels", .labels(v.labels)),
        ]
        if let h = v.host { m.append(("host", .string(h))) }
        m.append(("state", .string(v.state.rawValue)))
        return .object(m)
    }

    /// A `VulnerabilityFeed` document.
    public static func vulnerabilities(_ feed: VulnerabilityFeed) -> JSONValue {
        .object(
            header("VulnerabilityFeed") + [
                (
                    "vulnerabilities",
                    .array(
                        feed.vulnerabilities.map { v in
                            .object(
                                [
                                    ("id", .string(v.id)), ("product", .string(v.product)), ("cvss", .double(v.cvss)),
                                    (
                                        "affected",
                                        .array(
                                            v.affected.map { a in
                                                var r: [(String, JSONValue)] = []
                                                if let i = a.introduced { r.append(("introduced", .string(i.text))) }
                                                if let f = a.fixed { r.append(("fixed", .string(f.text))) }
                                                return .object(r)
                                            })
                                    ),
                                ] + (v.knownExploited ? [("knownExploited", .bool(true))] : []))
                        })
                )
            ])
    }

    /// A `PolicySet` document.
    public static func policies(_ set: PolicySet) -> JSONValue {
        .object(header("PolicySet") + [("policies", .array(set.policies.map(policy)))])
    }

    static func match(_ m: FieldMatch) -> JSONValue {
        switch m {
        case .equals(let s): .string(s)
        case .anyOf(let xs): .strings(xs)
        case .not(let s): .string("!" + s)
        case .sameAsSelf: .string("self")
        case .differentFromSelf: .string("!self")
        }
    }

    static func selector(_ s: Selector) -> JSONValue {
        var m: [(String, JSONValue)] = []
        if let x = s.id { m.append(("id", match(x))) }
        if let x = s.tenant { m.append(("tenant", match(x))) }
        if let x = s.environment { m.append(("environment", match(x))) }
        if !s.labels.isEmpty {
            m.append(("labels", .object(s.labels.sorted { $0.key < $1.key }.map { ($0.key, match($0.value)) })))
        }
        if !s.tenantLabels.isEmpty {
            m.append(
                ("tenantLabels", .object(s.tenantLabels.sorted { $0.key < $1.key }.map { ($0.key, match($0.value)) })))
        }
        return .object(m)
    }

    static func countWithin(_ c: CountWithin) -> JSONValue {
        .object([("count", .int(Int64(c.count))), ("within", .string(DurationText.format(c.within)))])
    }

    static func policy(_ p: Policy) -> JSONValue {
        var rules: [(String, JSONValue)] = []
        if let s = p.rules.site {
            var r: [(String, JSONValue)] = []
            if let t = s.minTier { r.append(("minTier", .int(Int64(t)))) }
            if let j = s.jurisdictions { r.append(("jurisdictions", .strings(j))) }
            rules.append(("site", .object(r)))
        }
        if let n = p.rules.networks, let z = n.zones { rules.append(("networks", .object([("zones", .strings(z))]))) }
        if let h = p.rules.hypervisor {
            var r: [(String, JSONValue)] = []
            if let x = h.products { r.append(("products", .strings(x))) }
            if let x = h.virtualization { r.append(("virtualization", .strings(x))) }
            if let x = h.minVersion {
                r.append(("minVersion", .object(x.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.text)) })))
            }
            if let x = h.maxCvss { r.append(("maxCvss", .double(x))) }
            if let x = h.noKnownExploited { r.append(("noKnownExploited", .bool(x))) }
            rules.append(("hypervisor", .object(r)))
        }
        if let n = p.rules.neighbours {
            var r: [(String, JSONValue)] = []
            if let x = n.max { r.append(("max", .int(Int64(x)))) }
            if let x = n.forbid { r.append(("forbid", .array(x.map(selector)))) }
            if let x = n.minSecurityLevel { r.append(("minSecurityLevel", .int(Int64(x)))) }
            if let x = n.maxIncidents { r.append(("maxIncidents", countWithin(x))) }
            if let x = n.maxNew { r.append(("maxNew", countWithin(x))) }
            rules.append(("neighbours", .object(r)))
        }
        var m: [(String, JSONValue)] = [("name", .string(p.name)), ("enforcement", .string(p.enforcement.rawValue))]
        if let s = p.selector { m.append(("selector", selector(s))) }
        m.append(("rules", .object(rules)))
        return .object(m)
    }
}
