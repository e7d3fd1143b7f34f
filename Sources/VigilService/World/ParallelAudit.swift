import Foundation
import VigilCore

/// A full audit spread over the machine's cores: the VMs are cut into interleaved slices audited at once
/// (the world is read-only meanwhile), then the results are merged.
public enum ParallelAudit {
    public static var parts: Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) }

    /// Every violation, sorted: the same list as `Auditor.audit(world)`.
    public static func audit(_ world: PolicyWorld) -> [Violation] {
        let cache = HostVerdictCache(world)
        return perPart { Auditor.audit(world, part: $0, of: parts, cache: cache) }.flatMap { $0 }.sorted()
    }

    /// (hard, soft) violation counts, as `Auditor.count(world)`.
    public static func count(_ world: PolicyWorld) -> (hard: Int, soft: Int) {
        let cache = HostVerdictCache(world)
        return perPart { Auditor.count(world, part: $0, of: parts, cache: cache) }
            .reduce((0, 0)) { ($0.0 + $1.hard, $0.1 + $1.soft) }
    }

    /// Runs `body` for every part at once and returns the results in part order.
    static func perPart<T>(_ body: @Sendable (Int) -> T) -> [T] {
        let slices = Slices<T>(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { slices.set($0, body($0)) }
        return slices.values
    }
}

/// One result slot per slice, written by concurrent workers under a lock.
final class Slices<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) { slots = [T?](repeating: nil, count: count) }

    func set(_ k: Int, _ value: T) { lock.withLock { slots[k] = value } }

    /// Every slot's value; each worker has set its own before `concurrentPerform` returns.
    var values: [T] { lock.withLock { slots.compactMap { $0 } } }
}
