/// One selector of a `neighbours.forbid` rule, split for the placement index: the `plain` part, which does not
/// depend on the bound VM, and the `self`/`!self` fields, compared with the bound VM's values. A host keeps the
/// distinct values of those fields among its residents, so a newcomer is checked against a handful of tuples
/// instead of every resident.
struct ForbidEntry: Sendable {
    enum Field: Sendable {
        case id, tenant, environment
        case label(Int32)
        case tenantLabel(Int32)
    }

    /// The selector without its `self`/`!self` fields.
    var plain: CompiledSelector
    /// The `self`/`!self` fields, in a fixed order: a VM's projection lists its values of these fields.
    var selfFields: [(field: Field, match: CompiledMatch)]

    init(_ s: CompiledSelector) {
        func isSelf(_ m: CompiledMatch?) -> Bool { m == .sameAsSelf || m == .differentFromSelf }
        var plain = s
        var fields: [(Field, CompiledMatch)] = []
        if let m = s.id, isSelf(m) {
            plain.id = nil
            fields.append((.id, m))
        }
        if let m = s.tenant, isSelf(m) {
            plain.tenant = nil
            fields.append((.tenant, m))
        }
        if let m = s.environment, isSelf(m) {
            plain.environment = nil
            fields.append((.environment, m))
        }
        plain.labels = s.labels.filter { !isSelf($0.match) }
        plain.tenantLabels = s.tenantLabels.filter { !isSelf($0.match) }
        fields += s.labels.filter { isSelf($0.match) }.map { (.label($0.key), $0.match) }
        fields += s.tenantLabels.filter { isSelf($0.match) }.map { (.tenantLabel($0.key), $0.match) }
        self.plain = plain
        self.selfFields = fields
    }

    /// Values per tuple; a selector without `self` fields stores one marker per host that has any match.
    var stride: Int { max(1, selfFields.count) }

    /// Appends VM `u`'s values of the `self` fields (-1: absent) to `out`.
    func project(_ u: Int32, in w: PolicyWorld, into out: inout [Int32]) {
        guard !selfFields.isEmpty else { return out.append(-2) }
        let vm = w.vms[Int(u)]
        for (field, _) in selfFields {
            switch field {
            case .id: out.append(vm.name)
            case .tenant: out.append(vm.tenant)
            case .environment: out.append(vm.environment)
            case .label(let k): out.append(vm.labels[k] ?? -1)
            case .tenantLabel(let k): out.append(vm.tenantLabels[k] ?? -1)
            }
        }
    }

    /// Whether a VM with `values` matches the `self` fields for a bound VM with `own` (both projections).
    @inline(__always)
    func selfMatches(_ values: UnsafeBufferPointer<Int32>, _ at: Int, own: UnsafeBufferPointer<Int32>, _ ownAt: Int)
        -> Bool
    {
        for (k, f) in selfFields.enumerated() where !f.match.matches(values[at + k], own: own[ownAt + k]) {
            return false
        }
        return true
    }
}
