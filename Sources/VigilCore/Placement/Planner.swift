/// Computes remediation plans. Moving VM c to a feasible host adds no hard violation there (that is what
/// feasible means), so the gain of a migration is the number of hard violations that disappear from c's
/// current host when c leaves. The planner keeps that gain per candidate, picks the largest (lazy greedy:
/// only candidates on the two hosts a move touched are re-scored), sends it to its best feasible host, and
/// finally merges repeated moves of one VM into one where that stays feasible.
public enum Planner {
    /// Plans migrations for `world` (which is not changed), at most `maxMigrations`.
    public static func plan(_ world: PolicyWorld, maxMigrations: Int = Int.max) -> RemediationPlan {
        var w = world
        let cache = HostVerdictCache(w)
        let before = hardViolations(w, cache)
        var perHost = [[DenseViolation]](repeating: [], count: w.hostCount)
        for d in before { perHost[Int(d.host)].append(d) }
        var gain: [Int32: Int] = [:]
        func rescore(host h: Int32) {
            let list = perHost[Int(h)]
            var involved: Set<Int32> = []
            for d in list {
                if d.vm >= 0 { involved.insert(d.vm) }
                for r in d.finding.related where w.hostOf[Int(r)] == h { involved.insert(r) }
            }
            for v in w.vmsOn[Int(h)] where !involved.contains(v) { gain[v] = nil }
            let current = weight(list)
            for v in involved { gain[v] = removalGain(v, &w, current: current, cache: cache) }
        }
        for h in 0..<Int32(w.hostCount) where !perHost[Int(h)].isEmpty { rescore(host: h) }
        var moves: [(vm: Int32, from: Int32, to: Int32)] = []
        // A VM with no feasible host now may find one after later moves free room: retry it after a few moves
        // (every move on small instances; bounded on large ones so a plan stays fast).
        var unmovable: [Int32: Int] = [:]
        let retryAfter = w.vmCount <= 5000 ? 1 : 16
        while moves.count < maxMigrations {
            guard
                let (c, _) = gain.lazy.filter({ g in
                    g.value > 0 && (unmovable[g.key].map { moves.count - $0 >= retryAfter } ?? true)
                }).max(by: { ($0.value, $1.key) < ($1.value, $0.key) })
            else { break }
            guard let target = w.bestFeasibleHost(c, cache: cache) else {
                unmovable[c] = moves.count
                continue
            }
            let from = w.hostOf[Int(c)]
            moves.append((c, from, target))
            w.move(c, to: target)
            for h in [from, target] {
                perHost[Int(h)] = hardViolations(onHost: h, w, cache)
                rescore(host: h)
            }
        }
        let merged = mergeRepeatedMoves(moves, start: world, cache: cache)
        let pruned = dropRedundantMoves(merged, start: world, cache: cache)
        return describe(pruned, start: world, before: before, cache: cache)
    }

    /// How much of the hard violations on `v`'s host disappears when `v` leaves it. A neighbour violation weighs
    /// as many offenders as it names, so taking one of two offenders away counts as progress: without that, a
    /// host with five protected VMs and two offenders would be repaired by moving the five.
    static func removalGain(_ v: Int32, _ w: inout PolicyWorld, current: Int, cache: HostVerdictCache) -> Int {
        let h = w.hostOf[Int(v)]
        let undo = w.moveUndoably(v, to: -1)
        let after = weight(hardViolations(onHost: h, w, cache))
        w.undo(undo)
        return current - after
    }

    /// Violations weighted by the number of VMs each names (at least 1).
    static func weight(_ list: [DenseViolation]) -> Int {
        list.reduce(0) { $0 + max(1, $1.finding.related.count) }
    }

    static func isHard(_ d: DenseViolation, _ w: PolicyWorld) -> Bool {
        d.policy < 0 || w.policies[Int(d.policy)].enforcement == .hard
    }

    /// Hard violations of the VMs on host `h` and of `h`'s capacity.
    static func hardViolations(onHost h: Int32, _ w: PolicyWorld, _ cache: HostVerdictCache) -> [DenseViolation] {
        var out: [DenseViolation] = []
        Auditor.capacity(h, w, into: &out)
        for v in w.vmsOn[Int(h)] { Auditor.violations(of: v, w, into: &out, cache: cache) }
        return out.filter { isHard($0, w) }
    }

    static func hardViolations(_ w: PolicyWorld, _ cache: HostVerdictCache) -> [DenseViolation] {
        Auditor.slice(w, part: 0, of: 1, cache: cache).filter { isHard($0, w) }
    }

