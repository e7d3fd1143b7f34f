import ArgumentParser
import VigilBench

/// `vigil bench <name>`: benchmarks on generated data, with peers from the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run a benchmark (build with -c release).",
        subcommands: [
            HistoryBenchCommand.self, PolicyBenchCommand.self, IncidentBenchCommand.self, ServeBenchCommand.self,
        ])
}

/// Options every benchmark takes.
struct BenchOptions: ParsableArguments {
    @Option(help: "small (seconds, a smoke test) or full (the size the issue names).") var scale = "full"
    @Flag(help: "Print the JSON of DESIGN §7.") var json = false

    func validate() throws {
        guard scale == "small" || scale == "full" else { throw ValidationError("--scale is small or full") }
    }

    var full: Bool { scale == "full" }
}

/// `vigil bench history`.
struct HistoryBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Durable import of events; exposure queries on the interval index vs plain SQL on a B-tree.")

    @OptionGroup var options: BenchOptions
    @Option(help: "Run only `import` or `exposure` (which imports once).") var only: String?

    func validate() throws {
        if let only, only != "import" && only != "exposure" { throw ValidationError("--only is import or exposure") }
    }

    func run() throws {
        try HistoryBench(full: options.full, only: only).run().output(json: options.json)
    }
}

/// `vigil bench policy`.
struct PolicyBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "B1 placement vs a Nova-style peer, B4 full and incremental audit, B2 plans vs CP-SAT optimum.")

    @OptionGroup var options: BenchOptions
    @Option(help: "Run only `placement` (B1), `audit` (B4) or `plans` (B2).") var only: String?

    func run() throws {
        try PolicyBench(full: options.full, only: only).run().output(json: options.json)
    }
}

/// `vigil bench incident`.
struct IncidentBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident", abstract: "EVE ingest throughput and alert → action decision latency.")

    @OptionGroup var options: BenchOptions

    func run() async throws {
        try await IncidentBench(full: options.full).run().output(json: options.json)
    }
}

/// `vigil bench serve`.
struct ServeBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "vigil serve under load from wrk: placement decisions vs a no-op route, socket intake, start-up, memory.")

    @OptionGroup var options: BenchOptions
    @Option(help: "Run only these parts, comma-separated: startup, placements, intake, latency.") var only: String?

    func validate() throws {
        let parts = Set((only ?? "").split(separator: ",").map(String.init))
        guard parts.isSubset(of: ServeBench.parts) else {
            throw ValidationError("--only takes \(ServeBench.parts.sorted().joined(separator: ", "))")
        }
    }

    func run() async throws {
        let parts = only.map { Set($0.split(separator: ",").map(String.init)) } ?? ServeBench.parts
        try await ServeBench(full: options.full, parts: parts).run().output(json: options.json)
    }
}
