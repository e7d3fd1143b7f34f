import ArgumentParser
import VigilCore
import VigilService
import VigilStore

/// `vigil audit`: every policy violation at a time; exit 1 when any hard violation exists.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit every VM against the policies and base constraints (exit 1 on hard violations).")

    @OptionGroup var common: CommonOptions
    @OptionGroup var at: AtOption

    func run() throws {
        let world = try at.world(try common.open())
        let violations = ParallelAudit.audit(world)
        if common.json {
            Console.json(PolicyJSON.audit(violations, at: world.now))
        } else {
            AuditTable.print(violations, at: world.now)
        }
        if violations.contains(where: { $0.enforcement == .hard }) { throw CLIError("", code: 1) }
    }
}

/// Renders an audit for people.
enum AuditTable {
    static func print(_ violations: [Violation], at: Timestamp) {
        let hard = violations.filter { $0.enforcement == .hard }.count
        Swift.print("audit at \(RFC3339.format(at)): \(hard) hard, \(violations.count - hard) soft violation(s)")
        guard !violations.isEmpty else { return }
        var t = TextTable("VM", "HOST", "POLICY", "RULE", "ENF", "DETAIL")
        for v in violations {
            t.add(v.vm ?? "-", v.host, v.policy, v.rule.rawValue, v.enforcement.rawValue, v.detail)
        }
        t.print()
    }
}
