import Foundation
import VigilCore

/// A full audit spread over the machine's cores: the VMs are cut into interleaved slices audited at once
/// (the world is read-only meanwhile), then the results are merged.
enum ParallelAudit {
    static var parts: Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) }

    /// Every violation, sorted: the same list as `Auditor.audit(world)`.
    static func audit(_ world: PolicyWorld) -> [Violation] {
        let cache = HostVerdictCache(world)
        let slices = Slices<[Violation]>(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { k in
            slices.set(k, Auditor.audit(world, part: k, of: parts, cache: cache))
        }
        return slices.values.flatMap { $0 }.sorted()
    }

    /// (hard, soft) violation counts, as `Auditor.count(world)`.
    static func count(_ world: PolicyWorld) -> (hard: Int, soft: Int) {
        let cache = HostVerdictCache(world)
        let slices = Slices<(hard: Int, soft: Int)>(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { k in
            slices.set(k, Auditor.count(world, part: k, of: parts, cache: cache))
        }
        return slices.values.reduce((0, 0)) { ($0.0 + $1.hard, $0.1 + $1.soft) }
    }
}

/// One result slot per slice, written by concurrent workers under a lock.
final class Slices<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) { slots = [T?](repeating: nil, count: count) }

    func set(_ k: Int, _ value: T) { lock.withLock { slots[k] = value } }

    var values: [T] { lock.withLock { slots.map { $0! } } }
}
