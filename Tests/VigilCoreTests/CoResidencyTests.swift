import Testing

@testable import VigilCore

/// Co-residency tables: what `maxNew` counts, and that a long-running world does not keep what no window
/// can count any more.
@Suite struct CoResidencyTests {
    @Test func aVMThatKeepsMovingKeepsOnlyCoResidenciesInsideTheWindow() {
        let day: Int64 = 86400
        let input = RandomWorlds.churn(seed: 21, hosts: 40, vms: 600, count: 3)
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
            let pruned = w.coResidencies[v].map { [Int64($0.key), $0.value] }
            #expect(pruned == before[v].filter { $0.value > oldest }.map { [Int64($0.key), $0.value] }, "vm \(v)")
        }
        #expect(counts(w) == countsBefore)
        let (kept, held) = (w.coResidencies.map(\.count).reduce(0, +), before.map(\.count).reduce(0, +))
        #expect(kept < held, "\(kept) kept of \(held)")
    }

    /// A long-running engine that calls `pruneIfDue` after each batch holds nothing older than the longest
    /// window plus an eighth of it.
    @Test func anEngineThatPrunesHoldsOnlyTheWindowAndAnEighth() {
        let day: Int64 = 86400
        let input = RandomWorlds.churn(seed: 61, hosts: 30, vms: 400, count: 3)
        var engine = IncrementalAuditor(PolicyWorld.build(input))
        var rng = SplitMix64(seed: 61)
        var time = input.at
        for i in 0..<20_000 {
            time += Timestamp(rng.below(60))
            engine.move(Int32(rng.below(engine.world.vmCount)), to: Int32(rng.below(engine.world.hostCount)), at: time)
            if i % 100 == 0 { engine.pruneIfDue() }
        }
        let oldest = engine.world.coResidencies.flatMap { $0.values }.min() ?? .max
        #expect(time - input.at > 5 * day)
        #expect(oldest > time - day - day / 8 - 100 * 60, "oldest begin \(time - oldest) s before now")
    }

    /// An event that arrives late begins its co-residencies when it happened, as a world built from the
    /// history would; one older than every window records none.
    @Test func aLateMoveBeginsWhenItHappened() {
        let day: Int64 = 86400
        let input = RandomWorlds.churn(seed: 71, hosts: 10, vms: 100, count: 3)
        var engine = IncrementalAuditor(PolicyWorld.build(input))
        let now = engine.world.now
        let (v, u) = (Int32(0), Int32(1))
        let h = (0..<Int32(engine.world.hostCount)).first {
            $0 != engine.world.hostOf[0] && $0 != engine.world.hostOf[1]
        }!
        engine.move(u, to: h, at: now)
        engine.move(v, to: h, at: now - 7200)
        #expect(engine.world.now == now)
        #expect(engine.world.coResidencies[Int(v)][u] == now - 7200)
        #expect(engine.world.coResidencies[Int(u)][v] == now - 7200)
        let w = Int32(2)
        engine.move(w, to: h, at: now - 2 * day)
        #expect(engine.world.coResidencies[Int(w)][u] == nil)
        #expect(engine.world.coResidencies[Int(u)][w] == nil)
    }

    /// The packed table against a dictionary: the same begins after random sets, removals and builds.
    @Test(arguments: [41, 42, 43] as [UInt64])
    func theTableAgreesWithADictionary(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var table = CoResidencyTable()
        var reference: [Int32: Timestamp] = [:]
        for _ in 0..<5000 {
            let u = Int32(rng.below(300))
            let t = Timestamp(1_700_000_000 + rng.below(1_000_000))
            if rng.chance(0.2) {
                table[u] = nil
                reference[u] = nil
            } else {
                table[u] = t
                reference[u] = t
            }
            let probe = Int32(rng.below(300))
            #expect(table[probe] == reference[probe])
        }
        // Merging a batch of VMs at one begin equals noting them one by one.
        for _ in 0..<200 {
            let batch = Array(Set((0..<(1 + rng.below(30))).map { _ in Int32(rng.below(400)) }))
            let t = Timestamp(1_700_000_000 + rng.below(1_000_000))
            table.noteLatest(batch, t)
            for u in batch { reference[u] = max(reference[u] ?? t, t) }
        }
        #expect(table.count == reference.count)
        #expect(table.map(\.key) == reference.keys.sorted())
        #expect(
            table.map { [Int64($0.key), $0.value] }
                == reference.sorted { $0.key < $1.key }.map { [Int64($0.key), $0.value] })
        // Built from pairs naming a VM twice, the latest begin is kept.
        let pairs = (0..<2000).map { _ in (vm: Int32(rng.below(200)), begin: Timestamp(rng.below(1 << 31))) }
        var latest: [Int32: Timestamp] = [:]
        for p in pairs { latest[p.vm] = max(latest[p.vm] ?? p.begin, p.begin) }
        let built = CoResidencyTable(pairs)
        #expect(
            built.map { [Int64($0.key), $0.value] }
                == latest.sorted { $0.key < $1.key }.map { [Int64($0.key), $0.value] })
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

extension RandomWorlds {
    /// A random world whose only policy is a hard `maxNew` of `count` within `within` (co-residency tests).
    static func churn(seed: UInt64, hosts: Int, vms: Int, count: Int = 3, within: Int64 = 86400) -> PolicyInput {
        var input = RandomWorlds.input(seed: seed, size: (hosts: hosts, vms: vms))
        input.policies = PolicySet(policies: [
            Policy(
                name: "churn", enforcement: .hard, selector: nil,
                rules: PolicyRules(neighbours: NeighbourRules(maxNew: CountWithin(count: count, within: within))))
        ])
        return input
    }
}
