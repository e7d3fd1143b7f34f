import VigilCore
import VigilService
import VigilTestSupport

/// Builds an in-memory policy instance from a generated datacenter: the inventory, the history replayed into
/// intervals, incidents, and the placement at the end of the history.
enum PolicyInstance {
    static func input(_ dc: GeneratedDatacenter, policies: PolicySet? = nil) -> PolicyInput {
        var cmdb = Cmdb()
        for s in dc.inventory.sites { cmdb.sites[s.id] = s }
        for n in dc.inventory.networks { cmdb.networks[n.id] = n }
        for t in dc.inventory.tenants { cmdb.tenants[t.id] = t }
        for h in dc.inventory.hosts { cmdb.hosts[h.id] = h }
        var tracker = PlacementTracker(tracks: [:], hosts: Set(cmdb.hosts.keys))
        let t0 = dc.inventory.observedAt ?? 0
        for vm in dc.inventory.vms {
            tracker.introduce(vm: vm.id, host: vm.host, state: vm.state, at: t0, baseline: true)
        }
        var incidents: [(time: Timestamp, incident: Incident)] = []
        for e in dc.events {
            if case .incident(let i) = e.body { incidents.append((e.time, i)) }
            try? tracker.apply(e)
        }
        var intervals = tracker.closed
        var placement: [String: String] = [:]
        for vm in dc.inventory.vms {
            var v = vm
            if let t = tracker.track(of: vm.id) {
                v.host = t.host
                v.state = t.state
                if t.state != .stopped, let open = t.openInterval(vm: vm.id) {
                    intervals.append(open)
                    placement[vm.id] = open.host
                }
            }
            cmdb.vms[v.id] = v
        }
        let at = (dc.events.last?.time ?? t0) + 1
        return PolicyInput(
            cmdb: cmdb, placement: placement, intervals: intervals, incidents: incidents,
            policies: policies ?? dc.policies, vulnerabilities: dc.vulnerabilities, at: at)
    }
}
