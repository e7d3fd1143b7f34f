/// A selector field match over interned values.
enum CompiledMatch: Sendable, Hashable {
    case equals(Int32)
    case anyOf([Int32])
    case not(Int32)
    case sameAsSelf
    case differentFromSelf

    init(_ m: FieldMatch, _ interner: inout Interner) {
        switch m {
        case .equals(let s): self = .equals(interner.intern(s))
        case .anyOf(let xs): self = .anyOf(xs.map { interner.intern($0) })
        case .not(let s): self = .not(interner.intern(s))
        case .sameAsSelf: self = .sameAsSelf
        case .differentFromSelf: self = .differentFromSelf
        }
    }

    /// Whether `value` (-1: absent) matches; `own` is the bound VM's value (-1: absent).
    /// Absent values: `x`, `[…]` and `self` never match them; `!x` does; `!self` does unless both are absent.
    @inline(__always)
    func matches(_ value: Int32, own: Int32) -> Bool {
        switch self {
        case .equals(let x): return value == x
        case .anyOf(let xs): return value >= 0 && xs.contains(value)
        case .not(let x): return value != x
        case .sameAsSelf: return value >= 0 && value == own
        case .differentFromSelf: return value != own
        }
    }
}

/// A selector compiled against a world's interned strings: an AND of field matches.
struct CompiledSelector: Sendable {
    var id: CompiledMatch?
    var tenant: CompiledMatch?
    var environment: CompiledMatch?
    var labels: [(key: Int32, match: CompiledMatch)]
    var tenantLabels: [(key: Int32, match: CompiledMatch)]

    init(_ s: Selector, _ interner: inout Interner) {
        id = s.id.map { CompiledMatch($0, &interner) }
        tenant = s.tenant.map { CompiledMatch($0, &interner) }
        environment = s.environment.map { CompiledMatch($0, &interner) }
        labels = s.labels.sorted { $0.key < $1.key }.map {
            (interner.intern($0.key), CompiledMatch($0.value, &interner))
        }
        tenantLabels = s.tenantLabels.sorted { $0.key < $1.key }.map {
            (interner.intern($0.key), CompiledMatch($0.value, &interner))
        }
    }

    /// Whether VM `u` matches; `own` is the bound VM for `self`/`!self` (or `u` itself for policy selectors).
    func matches(_ u: Int32, own: Int32, in w: PolicyWorld) -> Bool {
        w.vms.withUnsafeBufferPointer { vms in
            let a = Int(u)
            let b = Int(own)
            if let m = id, !m.matches(vms[a].name, own: vms[b].name) { return false }
            if let m = tenant, !m.matches(vms[a].tenant, own: vms[b].tenant) { return false }
            if let m = environment, !m.matches(vms[a].environment, own: vms[b].environment) { return false }
            for (k, m) in labels where !m.matches(vms[a].labels[k] ?? -1, own: vms[b].labels[k] ?? -1) { return false }
            for (k, m) in tenantLabels
            where !m.matches(vms[a].tenantLabels[k] ?? -1, own: vms[b].tenantLabels[k] ?? -1) {
                return false
            }
            return true
        }
    }
}
