/// Per policy and host: the first host-level rule that fails (site, networks, hypervisor rules do not depend on
/// the VM, only on the policy), so placement and audit check them in O(1) per host.
public struct HostVerdictCache: Sendable {
    /// `firstFail[p][h]`: index into policy p's rules of the first failing host rule, or -1.
    var firstFail: [[Int16]]

    /// Computes the verdicts for every policy and host of `w`.
    public init(_ w: PolicyWorld) {
        firstFail = w.policies.map { p in
            (0..<Int32(w.hostCount)).map { h in
                let k = p.rules.firstIndex {
                    !$0.id.isNeighbourRule && $0.check(vm: 0, host: h, neighbours: [], world: w) != nil
                }
                return Int16(k ?? -1)
            }
        }
    }
}
