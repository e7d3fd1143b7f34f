import Foundation
import VigilCore

/// Computes the hash chain of records about to be appended on a background thread, in order, so the writer can
/// insert record k as soon as its hash exists instead of after all of them: hashing a million records then
/// costs the import no wall time.
final class HashChain: @unchecked Sendable {
    // Safety: `storage` is written by the worker only below `ready` and read by others only below `ready`;
    // `ready` is guarded by `condition`.
    let firstSeq: Int64
    let count: Int
    private let storage: UnsafeMutableRawBufferPointer
    private let condition = NSCondition()
    private var ready = 0
    /// Records known to be hashed, read without the lock by the one consuming thread.
    private var seen = 0
    static let step = 4096

    /// Starts hashing `entries` after the head `(seq, hash)`.
    init(entries: [LogEntry], head: (seq: Int64, hash: Data)) {
        firstSeq = head.seq + 1
        count = entries.count
        storage = .allocate(byteCount: (count + 1) * 32, alignment: 8)
        head.hash.withUnsafeBytes {
            UnsafeMutableRawBufferPointer(rebasing: storage[0..<32]).copyMemory(
                from: UnsafeRawBufferPointer(rebasing: $0[0..<32]))
        }
        // A few records (a live write) are hashed here: a thread would cost more than the hashing.
        guard count >= Self.step else {
            run(entries)
            return
        }
        let thread = Thread { [self] in run(entries) }
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit { storage.deallocate() }

    private func run(_ entries: [LogEntry]) {
        var scratch: [UInt8] = []
        for (k, e) in entries.enumerated() {
            let prev = UnsafeRawBufferPointer(rebasing: storage[(k * 32)..<(k * 32 + 32)])
            let out = UnsafeMutableRawBufferPointer(rebasing: storage[(k * 32 + 32)..<(k * 32 + 64)])
            EventLog.digest(
                prev: prev, seq: firstSeq + Int64(k), time: e.time, type: e.type, vm: e.vm, body: e.body,
                scratch: &scratch, into: out)
            if (k + 1) % Self.step == 0 || k + 1 == count { publish(k + 1) }
        }
    }

    private func publish(_ n: Int) {
        condition.lock()
        ready = n
        condition.broadcast()
        condition.unlock()
    }

    /// The hash of record `k` (0-based), waiting for it if needed. Valid while the chain lives.
    func hash(_ k: Int) -> UnsafeRawBufferPointer {
        if k >= seen {
            condition.lock()
            while ready <= k { condition.wait() }
            seen = ready
            condition.unlock()
        }
        return UnsafeRawBufferPointer(rebasing: storage[(k * 32 + 32)..<(k * 32 + 64)])
    }
}
