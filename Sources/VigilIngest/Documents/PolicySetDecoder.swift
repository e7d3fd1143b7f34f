import VigilCore

/// Decodes a `PolicySet` document (DESIGN §2): selectors, rule groups and their ranges.
enum PolicySetDecoder {
    static func decode(_ top: inout FieldReader) throws(DocumentError) -> PolicySet {
        var policies: [Policy] = []
        var names: Set<String> = []
        for (i, n) in try top.list("policies").enumerated() {
            let path = "policies[\(i)]"
            var r = try FieldReader(n, path: path, file: top.file)
            let name = try r.identifier("name")
            guard names.insert(name).inserted else {
                throw r.error(n.line, "\(path).name", "duplicate policy name \"\(name)\"")
            }
            let enforcement = try InventoryDecoder.enumValue(&r, "enforcement", Enforcement.self) ?? .hard
            let selector = try r.node("selector").map { (s) throws(DocumentError) in
                try decodeSelector(s, path: "\(path).selector", file: top.file, allowSelf: false)
            }
            var rules = PolicyRules()
            if var rr = try r.object("rules") {
                rules = try decodeRules(&rr)
                try rr.finish()
            }
            try r.finish()
            policies.append(Policy(name: name, enforcement: enforcement, selector: selector, rules: rules))
        }
        return PolicySet(policies: policies)
    }

    static func decodeRules(_ r: inout FieldReader) throws(DocumentError) -> PolicyRules {
        var rules = PolicyRules()
        if var s = try r.object("site") {
            rules.site = SiteRules(
                minTier: try s.optionalInt("minTier", in: 1...4), jurisdictions: try s.optionalStrings("jurisdictions"))
            try s.finish()
        }
        if var s = try r.object("networks") {
            rules.networks = NetworkRules(zones: try s.optionalStrings("zones"))
            try s.finish()
        }
        if var s = try r.object("hypervisor") {
            var minVersion: [String: Version]?
            if let mv = try s.object("minVersion") {
                var out: [String: Version] = [:]
                for m in mv.members { out[m.key] = try mv.versionValue(m.node, mv.fieldPath(m.key)) }
                minVersion = out
            }
            rules.hypervisor = HypervisorRules(
                products: try s.optionalStrings("products"), virtualization: try s.optionalStrings("virtualization"),
                minVersion: minVersion, maxCvss: try s.optionalDouble("maxCvss", in: 0...10),
                noKnownExploited: try s.optionalBool("noKnownExploited"))
            try s.finish()
        }
        if var s = try r.object("neighbours") {
            var forbid: [Selector]?
            if let items = try s.optionalList("forbid") {
                var out: [Selector] = []
                for (k, item) in items.enumerated() {
                    out.append(
                        try decodeSelector(item, path: "\(s.fieldPath("forbid"))[\(k)]", file: s.file, allowSelf: true))
                }
                forbid = out
            }
            rules.neighbours = NeighbourRules(
                max: try s.optionalInt("max", in: 0...Int.max), forbid: forbid,
                minSecurityLevel: try s.optionalInt("minSecurityLevel", in: 0...4),
                maxIncidents: try countWithin(&s, "maxIncidents"), maxNew: try countWithin(&s, "maxNew"))
            try s.finish()
        }
        return rules
    }

    static func countWithin(_ r: inout FieldReader, _ key: String) throws(DocumentError) -> CountWithin? {
        guard var c = try r.object(key) else { return nil }
        let value = CountWithin(count: try c.int("count", in: 0...Int.max), within: try c.duration("within"))
        try c.finish()
        return value
    }

    static func decodeSelector(_ n: DocNode, path: String, file: String, allowSelf: Bool) throws(DocumentError)
        -> Selector
    {
        var r = try FieldReader(n, path: path, file: file)
        var sel = Selector()
        sel.id = try match(&r, "id", allowSelf: allowSelf)
        sel.tenant = try match(&r, "tenant", allowSelf: allowSelf)
        sel.environment = try match(&r, "environment", allowSelf: allowSelf)
        sel.labels = try matchMap(&r, "labels", allowSelf: allowSelf)
        sel.tenantLabels = try matchMap(&r, "tenantLabels", allowSelf: allowSelf)
        try r.finish()
        return sel
    }

    static func matchMap(_ r: inout FieldReader, _ key: String, allowSelf: Bool) throws(DocumentError) -> [String:
        FieldMatch]
    {
        guard var m = try r.object(key) else { return [:] }
        var out: [String: FieldMatch] = [:]
        for member in m.members {
            out[member.key] = try match(&m, member.key, allowSelf: allowSelf)
        }
        try m.finish()
        return out
    }

    static func match(_ r: inout FieldReader, _ key: String, allowSelf: Bool) throws(DocumentError) -> FieldMatch? {
        guard let n = r.node(key) else { return nil }
        let path = r.fieldPath(key)
        if case .array(let items) = n.value {
            var values: [String] = []
            for (k, item) in items.enumerated() {
                let s = try r.text(item, "\(path)[\(k)]")
                guard !s.hasPrefix("!"), s != "self" else {
                    throw r.error(
                        item.line, "\(path)[\(k)]", "\"\(s)\": negation and self are not allowed inside a list")
                }
                values.append(s)
            }
            guard !values.isEmpty else { throw r.error(n.line, path, "the list must not be empty") }
            return .anyOf(values)
        }
        let s = try r.text(n, path)
        guard !s.isEmpty, s != "!" else { throw r.error(n.line, path, "must not be empty") }
        if s == "self" || s == "!self" {
            guard allowSelf else { throw r.error(n.line, path, "\"\(s)\" is only allowed in neighbours.forbid") }
            return s == "self" ? .sameAsSelf : .differentFromSelf
        }
        return s.hasPrefix("!") ? .not(String(s.dropFirst())) : .equals(s)
    }
}
