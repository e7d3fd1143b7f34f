import Foundation
import VigilCore
import VigilService
import VigilTestSupport

/// One measured figure of a benchmark, beside its target and the peer's figure from the same run.
struct BenchFigure {
    var name: String
    var value: Double
    var unit: String
    var target: String
    var peer: Double?

    /// How many times better Vigil is than the peer (peer/value for times, value/peer for rates).
    var ratio: Double? {
        guard let peer, peer > 0, value > 0 else { return nil }
        return unit.hasSuffix("/s") ? value / peer : peer / value
    }
}

/// Collects figures and prints them as a table or as the JSON of DESIGN §7.
public struct BenchReport {
    var bench: String
    var figures: [BenchFigure] = []

    mutating func add(_ name: String, _ value: Double, _ unit: String, target: String, peer: Double? = nil) {
        figures.append(BenchFigure(name: name, value: value, unit: unit, target: target, peer: peer))
        Console.error(String(format: "  measured %@: %.2f %@", name, value, unit))
    }

    static var machine: String {
        let cpu =
            (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores"
    }

    /// Prints the figures as a table, or as the JSON of DESIGN §7.
    public func output(json: Bool) {
        if json {
            Console.json(
                .object([
                    ("bench", .string(bench)), ("machine", .string(Self.machine)),
                    (
                        "figures",
                        .array(
                            figures.map { f in
                                .object([
                                    ("name", .string(f.name)), ("value", .double(f.value)), ("unit", .string(f.unit)),
                                    ("target", .string(f.target)), ("peer", f.peer.map { .double($0) } ?? .null),
                                    ("ratio", f.ratio.map { .double($0) } ?? .null),
                                ])
                            })
                    ),
                ]))
            return
        }
        print("bench \(bench) on \(Self.machine)")
        var t = TextTable("FIGURE", "VIGIL", "UNIT", "TARGET", "PEER", "RATIO")
        for f in figures {
            t.add(
                f.name, String(format: "%.2f", f.value), f.unit, f.target,
                f.peer.map { String(format: "%.2f", $0) } ?? "-",
                f.ratio.map { String(format: "%.1f×", $0) } ?? "-")
        }
        t.print()
    }
}

/// Wall-clock time in nanoseconds for measurements.
func nanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// The q-th quantile (0...1) of sorted values.
func quantile(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
}

/// A fresh scratch directory for one benchmark run, removed by `remove()`.
struct BenchDirectory {
    let path: String

    init(_ bench: String) throws {
        path = NSTemporaryDirectory() + "vigil-bench-\(bench)-\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Whether `VIGIL_BENCH_KEEP=1` asks to keep the directory for a look afterwards.
    var kept: Bool { ProcessInfo.processInfo.environment["VIGIL_BENCH_KEEP"] == "1" }

    /// Removes the directory, unless it is kept.
    func remove() {
        if kept {
            Console.error("kept \(path)")
            return
        }
        try? FileManager.default.removeItem(atPath: path)
    }
}
