import Foundation
import VigilCore
import VigilService
import VigilTestSupport

/// Issue 3's benchmarks: B1 online placement (vs a Nova-style Python filter-and-weigh peer), B4 full and
/// incremental audit, B2 remediation plans (vs the optimum of an OR-Tools CP-SAT model on small instances).
public struct PolicyBench {
    let full: Bool
    var only: String? = nil

    public init(full: Bool, only: String? = nil) {
        self.full = full
        self.only = only
    }

    public func run() throws -> BenchReport {
        var report = BenchReport(bench: "policy")
        let scratch = try BenchDirectory("policy")
        let dir = scratch.path
        defer { scratch.remove() }
        if only != "plans" && only != "audit" { try placement(&report, dir: dir) }
        if only != "plans" && only != "placement" { try audit(&report) }
        if only != "placement" && only != "audit" { try plans(&report, dir: dir) }
        return report
    }

    /// Generates a datacenter and builds its policy world, reporting the build time.
    func world(_ config: GeneratorConfig, _ report: inout BenchReport) -> (PolicyInput, PolicyWorld) {
        Console.error("generating \(config.hosts) hosts, \(config.vms) VMs …")
        let input = PolicyInstance.input(DatacenterGenerator.generate(config))
        let t0 = nanos()
        let world = PolicyWorld.build(input)
        report.add(
            "world build (\(world.hostCount) hosts, \(world.vmCount) VMs, \(world.hostOfPlaced.count) placed, \(input.policies.policies.count) policies)",
            Double(nanos() - t0) / 1e6, "ms", target: "-")
        return (input, world)
    }

    func placement(_ report: inout BenchReport, dir: String) throws {
        let config =
            full
            ? GeneratorConfig(sites: 10, hosts: 5000, vms: 56_000, tenants: 400, days: 30, events: 200_000, seed: 3)
            : GeneratorConfig(sites: 3, hosts: 200, vms: 2100, tenants: 30, days: 30, events: 8000, seed: 3)
        let (input, world) = self.world(config, &report)
        let placed = world.hostOfPlaced
        var t0 = nanos()
        let cache = HostVerdictCache(world)
        report.add("host verdict cache build", Double(nanos() - t0) / 1e6, "ms", target: "-")

        // B1: placement requests (migrations of placed VMs), each evaluated against all hosts.
        var rng = SplitMix64(seed: 99)
        let requests = (0..<(full ? 10_000 : 1000)).map { _ in placed[rng.below(placed.count)] }
        t0 = nanos()
        var index = PlacementIndex(world, cache: cache)
        report.add("placement index build", Double(nanos() - t0) / 1e6, "ms", target: "-")
        var decisions: [PlacementDecision] = []
        decisions.reserveCapacity(requests.count)
        t0 = nanos()
        for v in requests { decisions.append(index.decide(v, in: world)) }
        let seconds = Double(nanos() - t0) / 1e9
        let feasibleCounts = decisions.map(\.feasibleHosts)
        // Outside the timing: the decisions are the top of `Placer.place`'s full ranking, host for host.
        let checked = full ? 500 : 1000
        t0 = nanos()
        for d in decisions.prefix(checked) {
            let answer = Placer.place(d.vm, in: world, cache: cache)
            let top = answer.feasible.first
            guard answer.feasible.count == d.feasibleHosts, top?.host == d.host.map(world.hostID),
                top?.softViolations.count ?? 0 == d.softViolations, top?.score ?? 0 == d.score
            else {
                throw ServiceError(
                    .findings, "placement index disagrees with Placer.place for \(world.vmID(d.vm)): \(d)")
            }
        }
        let slow = Double(nanos() - t0) / 1e9
        Console.error(
            "  index decisions agree with Placer.place (full ranking with reasons) on \(min(checked, decisions.count)) requests; "
                + "Placer.place: \(Int(Double(min(checked, decisions.count)) / slow)) requests/s")
        let peerRequests = Array(requests.prefix(full ? 20 : 40))
        let peer =
            requests.isEmpty ? nil : try NovaPeer.run(world: world, input: input, requests: peerRequests, dir: dir)
        if let peer {
            let agree = zip(peer.feasible, feasibleCounts).allSatisfy { $0 == $1 }
            Console.error(
                "  Nova-style peer agrees on feasible-host counts for \(peer.feasible.count) requests: \(agree)")
            if !agree {
                throw ServiceError(
                    .findings,
                    "placement peer disagrees: \(peer.feasible) vs \(feasibleCounts.prefix(peer.feasible.count))")
            }
        }
        if !requests.isEmpty {
            report.add(
                "B1 placement, all \(world.hostCount) hosts per request", Double(requests.count) / seconds,
                "requests/s",
                target: "≥ 20000", peer: peer?.rate)
        }
    }

