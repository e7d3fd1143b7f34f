import Testing
import VigilCore
import VigilTestSupport

/// The fast engine (PolicyWorld, Auditor, Placer) against the reference evaluator on random datacenters.
@Suite struct PolicyEngineTests {
    @Test func auditAndFeasibleHostsAgreeWithTheReference() {
        var rulesSeen: Set<RuleID> = []
        var feasibleSeen = 0
        var rejectedSeen: Set<RuleID> = []
        for seed in 1...1200 as ClosedRange<UInt64> {
            let input = RandomWorlds.input(seed: seed)
            let world = PolicyWorld.build(input)
            let reference = ReferenceEvaluator(input)
            let fast = Auditor.audit(world).map(\.referenceKey).sorted()
            let slow = reference.auditKeys()
            #expect(fast == slow, "seed \(seed)")
            if fast != slow { return }
            rulesSeen.formUnion(Auditor.audit(world).map(\.rule))
            let cache = HostVerdictCache(world)
            for vm in input.cmdb.vms.keys.sorted().prefix(6) {
                let answer = Placer.place(world.index(ofVM: vm)!, in: world, cache: cache)
                let feasible = Set(answer.feasible.map(\.host))
                #expect(feasible == reference.feasibleHosts(for: vm), "seed \(seed) vm \(vm)")
                #expect(
                    answer.feasible.count + answer.rejected.count == world.hostCount
                        - (world.hostOf[Int(world.index(ofVM: vm)!)] >= 0 ? 1 : 0))
                feasibleSeen += answer.feasible.count
                rejectedSeen.formUnion(answer.rejected.map(\.rule))
            }
        }
        // The random worlds exercise every rule kind, in audits and in rejections.
        #expect(rulesSeen == Set(RuleID.allCases))
        #expect(rejectedSeen == Set(RuleID.allCases))
        #expect(feasibleSeen > 1000)
    }

    @Test func plansNeverCreateHardViolationsAndEachStepIsFeasible() {
        var migrations = 0
        var repaired = 0
        for seed in 1...150 as ClosedRange<UInt64> {
            let input = RandomWorlds.input(seed: seed)
            let world = PolicyWorld.build(input)
            let plan = Planner.plan(world)
            var w = world
            let cache = HostVerdictCache(w)
            let hardBefore = Set(Auditor.audit(world).filter { $0.enforcement == .hard }.map(\.key))
            for m in plan.migrations {
                let v = w.index(ofVM: m.vm)!
                let h = w.index(ofHost: m.to)!
                #expect(w.hostID(w.hostOf[Int(v)]) == m.from)
                #expect(Placer.evaluate(v, on: h, in: w, cache: cache).isFeasible, "seed \(seed): \(m)")
                w.move(v, to: h)
            }
            let hardAfter = Set(Auditor.audit(w).filter { $0.enforcement == .hard }.map(\.key))
            #expect(hardAfter.count == plan.hardAfter)
            #expect(plan.unrepaired.count == plan.hardAfter)
            // No violation is created: every hard violation after the plan existed before, at the same VM.
            let vmKeys = { (keys: Set<String>) in
                Set(
                    keys.map {
                        $0.split(separator: "|").enumerated().filter { $0.offset != 1 }.map(\.element).joined(
                            separator: "|")
                    })
            }
            #expect(vmKeys(hardAfter).isSubset(of: vmKeys(hardBefore)), "seed \(seed)")
            migrations += plan.migrations.count
            repaired += hardBefore.count - hardAfter.count
        }
        // The plans do real work on these worlds (74 migrations repairing 76 hard violations when written).
        #expect(migrations > 50)
        #expect(repaired > 50)
    }
}
