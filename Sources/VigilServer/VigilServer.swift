import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import VigilCore
import VigilIngest
import VigilService
import VigilStore

/// `vigil serve` (DESIGN §8): the HTTP API over the live state, in a `ServiceGroup` that stops gracefully on
/// SIGTERM or SIGINT. `/healthz` answers once the process runs, `/readyz` once the state is loaded (changes left
/// `executing` by a crash are reconciled first).
public enum VigilServer {
    /// Runs the server until SIGTERM/SIGINT.
    /// - Parameters:
    ///   - clock: "now" for answers and records (tests pin it).
    ///   - onReady: called with the bound port once the state is loaded.
    public static func run(
        db: VigilDatabase, configuration: VigilConfiguration, logger: Logger,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date().timeIntervalSince1970) },
        onReady: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws {
        let app = try application(
            db: db, configuration: configuration, logger: logger, clock: clock, onReady: onReady)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    /// The application `run` runs (tests run it with HummingbirdTesting's live client).
    public static func application(
        db: VigilDatabase, configuration: VigilConfiguration, logger: Logger,
        clock: @escaping @Sendable () -> Timestamp = { Timestamp(Date().timeIntervalSince1970) },
        onReady: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let (host, port) = try address(configuration.listen)
        VigilMetrics.bootstrap
        VigilContext.bodyLimit.set(configuration.bodyMiB << 20)
        try db.prepareForService()
        let checkpoints = CheckpointService(
            checkpointer: try Checkpointer(path: db.path), logger: logger, walPath: db.path + "-wal")
        let state = ServerState(db: db, configuration: configuration, clock: clock)
        let bound = BoundPort()
        let loader = LoaderService(state: state, logger: logger, bound: bound, onReady: onReady)
        return Application(
            router: router(state),
            configuration: .init(address: .hostname(host, port: port), serverName: "vigil"),
            services: [loader, IntakeService(state: state, logger: logger), checkpoints],
            onServerRunning: { channel in bound.set(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    static func router(_ state: ServerState) -> Router<VigilContext> {
        let router = Router(context: VigilContext.self)
        router.add(middleware: RequestMetricsMiddleware())
        router.add(middleware: TokenAuthenticator(state.configuration))
        router.get("metrics") { request, context in
            do {
                var headers = HTTPFields()
                headers[.contentType] = "text/plain; version=0.0.4"
                return Response(
                    status: .ok, headers: headers,
                    body: .init(byteBuffer: ByteBuffer(string: try await VigilMetrics.scrape(state))))
            } catch {
                return try Problem.from(error).response(from: request, context: context)
            }
        }
        router.get("healthz") { _, _ in JSONBody.response(.object([("status", .string("ok"))])) }
        router.get("readyz") { _, _ in
            state.live == nil
                ? JSONBody.response(.object([("status", .string("loading"))]), status: .serviceUnavailable)
                : JSONBody.response(.object([("status", .string("ready"))]))
        }
        router.get("openapi.yaml") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: openAPIDocument)))
        }
        let v1 = router.group("v1")
        state.addReadRoutes(to: v1)
        state.addWriteRoutes(to: v1)
        state.addStreamRoute(to: v1)
        return router
    }

    /// `host:port` of the `listen` setting.
    static func address(_ listen: String) throws -> (String, Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else { throw ServiceError(.badInput, "listen: \"\(listen)\" is not host:port (e.g. 127.0.0.1:8080)") }
        return (String(listen[..<colon]), port)
    }
}

/// Loads the live state once the server runs, so `/healthz` answers at once and `/readyz` when it is ready;
/// at shutdown it ends the event streams so in-flight requests can finish.
struct LoaderService: Service {
    let state: ServerState
    let logger: Logger
    let bound: BoundPort
    let onReady: @Sendable (Int) -> Void

    func run() async throws {
        let started = ContinuousClock.now
        let settled = try await ChangeReconciler.reconcile(db: state.db, drivers: state.drivers, now: state.now)
        for s in settled {
            logger.info(
                "reconciled a change left executing",
                metadata: ["change.id": "\(s.change.id)", "change.state": "\(s.change.state.rawValue)"])
        }
        state.setLive(try LiveState(db: state.db, now: state.now))
        logger.info("ready", metadata: ["startup.seconds": "\(ContinuousClock.now - started)"])
        while bound.value == 0 { try await Task.sleep(for: .milliseconds(2)) }
        onReady(bound.value)
        // Ready answers queries; the first alert should not also wait for the response session and its policy
        // world to load, so they are built now.
        do {
            try await state.committer.prepare()
            logger.info("alert response session prepared")
        } catch {
            logger.warning("response session not prepared; the first alert builds it", metadata: ["error": "\(error)"])
        }
        // Heartbeats let event streams notice clients that went away.
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(15)) }
            state.stream.publish([])
        }
        state.stream.finishAll()
    }
}

/// The OpenAPI 3.1 document of the API (`/openapi.yaml`), the contract the routes are tested against.
let openAPIDocument: String = {
    guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
        let text = try? String(contentsOf: url, encoding: .utf8)
    else { return "openapi: 3.1.0\ninfo: {title: Vigil, version: \"1.0\"}\npaths: {}\n" }
    return text
}()

/// The alert intake of DESIGN §8: a Unix stream socket for Suricata's `eve-log` (`intake.suricata.socket`)
/// and an `eve.json` followed across rotation (`intake.suricata.file`), started once the state is loaded.
struct IntakeService: Service {
    let state: ServerState
    let logger: Logger

    func run() async throws {
        let socketPath = state.configuration.suricataSocket
        let filePath = state.configuration.suricataFile
        guard socketPath != nil || filePath != nil else {
            // Nothing to listen on; a service of a group must not end before the group does.
            try? await gracefulShutdown()
            return
        }
        while state.live == nil {
            if Task.isShuttingDownGracefully { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        let intake = LineIntake(format: .suricata, source: socketPath ?? filePath ?? "")
        let socket = socketPath.map { UnixSocketIntake(path: $0, intake: intake) }
        let follower = filePath.map { FileFollowIntake(path: $0, intake: intake) }
        try socket?.start()
        follower?.start()
        logger.info(
            "alert intake open",
            metadata: ["intake.socket": "\(socketPath ?? "-")", "intake.file": "\(filePath ?? "-")"])
        await withGracefulShutdownHandler {
            await intake.run(state, logger: logger)
        } onGracefulShutdown: {
            socket?.stop()
            follower?.stop()
            intake.finish()
        }
    }
}

/// The port the server bound (the configured one, or the one the system chose for port 0).
final class BoundPort: Sendable {
    private let port = Mutex<Int>(0)
    var value: Int { port.withLock { $0 } }
    func set(_ p: Int) { port.withLock { $0 = p } }
}
