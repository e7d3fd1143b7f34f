import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VigilStore

/// glibc's `malloc_trim` (in `malloc.h`, which the Glibc module does not export).
@_silgen_name("malloc_trim") func mallocTrim(_ pad: Int) -> Int32

/// Checkpoints the write-ahead log on a thread of its own (the checkpoint does file I/O, which must not hold a
/// cooperative thread), so that no commit of the server waits for one: when the log has grown past 64 MiB, or
/// every 30 s. Each checkpoint writes and syncs the database file, which slows the commits' own syncs meanwhile,
/// so it runs seldom and copies much rather than often and little.
struct CheckpointService: Service {
    let checkpointer: Checkpointer
    let logger: Logger
    let walPath: String

    func run() async throws {
        let stop = Atomic<Bool>(false)
        let thread = Thread { [checkpointer, logger, walPath] in
            var last = Date()
            while !stop.load(ordering: .relaxed) {
                let size =
                    (try? FileManager.default.attributesOfItem(atPath: walPath)[.size] as? NSNumber)??.intValue ?? 0
                if size > 64 << 20 || (size > 0 && Date().timeIntervalSince(last) > 30) {
                    do {
                        try checkpointer.checkpoint()
                    } catch {
                        logger.warning("checkpoint failed", metadata: ["error": "\(error)"])
                    }
                    // Large write rounds leave freed memory in malloc's arenas; hand it back to the system as well.
                    _ = mallocTrim(0)
                    last = Date()
                }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        thread.name = "vigil-checkpoint"
        thread.start()
        try? await gracefulShutdown()
        stop.store(true, ordering: .relaxed)
    }
}
