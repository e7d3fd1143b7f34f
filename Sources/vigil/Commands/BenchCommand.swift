import ArgumentParser

/// `vigil bench <name>`: benchmarks on generated data, with peers from the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run a benchmark (build with -c release).",
        subcommands: [HistoryBenchCommand.self])
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

    func run() throws {
        try HistoryBench(full: options.full).run().output(json: options.json)
    }
}
