import ArgumentParser
import VigilCore
import VigilService
import VigilStore

/// `vigil place --vm ID`: feasible hosts in rank order and why the others are rejected.
struct PlaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "place", abstract: "Where may a VM be placed (or migrated) now, and why not elsewhere.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var at: AtOption

    @Option(help: "The VM to place (new) or migrate (its current host is excluded).") var vm: String
    @Flag(help: "List every rejected host, not only the summary.") var all = false

    func run() throws {
        let world = try at.world(try common.open())
        guard let v = world.index(ofVM: vm) else { throw CLIError("unknown vm \"\(vm)\"") }
        let answer = Placer.place(v, in: world, cache: HostVerdictCache(world))
        if common.json {
            var a = answer
            if !all { a.rejected = [] }
            Console.json(PolicyJSON.place(all ? answer : a).replacingSummary(answer))
            return
        }
        PlaceTable.print(answer, all: all)
    }
}

extension JSONValue {
    /// Keeps the summary of the full answer when rejected hosts are left out.
    func replacingSummary(_ a: PlacementAnswer) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let i = members.firstIndex(where: { $0.0 == "summary" }) {
            members[i].1 = .object(a.summary.map { ($0.key, .int(Int64($0.count))) })
        }
        return .object(members)
    }
}

/// Renders a placement answer for people.
enum PlaceTable {
    static func print(_ a: PlacementAnswer, all: Bool) {
        Swift.print("placement of \(a.vm): \(a.feasible.count) feasible host(s), \(a.rejected.count) rejected")
        var t = TextTable("RANK", "HOST", "LOAD", "SOFT VIOLATIONS")
        for (i, f) in a.feasible.enumerated() {
            t.add(
                String(i + 1), f.host, format1(f.score * 100) + "%",
                f.softViolations.map { "\($0.policy)/\($0.rule.rawValue)" }.joined(separator: ", "))
        }
        t.print()
        if all {
            var r = TextTable("REJECTED HOST", "POLICY", "RULE")
            for x in a.rejected { r.add(x.host, x.policy, x.rule.rawValue) }
            Swift.print("")
            r.print()
        }
        Swift.print("\nrejections by rule:")
        for (k, n) in a.summary { Swift.print("  \(n)  \(k)") }
    }
}
