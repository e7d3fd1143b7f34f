import Testing
import VigilCore

/// The incremental engine against a full audit after thousands of random events.
@Suite struct IncrementalAuditorTests {
    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func equalsAFullAuditAtEveryCheckpoint(seed: UInt64) {
        let input = RandomWorlds.input(seed: seed)
        var engine = IncrementalAuditor(PolicyWorld.build(input))
        engine.notesTouched = true
        // What a live service keeps: the keys of each VM's and host's violations, updated from the touched ones.
        var kept = Set(engine.violationKeys)
        _ = engine.takeTouched()
        var rng = SplitMix64(seed: seed)
        var time = input.at
        var changes = 0
        var last = engine.violations
        for i in 1...10_000 {
            time += Int64(rng.below(6 * 3600))
            let w = engine.world
            let v = Int32(rng.below(w.vmCount))
            switch rng.below(10) {
            case 0, 1: engine.incident(v, at: time)
            case 2: engine.move(v, to: -1, at: time)
            case 3: engine.setState(v, rng.chance(0.5) ? .quarantined : .running, at: time)
            case 4:
                time += Int64(rng.below(5)) * 86400
                engine.advance(to: time)
            default: engine.move(v, to: Int32(rng.below(w.hostCount)), at: time)
            }
            // What a live service does after each batch: counts must not change.
            if i % 50 == 0 { engine.pruneIfDue() }
            let touched = engine.takeTouched()
            kept = kept.filter { k in k.vm >= 0 ? !touched.vms.contains(k.vm) : !touched.hosts.contains(k.host) }
            for v in touched.vms { kept.formUnion(engine.violationKeys(ofVM: v)) }
            for h in touched.hosts { if let k = engine.violationKey(ofHost: h) { kept.insert(k) } }
            if i % 250 == 0 {
                #expect(kept == engine.violationKeys, "seed \(seed), event \(i): touched VMs and hosts miss a change")
                let incremental = engine.violations
                let full = Auditor.audit(engine.world)
                let missing = full.filter { !incremental.contains($0) }.prefix(3).map(\.key)
                let extra = incremental.filter { !full.contains($0) }.prefix(3).map(\.key)
                #expect(incremental == full, "seed \(seed), event \(i): missing \(missing), extra \(extra)")
                // The keys a live service compares name exactly the violations, and each writes the same finding.
                let keyed = engine.violationKeys.compactMap { engine.violation($0) }.sorted()
                #expect(keyed == full, "seed \(seed), event \(i): keyed violations differ from the full audit")
                // A wording taken now writes the same violation later (what a live service reports when it clears).
                let worded = engine.violationKeys.compactMap { k in
                    engine.wording(k).map { engine.violation(k, worded: $0) }
                }
                #expect(worded.sorted() == full, "seed \(seed), event \(i): worded violations differ")
                // Findings name neighbours by id, whatever order the moves left them in on the host.
                for v in incremental {
                    let named = v.detail.split(separator: " ").filter { $0.hasPrefix("vm-") }.map(String.init)
                    #expect(named == named.sorted(), "seed \(seed), event \(i): \(v.detail)")
                }
                if incremental != full { return }
                if incremental != last { changes += 1 }
                last = incremental
            }
        }
        #expect(changes > 20)
    }
}