    /// Replaces A→B, …, B→C of one VM by a single A→C at the later position when that stays feasible.
    static func mergeRepeatedMoves(
        _ moves: [(vm: Int32, from: Int32, to: Int32)], start: PolicyWorld, cache: HostVerdictCache
    ) -> [(vm: Int32, from: Int32, to: Int32)] {
        var result = moves
        guard Set(moves.map(\.vm)).count < moves.count else { return result }
        let target = finalHard(result, start: start, cache: cache)
        var changed = true
        while changed {
            changed = false
            var seen: [Int32: Int] = [:]
            for (i, m) in result.enumerated() {
                if let j = seen[m.vm] {
                    var candidate = result
                    candidate[i].from = result[j].from
                    candidate.remove(at: j)
                    candidate = candidate.filter { $0.from != $0.to }
                    if isFeasibleSequence(candidate, start: start, cache: cache)
                        && finalHard(candidate, start: start, cache: cache) <= target
                    {
                        result = candidate
                        changed = true
                        break
                    }
                }
                seen[m.vm] = i
            }
        }
        return result
    }

    /// Local search: drops each migration (latest first) whose removal keeps every step feasible and leaves no
    /// more hard violations. Bounded so large plans stay fast (each try replays the plan and audits the world).
    static func dropRedundantMoves(
        _ moves: [(vm: Int32, from: Int32, to: Int32)], start: PolicyWorld, cache: HostVerdictCache
    ) -> [(vm: Int32, from: Int32, to: Int32)] {
        guard !moves.isEmpty, moves.count * start.vmCount <= 4_000_000 else { return moves }
        var result = moves
        let target = finalHard(result, start: start, cache: cache)
        var i = result.count - 1
        while i >= 0 {
            var candidate = result
            candidate.remove(at: i)
            if isFeasibleSequence(candidate, start: start, cache: cache)
                && finalHard(candidate, start: start, cache: cache) <= target
            {
                result = candidate
            }
            i -= 1
        }
        return result
    }

    static func isFeasibleSequence(
        _ moves: [(vm: Int32, from: Int32, to: Int32)], start: PolicyWorld, cache: HostVerdictCache
    ) -> Bool {
        var w = start
        for m in moves {
            guard w.hostOf[Int(m.vm)] == m.from, Placer.evaluate(m.vm, on: m.to, in: w, cache: cache).isFeasible else {
                return false
            }
            w.move(m.vm, to: m.to)
        }
        return true
    }

    static func finalHard(
        _ moves: [(vm: Int32, from: Int32, to: Int32)], start: PolicyWorld, cache: HostVerdictCache
    ) -> Int {
        var w = start
        for m in moves { w.move(m.vm, to: m.to) }
        return hardViolations(w, cache).count
    }

    static func describe(
        _ moves: [(vm: Int32, from: Int32, to: Int32)], start: PolicyWorld, before: [DenseViolation],
        cache: HostVerdictCache
    ) -> RemediationPlan {
        var w = start
        var migrations: [PlannedMigration] = []
        var open = Set(before.map(key))
        let name = { (d: DenseViolation) in d.policy >= 0 ? start.policies[Int(d.policy)].name : "base" }
        for m in moves {
            var local = Set(hardViolations(onHost: m.from, w, cache).map(key))
            local.formUnion(hardViolations(onHost: m.to, w, cache).map(key))
            w.move(m.vm, to: m.to)
            var after = Set(hardViolations(onHost: m.from, w, cache).map(key))
            after.formUnion(hardViolations(onHost: m.to, w, cache).map(key))
            let fixed = local.subtracting(after).intersection(open)
            open.subtract(fixed)
            let fixes = before.filter { fixed.contains(key($0)) }.map { PolicyRule(policy: name($0), rule: $0.rule) }
            migrations.append(
                PlannedMigration(
                    vm: start.vmID(m.vm), from: start.hostID(m.from), to: start.hostID(m.to),
                    fixes: Array(Set(fixes)).sorted()))
        }
        let remaining = hardViolations(w, cache)
        let unrepaired = remaining.map { d -> UnrepairedViolation in
            UnrepairedViolation(
                vm: d.vm >= 0 ? w.vmID(d.vm) : nil, host: w.hostID(d.host), policy: name(d), rule: d.rule,
                reason: reason(d, w, cache))
        }.sorted { ($0.vm ?? "", $0.policy, $0.rule.order) < ($1.vm ?? "", $1.policy, $1.rule.order) }
        return RemediationPlan(
            migrations: migrations, unrepaired: unrepaired, hardBefore: before.count, hardAfter: remaining.count)
    }

    static func key(_ d: DenseViolation) -> String { "\(d.vm)|\(d.host)|\(d.policy)|\(d.rule.rawValue)" }

    /// Why a violation stays: which VMs could not move, and what rejected them everywhere.
    static func reason(_ d: DenseViolation, _ w: PolicyWorld, _ cache: HostVerdictCache) -> String {
        let subjects = d.vm >= 0 ? [d.vm] + d.finding.related : d.finding.related
        var parts: [String] = []
        for v in subjects.prefix(4) {
            let answer = Placer.place(v, in: w, cache: cache)
            if answer.feasible.isEmpty {
                let top = answer.summary.first.map { " (most hosts rejected by \($0.key))" } ?? ""
                parts.append("no feasible host for \(w.vmID(v))\(top)")
            }
        }
        if parts.isEmpty {
            return "every migration that would repair it breaks another hard rule or was not needed"
        }
        return parts.joined(separator: "; ")
    }
}
