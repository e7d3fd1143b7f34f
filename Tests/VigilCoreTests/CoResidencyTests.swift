import Testing

@testable import VigilCore

/// Co-residency tables: what `maxNew` counts, and that a long-running world does not keep what no window
/// can count any more.
@Suite struct CoResidencyTests {
    @Test func aVMThatKeepsMovingKeepsOnlyCoResidenciesInsideTheWindow() {
        var input = RandomWorlds.input(seed: 21, size: (hosts: 40, vms: 600))
        let day: Int64 = 86400
        input.policies = PolicySet(policies: [
            Policy(
                name: "churn", enforcement: .hard, selector: nil,
                rules: PolicyRules(neighbours: NeighbourRules(maxNew: CountWithin(count: 3, within: day))))
        ])
        var w = PolicyWorld.build(input)
        let v = Int32(0)
        var everMet: Set<Int32> = []
        var lastResidents: [Int32] = []
        for i in 0..<300 {
            w.advance(to: w.now + 3 * day)
            var to = Int32(i % w.hostCount)
            if to == w.hostOf[Int(v)] { to = (to + 1) % Int32(w.hostCount) }
            lastResidents = w.vms(on: to)
            everMet.formUnion(lastResidents)
            w.move(v, to: to)
        }
        // Only the last move's co-residencies are inside the one-day window, and only they are counted.
        #expect(w.newNeighbourCount(v, within: day) == lastResidents.count)
        #expect(lastResidents.allSatisfy { w.coResidencies[Int(v)][$0] == w.now })
        // The table was pruned as it filled: far fewer entries than VMs ever met.
        let kept = w.coResidencies[Int(v)].count
        #expect(everMet.count > 5 * kept, "\(everMet.count) met, \(kept) kept")
    }

    @Test(arguments: [31, 32, 33] as [UInt64])
    func pruningKeepsExactlyWhatTheWindowsCanCount(seed: UInt64) {
        var input = RandomWorlds.input(seed: seed, size: (hosts: 30, vms: 400))
        let day: Int64 = 86400
        input.policies = PolicySet(policies: [
            Policy(
                name: "churn", enforcement: .hard, selector: nil,
                rules: PolicyRules(neighbours: NeighbourRules(maxNew: CountWithin(count: 3, within: day)))),
            Policy(
                name: "slow", enforcement: .soft, selector: nil,
                rules: PolicyRules(neighbours: NeighbourRules(maxNew: CountWithin(count: 9, within: 3 * day)))),
        ])
        var w = PolicyWorld.build(input)
        var rng = SplitMix64(seed: seed)
        for _ in 0..<4000 {
            w.advance(to: w.now + Timestamp(rng.below(600)))
            w.move(Int32(rng.below(w.vmCount)), to: Int32(rng.below(w.hostCount)))
        }
        let before = w.coResidencies
        let counts = { (w: PolicyWorld) in
            [day, 3 * day].map { win in (0..<Int32(w.vmCount)).map { w.newNeighbourCount($0, within: win) } }
        }
        let countsBefore = counts(w)
        w.pruneCoResidencies()
        let oldest = w.now - 3 * day
        for v in 0..<w.vmCount {
            #expect(w.coResidencies[v] == before[v].filter { $0.value > oldest }, "vm \(v)")
        }
        #expect(counts(w) == countsBefore)
        let (kept, held) = (w.coResidencies.map(\.count).reduce(0, +), before.map(\.count).reduce(0, +))
        #expect(kept < held, "\(kept) kept of \(held)")
    }

    @Test func selectionFindsTheSameElementAsSorting() {
        var rng = SplitMix64(seed: 17)
        for _ in 0..<2000 {
            // Short arrays with many ties, like begins recorded by the same move.
            var xs = (0..<(1 + rng.below(60))).map { _ in Timestamp(rng.below(12)) }
            let sorted = xs.sorted()
            let rank = rng.below(xs.count)
            #expect(IncrementalAuditor.select(&xs, rank: rank) == sorted[rank])
            #expect(xs.sorted() == sorted)
        }
    }
}
