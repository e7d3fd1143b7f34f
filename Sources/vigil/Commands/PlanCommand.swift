import ArgumentParser
import VigilCore
import VigilStore

/// `vigil plan`: the fewest migrations that repair the repairable hard violations.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "A remediation plan: ordered feasible migrations that repair hard violations.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var at: AtOption

    @Option(help: "At most this many migrations.") var maxMigrations: Int?

    func run() throws {
        let world = try WorldLoader.world(try common.open(), at: at)
        let plan = Planner.plan(world, maxMigrations: maxMigrations ?? Int.max)
        if common.json {
            Console.json(PolicyJSON.plan(plan))
        } else {
            PlanTable.print(plan)
        }
    }
}

/// Renders a plan for people.
enum PlanTable {
    static func print(_ p: RemediationPlan) {
        Swift.print("plan: \(p.migrations.count) migration(s); hard violations \(p.hardBefore) → \(p.hardAfter)")
        var t = TextTable("#", "VM", "FROM", "TO", "FIXES")
        for (i, m) in p.migrations.enumerated() {
            t.add(
                String(i + 1), m.vm, m.from, m.to,
                m.fixes.map { "\($0.policy)/\($0.rule.rawValue)" }.joined(separator: ", "))
        }
        t.print()
        if !p.unrepaired.isEmpty {
            Swift.print("\nunrepaired:")
            for u in p.unrepaired { Swift.print("  \(u.vm ?? u.host) \(u.policy)/\(u.rule.rawValue): \(u.reason)") }
        }
    }
}
