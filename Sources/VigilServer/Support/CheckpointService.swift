import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VigilStore

/// Checkpoints the write-ahead log once a second on a thread of its own (the checkpoint does file I/O, which
/// must not hold a cooperative thread), so that no commit of the server waits for one.
struct CheckpointService: Service {
    let checkpointer: Checkpointer
    let logger: Logger

    func run() async throws {
        let stop = Atomic<Bool>(false)
        let thread = Thread { [checkpointer, logger] in
            while !stop.load(ordering: .relaxed) {
                do {
                    try checkpointer.checkpoint()
                } catch {
                    logger.warning("checkpoint failed", metadata: ["error": "\(error)"])
                }
                Thread.sleep(forTimeInterval: 1)
            }
        }
        thread.name = "vigil-checkpoint"
        thread.start()
        try? await gracefulShutdown()
        stop.store(true, ordering: .relaxed)
    }
}
