/// What placement needs to know about the residents of each host, aggregated so a newcomer is checked in a few
/// comparisons instead of one pass over the residents per host:
/// - about the residents themselves (for the newcomer's own neighbour rules): how many, their lowest security
///   level, their highest incident count per window, and for each forbid selector the distinct values of its
///   `self` fields among the residents it matches;
/// - about what the residents' hard neighbour rules demand of a newcomer: the fewest neighbours allowed, the
///   highest security level required, the lowest incident limit per window, the forbid selectors they carry
///   (with their own `self` values), and the residents whose `maxNew` limit one more new neighbour would break.
///
/// Each host's entry depends only on its residents, their incidents and co-residencies, and the world's time,
/// so after a move only the two hosts involved are refreshed.
struct HostSummaries: Sendable {
    /// A resident whose hard `maxNew` limit is reached (`over`: already exceeded, any newcomer breaks it;
    /// otherwise only a newcomer that is not already one of its new neighbours does).
    struct TightNew: Sendable {
        var vm: Int32
        var within: Int64
        var over: Bool
    }

    /// The neighbour rules binding each VM.
    let ruleSets: NeighbourRuleSets
    let entries: [ForbidEntry]
    /// Entry indexes of each policy's forbid rule (empty when it has none).
    let policyEntries: [[Int]]
    /// The distinct windows of `maxIncidents` rules.
    let incidentWindows: [Int64]

    var count: [Int32]
    var minLevel: [Int32]
    /// `maxIncidents[window][host]`.
    var maxIncidents: [[Int32]]
    var residentLimit: [Int32]
    var requiredLevel: [Int32]
    /// `incidentLimit[window][host]`.
    var incidentLimit: [[Int32]]
    var tight: [[TightNew]]
    /// `suspects[entry][host]`: the distinct `self` projections of residents matching the entry's plain part.
    var suspects: [[[Int32]]]
    /// `owners[entry][host]`: the distinct `self` projections of residents bound (hard) by the entry's rule.
    var owners: [[[Int32]]]
    /// Per host: bit `min(e, 63)` is set when `suspects[e]` / `owners[e]` is not empty there.
    var suspectMask: [UInt64]
    var ownerMask: [UInt64]

    init(_ w: PolicyWorld) {
        var entries: [ForbidEntry] = []
        policyEntries = w.policies.map { p in
            p.rules.flatMap { rule -> [Int] in
                guard case .forbid(let selectors) = rule.kind else { return [] }
                return selectors.map { s in
                    entries.append(ForbidEntry(s))
                    return entries.count - 1
                }
            }
        }
        self.entries = entries
        ruleSets = NeighbourRuleSets(w)
        incidentWindows = w.maxIncidentsWindows
        let n = w.hostCount
        count = [Int32](repeating: 0, count: n)
        minLevel = count
        maxIncidents = incidentWindows.map { _ in [Int32](repeating: 0, count: n) }
        residentLimit = count
        requiredLevel = count
        incidentLimit = maxIncidents
        tight = [[TightNew]](repeating: [], count: n)
        suspects = entries.map { _ in [[Int32]](repeating: [], count: n) }
        owners = suspects
        suspectMask = [UInt64](repeating: 0, count: n)
        ownerMask = suspectMask
        for h in 0..<Int32(n) { refresh(h, in: w) }
    }

    /// The index of `within` in `incidentWindows`.
    func window(_ within: Int64) -> Int {
        guard let k = incidentWindows.firstIndex(of: within) else {
            preconditionFailure("incidentWindows holds the window of every maxIncidents rule")
        }
        return k
    }

    /// Recomputes host `h`'s entry from its current residents.
    mutating func refresh(_ h: Int32, in w: PolicyWorld) {
        let i = Int(h)
        let residents = w.vmsOn[i]
        count[i] = Int32(residents.count)
        minLevel[i] = .max
        residentLimit[i] = .max
        requiredLevel[i] = .min
        for k in incidentWindows.indices {
            maxIncidents[k][i] = 0
            incidentLimit[k][i] = .max
        }
        tight[i].removeAll()
        for e in entries.indices {
            suspects[e][i].removeAll()
            owners[e][i].removeAll()
        }
        suspectMask[i] = 0
        ownerMask[i] = 0
        var scratch: [Int32] = []
        for u in residents {
            minLevel[i] = min(minLevel[i], Int32(w.vms[Int(u)].securityLevel))
            for (k, within) in incidentWindows.enumerated() {
                let c = Int32(w.incidentCount(u, after: w.now - within, upTo: w.now))
                maxIncidents[k][i] = max(maxIncidents[k][i], c)
            }
            for (e, entry) in entries.enumerated() where entry.plain.matches(u, own: u, in: w) {
                Self.add(u, entry, e, host: i, to: &suspects, mask: &suspectMask, in: w, scratch: &scratch)
            }
            for ref in ruleSets.rules(of: u) where w.policies[Int(ref.key.policy)].enforcement == .hard {
                let limit = Int32(clamping: ref.limit)
                switch ref.kind {
                case .maxNeighbours: residentLimit[i] = min(residentLimit[i], limit)
                case .minSecurityLevel: requiredLevel[i] = max(requiredLevel[i], limit)
                case .maxIncidents:
                    let k = window(ref.within)
                    incidentLimit[k][i] = min(incidentLimit[k][i], limit)
                case .forbid:
                    for e in policyEntries[Int(ref.key.policy)] {
                        Self.add(u, entries[e], e, host: i, to: &owners, mask: &ownerMask, in: w, scratch: &scratch)
                    }
                case .maxNew:
                    let n = w.newNeighbourCount(u, within: ref.within)
                    if n >= ref.limit { tight[i].append(TightNew(vm: u, within: ref.within, over: n > ref.limit)) }
                }
            }
        }
    }

    /// Adds `u`'s projection for entry `e` to `table[e][host]` unless that tuple is already there.
    private static func add(
        _ u: Int32, _ entry: ForbidEntry, _ e: Int, host i: Int, to table: inout [[[Int32]]], mask: inout [UInt64],
        in w: PolicyWorld, scratch: inout [Int32]
    ) {
        scratch.removeAll(keepingCapacity: true)
        entry.project(u, in: w, into: &scratch)
        let stride = entry.stride
        let list = table[e][i]
        var start = 0
        while start < list.count {
            if list[start..<(start + stride)].elementsEqual(scratch) { return }
            start += stride
        }
        table[e][i].append(contentsOf: scratch)
        mask[i] |= 1 << UInt64(min(e, 63))
    }
}
