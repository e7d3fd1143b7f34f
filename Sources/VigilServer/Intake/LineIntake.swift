import Foundation
import Logging
import Synchronization
import VigilCore
import VigilIngest
import VigilService

/// Alert lines from a socket or a followed file, handled exactly like POSTed ones (DESIGN §8 intake). A reader
/// thread hands batches of complete lines over and waits until each batch is committed before it reads on, so
/// at most one batch is ever read but not yet durable.
final class LineIntake: Sendable {
    let format: AlertFormat
    let source: String
    private let batches: AsyncStream<(String, @Sendable () -> Void)>
    private let continuation: AsyncStream<(String, @Sendable () -> Void)>.Continuation

    init(format: AlertFormat, source: String) {
        self.format = format
        self.source = source
        (batches, continuation) = AsyncStream.makeStream()
    }

    /// Called on a reader thread: hands `lines` over and blocks until they are committed (or dropped at shutdown).
    func submit(_ lines: String) {
        let done = DispatchSemaphore(value: 0)
        guard case .enqueued = continuation.yield((lines, { done.signal() })) else { return }
        done.wait()
    }

    func finish() { continuation.finish() }

    /// Ingests batches until `finish`; a failed batch is logged and its lines are not acknowledged.
    func run(_ state: ServerState, logger: Logger) async {
        for await (text, done) in batches {
            defer { done() }
            do {
                let summary = try await state.ingest(text, format: format)
                for m in summary.malformed {
                    logger.warning(
                        "malformed alert line skipped",
                        metadata: ["intake.source": "\(source)", "line": "\(m.line)", "reason": "\(m.reason)"])
                }
            } catch {
                logger.error("intake batch failed", metadata: ["intake.source": "\(source)", "error": "\(error)"])
            }
        }
    }
}

/// Splits a byte stream into complete lines, keeping a partial last line for the next read.
struct LineBuffer {
    private var pending: [UInt8] = []

    /// Appends bytes and returns the complete lines among them (nil when none is complete yet).
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> String? {
        pending.append(contentsOf: bytes)
        guard let lastNewline = pending.lastIndex(of: 10) else { return nil }
        let complete = String(decoding: pending[...lastNewline], as: UTF8.self)
        pending.removeSubrange(...lastNewline)
        return complete
    }
}
