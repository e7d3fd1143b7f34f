import ArgumentParser
import Foundation
import VigilCore
import VigilService
import VigilStore

/// `vigil plan`: the fewest migrations that repair the repairable hard violations.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "A remediation plan: ordered feasible migrations that repair hard violations.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var at: AtOption
    @OptionGroup var driver: DriverOptions

    @Option(help: "At most this many migrations.") var maxMigrations: Int?
    @Flag(help: "Create a change record for each migration; they wait for CAB approval (`vigil approve`).")
    var apply = false
    @Flag(help: "With --apply: the changes are pre-authorised standard changes and run at once.")
    var preAuthorised = false

    func run() async throws {
        let db = try common.open()
        let world = try at.world(db)
        let plan = Planner.plan(world, maxMigrations: maxMigrations ?? Int.max)
        if apply { try await record(plan, db, now: world.now) }
        if common.json {
            Console.json(PolicyJSON.plan(plan))
        } else {
            PlanTable.print(plan)
        }
    }
}

extension PlanCommand {
    /// Proposes one change per migration; pre-authorised ones are carried out at once, in plan order.
    func record(_ plan: RemediationPlan, _ db: VigilDatabase, now: Timestamp) async throws {
        let service = ChangeService(db: db, drivers: try driver.drivers())
        for outcome in try await service.propose(plan, preAuthorised: preAuthorised, now: now) {
            let c = outcome.change
            if let note = outcome.note { Console.error("\(c.id): \(note)") }
            if preAuthorised {
                Console.error("\(c.id): \(c.state.rawValue)")
            } else {
                Console.error(
                    "\(c.id): proposed (\(c.vm) \(c.from ?? "-") → \(c.to)); approve with: vigil approve \(c.id) --as NAME"
                )
            }
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
