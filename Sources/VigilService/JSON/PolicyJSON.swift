import VigilCore

/// The JSON of DESIGN §6 for audit, place and plan.
public enum PolicyJSON {
    public static func policyRule(_ p: PolicyRule) -> JSONValue {
        .object([("policy", .string(p.policy)), ("rule", .string(p.rule.rawValue))])
    }

    public static func audit(_ violations: [Violation], at: Timestamp) -> JSONValue {
        .object([
            ("at", .string(RFC3339.format(at))),
            (
                "violations",
                .array(
                    violations.map { .object(violation($0)) })
            ),
        ])
    }

    /// The members of one violation (as in `vigil audit --json`).
    public static func violation(_ v: Violation) -> [(String, JSONValue)] {
        [
            ("vm", .optional(v.vm)), ("host", .string(v.host)), ("policy", .string(v.policy)),
            ("rule", .string(v.rule.rawValue)), ("enforcement", .string(v.enforcement.rawValue)),
            ("detail", .string(v.detail)), ("related", .strings(v.related)),
        ]
    }

    public static func place(_ a: PlacementAnswer) -> JSONValue {
        .object([
            ("vm", .string(a.vm)),
            (
                "feasible",
                .array(
                    a.feasible.map { f in
                        .object([
                            ("host", .string(f.host)), ("score", .double(f.score)),
                            ("softViolations", .array(f.softViolations.map(policyRule))),
                        ])
                    })
            ),
            (
                "rejected",
                .array(
                    a.rejected.map {
                        .object([
                            ("host", .string($0.host)), ("policy", .string($0.policy)),
                            ("rule", .string($0.rule.rawValue)),
                        ])
                    })
            ),
            ("summary", .object(a.summary.map { ($0.key, .int(Int64($0.count))) })),
        ])
    }

    public static func plan(_ p: RemediationPlan) -> JSONValue {
        .object([
            (
                "migrations",
                .array(
                    p.migrations.map { m in
                        .object([
                            ("vm", .string(m.vm)), ("from", .string(m.from)), ("to", .string(m.to)),
                            ("fixes", .array(m.fixes.map(policyRule))),
                        ])
                    })
            ),
            (
                "unrepaired",
                .array(
                    p.unrepaired.map { u in
                        .object([
                            ("vm", .optional(u.vm)), ("host", .string(u.host)), ("policy", .string(u.policy)),
                            ("rule", .string(u.rule.rawValue)), ("reason", .string(u.reason)),
                        ])
                    })
            ),
        ])
    }
}
