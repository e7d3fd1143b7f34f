import Testing
import VigilCore
import VigilTestSupport

@Suite struct GeneratorTests {
    @Test func sameSeedSameDatacenter() {
        let config = GeneratorConfig(sites: 3, hosts: 40, vms: 500, tenants: 12, days: 30, events: 3000, seed: 9)
        let a = DatacenterGenerator.generate(config)
        let b = DatacenterGenerator.generate(config)
        #expect(
            JSONWriter.write(DocumentEncoder.inventory(a.inventory))
                == JSONWriter.write(DocumentEncoder.inventory(b.inventory)))
        #expect(a.events == b.events)
        let c = DatacenterGenerator.generate(
            GeneratorConfig(sites: 3, hosts: 40, vms: 500, tenants: 12, days: 30, events: 3000, seed: 10))
        #expect(c.events != a.events)
    }

    @Test func historyIsValidAndRealistic() throws {
        let dc = DatacenterGenerator.generate(
            GeneratorConfig(sites: 3, hosts: 60, vms: 2000, tenants: 30, days: 30, events: 20_000, seed: 3))
        #expect(dc.events.count == 20_000)
        var tracker = PlacementTracker(tracks: [:], hosts: Set(dc.inventory.hosts.map(\.id)))
        for vm in dc.inventory.vms {
            tracker.introduce(vm: vm.id, host: vm.host, state: vm.state, at: dc.inventory.observedAt!, baseline: true)
        }
        for e in dc.events { try tracker.apply(e) }
        #expect(zip(dc.events, dc.events.dropFirst()).allSatisfy { $0.time <= $1.time })
        let kinds = Dictionary(grouping: dc.events, by: \.type).mapValues(\.count)
        #expect(kinds["vm.migrated", default: 0] > 10_000)
        #expect(kinds["incident", default: 0] > 50)
        #expect(kinds["vm.placed", default: 0] > 50)
        let products = Set(dc.inventory.hosts.map(\.hypervisor.product))
        #expect(products == ["xen", "kvm", "esxi"])
        // skewed tenants: the largest tenant has many times the VMs of the median one
        let sizes = Dictionary(grouping: dc.inventory.vms, by: \.tenant).values.map(\.count).sorted()
        #expect(sizes.last! > 5 * sizes[sizes.count / 2])
        #expect(dc.inventory.hosts.contains { $0.role == .quarantine })
    }
}
