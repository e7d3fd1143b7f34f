import Testing

@testable import VigilCore

/// Compacting the incremental auditor's agenda drops only items nobody waits for: an engine that compacts after
/// every event finds exactly what one that never compacts finds, with fewer items held.
@Suite struct AgendaCompactionTests {
    @Test(arguments: [51, 52] as [UInt64])
    func compactingChangesNoFinding(seed: UInt64) {
        let input = RandomWorlds.churn(seed: seed, hosts: 20, vms: 300, count: 2)
        var plain = IncrementalAuditor(PolicyWorld.build(input))
        var compacted = plain
        var rng = SplitMix64(seed: seed)
        var time = input.at
        for i in 1...3000 {
            time += Timestamp(rng.below(1200))
            let v = Int32(rng.below(plain.world.vmCount))
            let h = Int32(rng.below(plain.world.hostCount))
            plain.move(v, to: h, at: time)
            compacted.move(v, to: h, at: time)
            compacted.compactAgenda()
            if i % 200 == 0 { #expect(plain.violations == compacted.violations, "seed \(seed), event \(i)") }
        }
        #expect(compacted.agenda.count < plain.agenda.count, "\(compacted.agenda.count) vs \(plain.agenda.count)")
    }
}