    /// B4: full audit and incremental updates on 100,000 VMs.
    func audit(_ report: inout BenchReport) throws {
        let config =
            full
            ? GeneratorConfig(sites: 10, hosts: 5000, vms: 100_000, tenants: 400, days: 30, events: 400_000, seed: 4)
            : GeneratorConfig(sites: 3, hosts: 200, vms: 4000, tenants: 30, days: 30, events: 16000, seed: 4)
        let (_, world) = self.world(config, &report)
        let placed = world.hostOfPlaced
        var rng = SplitMix64(seed: 98)
        var t0 = nanos()
        var single: [Double] = []
        var times: [Double] = []
        var counts = (hard: 0, soft: 0)
        for _ in 0..<5 {
            t0 = nanos()
            let one = Auditor.count(world)
            single.append(Double(nanos() - t0) / 1e6)
            t0 = nanos()
            counts = ParallelAudit.count(world)
            times.append(Double(nanos() - t0) / 1e6)
            if one != counts {
                throw ServiceError(.findings, "single-core and parallel audits disagree: \(one) vs \(counts)")
            }
        }
        report.add("B4 full audit on one core", single.min()!, "ms", target: "-")
        report.add(
            "B4 full audit, \(ParallelAudit.parts) cores (\(counts.hard) hard, \(counts.soft) soft violations)",
            times.min()!, "ms", target: "≤ 100")
        // The engine owns its world, as in `vigil` (a copy still held here would make each first write copy).
        let hostCount = world.hostCount
        var time = world.now
        var engine = IncrementalAuditor(consume world)
        // A warm-up of 2,000 migrations (a long-running engine is warm), then three measured passes on the same
        // engine; the figure is the median pass, so one pass disturbed by another process on this shared machine
        // does not decide it (each pass is printed).
        for _ in 0..<(full ? 2000 : 200) {
            time += 30
            engine.move(placed[rng.below(placed.count)], to: Int32(rng.below(hostCount)), at: time)
        }
        var p50s: [Double] = []
        var p99s: [Double] = []
        for pass in 1...3 {
            var steps: [Double] = []
            for _ in 0..<(full ? 10_000 : 2000) {
                let v = placed[rng.below(placed.count)]
                let h = Int32(rng.below(hostCount))
                time += 30
                let s = nanos()
                engine.move(v, to: h, at: time)
                steps.append(Double(nanos() - s) / 1000)
            }
            steps.sort()
            p50s.append(quantile(steps, 0.5))
            p99s.append(quantile(steps, 0.99))
            Console.error(
                "  incremental pass \(pass): p50 \(String(format: "%.1f", p50s.last!)) µs, p99 \(String(format: "%.1f", p99s.last!)) µs"
            )
        }
        report.add(
            "B4 incremental update per migration, p50 (median of 3 passes)", quantile(p50s.sorted(), 0.5), "µs",
            target: "-")
        report.add(
            "B4 incremental update per migration, p99 (median of 3 passes)", quantile(p99s.sorted(), 0.5), "µs",
            target: "≤ 50")
    }

    func plans(_ report: inout BenchReport, dir: String) throws {
        let big =
            full
            ? GeneratorConfig(sites: 4, hosts: 2000, vms: 20_000, tenants: 150, days: 30, events: 60_000, seed: 5)
            : GeneratorConfig(sites: 2, hosts: 200, vms: 2000, tenants: 30, days: 30, events: 6000, seed: 5)
        let world = PolicyWorld.build(PolicyInstance.input(DatacenterGenerator.generate(big)))
        var t0 = nanos()
        let plan = Planner.plan(world)
        report.add(
            "B2 plan \(world.hostCount) hosts: \(plan.hardBefore) hard → \(plan.hardAfter), \(plan.migrations.count) migrations",
            Double(nanos() - t0) / 1e9, "s", target: "≤ 2 (≥ 500 hard)")
        // Small instances: compare with the CP-SAT optimum (maxNew left out: it depends on move order).
        var ratios: [Double] = []
        var ours = 0
        var optimal = 0
        for seed in 1...(full ? 8 : 3) as ClosedRange<UInt64> {
            let small = GeneratorConfig(sites: 1, hosts: 30, vms: 300, tenants: 8, days: 10, events: 800, seed: seed)
            let dc = DatacenterGenerator.generate(small)
            let policies = PolicySet(
                policies: dc.policies.policies.map { p in
                    var q = p
                    q.rules.neighbours?.maxNew = nil
                    return q
                })
            let w = PolicyWorld.build(PolicyInstance.input(dc, policies: policies))
            t0 = nanos()
            let p = Planner.plan(w)
            guard p.hardBefore > 0, let best = try CPSATPeer.optimum(world: w, plan: p, dir: dir) else { continue }
            ours += p.migrations.count
            optimal += best
            ratios.append(best == 0 ? 1 : Double(p.migrations.count) / Double(best))
            Console.error(
                "  instance \(seed): \(p.hardBefore) hard violations, Vigil \(p.migrations.count) migrations, CP-SAT optimum \(best)"
            )
        }
        if !ratios.isEmpty {
            report.add(
                "B2 plan length / CP-SAT optimum (30 hosts, 300 VMs, \(ratios.count) instances: \(ours) vs \(optimal))",
                ratios.max()!, "ratio (worst)", target: "≤ 1.2")
        }
    }
}

extension PolicyWorld {
    /// Dense indexes of the placed VMs.
    var hostOfPlaced: [Int32] { (0..<Int32(vmCount)).filter { hostOf[Int($0)] >= 0 } }
}
