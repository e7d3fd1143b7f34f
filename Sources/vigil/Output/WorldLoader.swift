import VigilCore
import VigilIngest
import VigilStore

/// Loads what the policy engine needs from the database, at a time.
enum WorldLoader {
    static func input(_ db: VigilDatabase, at: Timestamp, historical: Bool, cmdb given: Cmdb? = nil) throws
        -> PolicyInput
    {
        let cmdb = try given ?? db.loadCmdb()
        let placement = historical ? try db.placements(at: at) : PlacementMap(current: cmdb).hostOf
        let policies =
            try document(db, kind: "PolicySet").flatMap { doc -> PolicySet? in
                if case .policySet(let p) = doc { return p } else { return nil }
            } ?? PolicySet(policies: [])
        let feed =
            try document(db, kind: "VulnerabilityFeed").flatMap { doc -> VulnerabilityFeed? in
                if case .vulnerabilityFeed(let f) = doc { return f } else { return nil }
            } ?? VulnerabilityFeed(vulnerabilities: [])
        let longest = policies.policies.compactMap { $0.rules.neighbours?.maxNew?.within }.max() ?? 0
        let intervals = longest > 0 ? try db.intervals(overlapping: at - longest, until: at) : []
        return PolicyInput(
            cmdb: cmdb, placement: placement, intervals: intervals, incidents: try db.incidents(), policies: policies,
            vulnerabilities: feed, at: at)
    }

    static func document(_ db: VigilDatabase, kind: String) throws -> ParsedDocument? {
        guard let text = try db.documentText(kind: kind) else { return nil }
        return try DocumentLoader.load(file: "(stored \(kind))", text: text).document
    }

    static func world(_ db: VigilDatabase, at: AtOption) throws -> PolicyWorld {
        PolicyWorld.build(try input(db, at: try at.resolve(), historical: at.at != nil))
    }
}
