import Testing

@testable import VigilCore

/// The placement index (summaries per host) against `Placer.evaluate` host by host, on random datacenters and
/// while VMs move and incidents arrive.
@Suite struct PlacementIndexTests {
    struct Option: Equatable, CustomStringConvertible {
        var host: Int32
        var soft: Int
        var score: Double
        var description: String { "\(host)/\(soft)/\(score)" }
    }

    /// Feasible hosts by `Placer.evaluate`, ascending by host.
    static func expected(_ v: Int32, _ w: PolicyWorld, _ cache: HostVerdictCache) -> [Option] {
        (0..<Int32(w.hostCount)).compactMap { h in
            guard h != w.hostOf[Int(v)],
                case .feasible(let score, let soft) = Placer.evaluate(v, on: h, in: w, cache: cache)
            else { return nil }
            return Option(host: h, soft: soft.count, score: score)
        }
    }

    @Test func verdictsEqualPlacerOnEveryHostWhileTheWorldChanges() {
        var feasibleSeen = 0
        var softSeen = 0
        var decisions = 0
        for seed in 1...500 as ClosedRange<UInt64> {
            var w = PolicyWorld.build(RandomWorlds.input(seed: seed))
            let cache = HostVerdictCache(w)
            var index = PlacementIndex(w, cache: cache)
            var rng = SplitMix64(seed: seed ^ 0xfeed)
            for round in 0..<4 {
                for v in 0..<Int32(w.vmCount) {
                    let want = Self.expected(v, w, cache)
                    var got: [Option] = []
                    index.scan(v, in: w) { got.append(Option(host: $0, soft: $1, score: $2)) }
                    #expect(got == want, "seed \(seed) round \(round) vm \(w.vmID(v))")
                    if got != want { return }
                    let best = want.min { ($0.soft, $0.score, $0.host) < ($1.soft, $1.score, $1.host) }
                    let d = index.decide(v, in: w)
                    #expect(
                        d.host == best?.host && d.feasibleHosts == want.count && d.softViolations == best?.soft ?? 0)
                    feasibleSeen += want.count
                    softSeen += want.filter { $0.soft > 0 }.count
                    decisions += d.host == nil ? 0 : 1
                }
                for _ in 0..<12 {
                    let v = Int32(rng.below(w.vmCount))
                    let from = w.hostOf[Int(v)]
                    let to = Int32(rng.below(w.hostCount + 1)) - 1
                    w.move(v, to: to)
                    index.moved(from: from, to: to, in: w)
                }
                let u = Int32(rng.below(w.vmCount))
                w.addIncident(u, at: w.now - Int64(rng.below(3 * 86400)))
                index.incidentAdded(u, in: w)
            }
        }
        #expect(feasibleSeen > 10_000)
        #expect(softSeen > 1000, "\(softSeen)")
        #expect(decisions > 5000, "\(decisions)")
    }

    @Test(arguments: [3, 5, 8] as [UInt64])
    func aFilledHostStopsBeingChosenAndComesBackWhenFreed(seed: UInt64) {
        // Without policies only the base constraints decide, so capacity is what moves the choice.
        var input = RandomWorlds.input(seed: seed)
        input.policies = PolicySet(policies: [])
        // Every host keeps room for a few more VMs only.
        for id in input.cmdb.hosts.keys { input.cmdb.hosts[id]!.capacity = Resources(vcpus: 16, memoryMiB: 32768) }
        for (vm, host) in input.placement {
            input.cmdb.hosts[host]!.capacity.vcpus += input.cmdb.vms[vm]!.resources.vcpus
            input.cmdb.hosts[host]!.capacity.memoryMiB += input.cmdb.vms[vm]!.resources.memoryMiB
        }
        var w = PolicyWorld.build(input)
        let cache = HostVerdictCache(w)
        var index = PlacementIndex(w, cache: cache)
        guard let v = (0..<Int32(w.vmCount)).first(where: { index.decide($0, in: w).host != nil }),
            let first = index.decide(v, in: w).host
        else {
            Issue.record("seed \(seed) should have a VM to place")
            return
        }
        // Moving VMs onto the chosen host until it is full changes the decision once the index is told.
        var movedHere: [(Int32, Int32)] = []
        for u in 1..<Int32(w.vmCount) where w.hostOf[Int(u)] != first {
            let from = w.hostOf[Int(u)]
            w.move(u, to: first)
            index.moved(from: from, to: first, in: w)
            movedHere.append((u, from))
            if !CapacityRule.fits(v, host: first, world: w) { break }
        }
        #expect(!CapacityRule.fits(v, host: first, world: w))
        #expect(index.decide(v, in: w).host != first)
        var fresh = PlacementIndex(w, cache: cache)
        #expect(index.decide(v, in: w) == fresh.decide(v, in: w))
        for (u, from) in movedHere.reversed() {
            w.move(u, to: from)
            index.moved(from: first, to: from, in: w)
        }
        #expect(index.decide(v, in: w).host == first)
    }
}
