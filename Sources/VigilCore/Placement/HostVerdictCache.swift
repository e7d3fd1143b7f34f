/// Per policy and host: the first hard host-level rule that fails (site, networks, hypervisor rules do not
/// depend on the VM, only on the policy), so placement checks them in O(1) per host.
public struct HostVerdictCache: Sendable {
    /// `firstFail[p][h]`: index into policy p's rules of the first failing host rule, or -1.
    var firstFail: [[Int16]]
    /// `failCount[p][h]`: how many of policy p's host rules fail on h (for soft ranking).
    var failCount: [[UInt8]]

    /// Computes the verdicts for every policy and host of `w`.
    public init(_ w: PolicyWorld) {
        firstFail = []
        failCount = []
        for p in w.policies {
            var first = [Int16](repeating: -1, count: w.hostCount)
            var count = [UInt8](repeating: 0, count: w.hostCount)
            for h in 0..<w.hostCount {
                for (k, rule) in p.rules.enumerated() where !rule.id.isNeighbourRule {
                    if rule.check(vm: 0, host: Int32(h), neighbours: [], world: w) != nil {
                        if first[h] < 0 { first[h] = Int16(k) }
                        count[h] &+= 1
                    }
                }
            }
            firstFail.append(first)
            failCount.append(count)
        }
    }
}
