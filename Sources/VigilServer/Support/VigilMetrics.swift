import Hummingbird
import Metrics
import Prometheus
import VigilCore
import VigilIngest
import VigilService
import VigilStore

/// The metrics of DESIGN §8, recorded through swift-metrics into one Prometheus registry per process and served
/// as Prometheus text at `/metrics`.
enum VigilMetrics {
    static let registry = PrometheusCollectorRegistry()
    /// Bootstraps swift-metrics once per process.
    static let bootstrap: Void = { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }()

    /// Counts committed log records by type, and incidents by severity.
    static func committed(_ records: [LogRecord]) {
        var byType: [String: Int] = [:]
        var bySeverity: [String: Int] = [:]
        for r in records {
            byType[r.type, default: 0] += 1
            guard r.type == "incident" else { continue }
            if let s = ["low", "medium", "high"].first(where: { r.body.containsBytes(#""severity":"\#($0)""#) }) {
                bySeverity[s, default: 0] += 1
            }
        }
        for (t, n) in byType { Counter(label: "vigil_log_records_total", dimensions: [("type", t)]).increment(by: n) }
        for (s, n) in bySeverity {
            Counter(label: "vigil_incidents_total", dimensions: [("severity", s)]).increment(by: n)
        }
    }

    /// Counts alerts by source and records each decision's latency.
    static func alerts(_ summary: AlertIngestion.Summary, format: AlertFormat) {
        Counter(label: "vigil_alerts_total", dimensions: [("source", format.rawValue)]).increment(by: summary.alerts)
        let timer = Metrics.Timer(label: "vigil_decision_seconds")
        for n in summary.decisionNanos { timer.recordNanoseconds(Int64(n)) }
    }

    /// Sets the gauges that describe the current state, then writes every metric as Prometheus text.
    static func scrape(_ state: ServerState) async throws -> String {
        if let live = state.live {
            let (_, violations) = live.audit(now: state.now)
            var counts: [String: Int] = [:]
            for v in violations { counts[v.rule.rawValue + "\u{0}" + v.enforcement.rawValue, default: 0] += 1 }
            state.setViolationGauges(counts)
            for (name, n) in live.sizes {
                Gauge(label: "vigil_live_entries", dimensions: [("structure", name)]).record(n)
            }
        }
        var changes: [String: Int] = Dictionary(uniqueKeysWithValues: ChangeState.allCases.map { ($0.rawValue, 0) })
        for c in try state.db.changes(state: nil) { changes[c.state.rawValue, default: 0] += 1 }
        for (s, n) in changes { Gauge(label: "vigil_changes", dimensions: [("state", s)]).record(n) }
        Gauge(label: "vigil_notifications_pending").record(0)
        Counter(label: "vigil_driver_events_total", dimensions: [("driver", "simulator")]).increment(by: 0)
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

/// Records `vigil_http_request_duration_seconds{route,status}` for every request.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = VigilContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let d = (ContinuousClock.now - start).components
            Metrics.Timer(
                label: "vigil_http_request_duration_seconds",
                dimensions: [("route", context.endpointPath ?? "unmatched"), ("status", String(status))]
            ).recordNanoseconds(d.seconds * 1_000_000_000 + d.attoseconds / 1_000_000_000)
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let e as HTTPError {
            status = e.status.code
            throw e
        }
    }
}
