import Foundation
import Hummingbird
import Metrics
import Synchronization
import VigilCore
import VigilIngest
import VigilService
import VigilStore

/// What every route shares: the store, the live state (once loaded), the configuration, the clock and the event
/// stream's broadcaster.
final class ServerState: Sendable {
    let db: VigilDatabase
    let configuration: VigilConfiguration
    let drivers: DriverConfiguration
    let clock: @Sendable () -> Timestamp
    let stream = EventBroadcaster()
    private let liveState = Mutex<LiveState?>(nil)
    /// Every write goes through it (group commit); it calls `committed()` once per round.
    private let writer = Mutex<Committer?>(nil)

    init(db: VigilDatabase, configuration: VigilConfiguration, clock: @escaping @Sendable () -> Timestamp) {
        self.db = db
        self.configuration = configuration
        self.drivers = DriverConfiguration(configuration)
        self.clock = clock
        let committer = Committer(
            db: db, drivers: drivers, clock: clock, world: { [weak self] in self?.live?.responderBasis() }
        ) { [weak self] in try await self?.committed() }
        writer.withLock { $0 = committer }
    }

    /// The server's one writer.
    var committer: Committer {
        get throws {
            guard let c = writer.withLock({ $0 }) else {
                throw Problem(.internalServerError, "internal error: the server has no writer")
            }
            return c
        }
    }

    var now: Timestamp { clock() }

    /// The live state once loaded (`/readyz` answers 200 from then on).
    var live: LiveState? { liveState.withLock { $0 } }

    func setLive(_ l: LiveState) { liveState.withLock { $0 = l } }

    /// The live state, or 503 while it loads.
    func requireLive() throws -> LiveState {
        guard let l = live else { throw Problem(.serviceUnavailable, "the state is still loading; retry shortly") }
        return l
    }

    /// After a write: the live state reads what was committed, and the stream hears of it.
    func committed() async throws {
        // Writes are refused until the state is loaded, which then reads everything committed before.
        guard let l = live else { return }
        let caught = try l.catchUp(now: now)
        guard let last = caught.records.last else { return }
        VigilMetrics.committed(caught.records)
        guard stream.hasSubscribers else { return }
        // Violations that appeared or cleared are live-only stream events, under the id of the commit's last record.
        let changes =
            caught.appeared.sorted().map { ("appeared", $0) } + caught.cleared.sorted().map { ("cleared", $0) }
        let violations = changes.map { change, v in
            LogRecord(
                seq: last.seq, time: now, type: "violation", vm: v.vm,
                body: JSONWriter.write(
                    .object(
                        [("change", .string(change))]
                            + PolicyJSON.violation(v))))
        }
        stream.publish(caught.records + violations)
    }

    private let violationLabels = Mutex<Set<String>>([])

    /// Sets `vigil_violations{rule,enforcement}`; label sets that no longer occur drop to 0.
    func setViolationGauges(_ counts: [String: Int]) {
        let gone = violationLabels.withLock { seen -> Set<String> in
            let gone = seen.subtracting(counts.keys)
            seen = seen.union(counts.keys)
            return gone
        }
        for key in gone { gauge(key).record(0) }
        for (key, n) in counts { gauge(key).record(n) }
    }

    private func gauge(_ key: String) -> Gauge {
        let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
        return Gauge(label: "vigil_violations", dimensions: [("rule", parts[0]), ("enforcement", parts.last ?? "")])
    }
}

/// Fans committed log records out to the `/v1/stream` subscribers.
final class EventBroadcaster: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<[LogRecord]>.Continuation]>([:])
    private let next = Mutex<Int>(0)

    func subscribe() -> (id: Int, stream: AsyncStream<[LogRecord]>) {
        let (stream, continuation) = AsyncStream<[LogRecord]>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let id = next.withLock {
            $0 += 1
            return $0
        }
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return (id, stream)
    }

    func unsubscribe(_ id: Int) { _ = subscribers.withLock { $0.removeValue(forKey: id) } }

    /// Ends one subscriber's stream.
    func finish(_ id: Int) { subscribers.withLock { $0.removeValue(forKey: id) }?.finish() }

    /// Whether anyone listens (commits skip writing stream-only events otherwise).
    var hasSubscribers: Bool { subscribers.withLock { !$0.isEmpty } }

    func publish(_ records: [LogRecord]) {
        for c in subscribers.withLock({ Array($0.values) }) { c.yield(records) }
    }

    func finishAll() {
        for c in subscribers.withLock({ Array($0.values) }) { c.finish() }
    }
}
