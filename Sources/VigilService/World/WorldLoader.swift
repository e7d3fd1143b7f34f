import VigilCore
import VigilIngest
import VigilStore

/// Loads what the policy engine needs from the store, at a time.
public enum WorldLoader {
    /// The policy engine's input at `at`: the current placement, or with `historical` the placement the history
    /// records at `at`; `cmdb` saves loading it again when the caller holds it.
    public static func input(_ db: any VigilStore, at: Timestamp, historical: Bool, cmdb given: Cmdb? = nil) throws
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
        let catalog = try document(db, kind: "KnownExploitedCatalog").flatMap { doc -> KnownExploitedCatalog? in
            if case .knownExploited(let c) = doc { return c } else { return nil }
        }
        let longest = policies.policies.compactMap { $0.rules.neighbours?.maxNew?.within }.max() ?? 0
        let intervals = longest > 0 ? try db.intervals(overlapping: at - longest, until: at) : []
        return PolicyInput(
            cmdb: cmdb, placement: placement, intervals: intervals, incidents: try db.incidents(), policies: policies,
            vulnerabilities: catalog.map { feed.marking($0) } ?? feed, at: at)
    }

    /// The latest stored document of a kind, parsed.
    public static func document(_ db: any VigilStore, kind: String) throws -> ParsedDocument? {
        guard let text = try db.documentText(kind: kind) else { return nil }
        return try DocumentLoader.load(file: "(stored \(kind))", text: text).document
    }

    /// The stored playbooks (none: an empty set).
    public static func playbooks(_ db: any VigilStore) throws -> PlaybookSet {
        try document(db, kind: "Playbooks").flatMap { doc -> PlaybookSet? in
            if case .playbooks(let p) = doc { return p } else { return nil }
        } ?? PlaybookSet(playbooks: [])
    }

    /// The policy world at `at` (historical placement when `historical`).
    public static func world(_ db: any VigilStore, at: Timestamp, historical: Bool) throws -> PolicyWorld {
        PolicyWorld.build(try input(db, at: at, historical: historical))
    }
}
