/// A document read from one file, validated on its own, ready to be checked against the CMDB.
public enum ParsedDocument: Sendable {
    case inventory(Inventory, lines: FieldLines)
    case policySet(PolicySet)
    case vulnerabilityFeed(VulnerabilityFeed)
    /// A CISA KEV catalogue (its own JSON, no `apiVersion`).
    case knownExploited(KnownExploitedCatalog)
    case playbooks(PlaybookSet)
    /// Events of a JSON Lines file with the line of each and, when read from text, each line as written
    /// (recorded verbatim as the log record's body; events built in memory are recorded in canonical form).
    case events([Event], lines: [Int], sources: [String]? = nil)

    /// The document kind as written in `kind:` (`Events` for JSON Lines history).
    public var kind: String {
        switch self {
        case .inventory: "Inventory"
        case .policySet: "PolicySet"
        case .vulnerabilityFeed: "VulnerabilityFeed"
        case .knownExploited: "KnownExploitedCatalog"
        case .playbooks: "Playbooks"
        case .events: "Events"
        }
    }

    /// Import order: inventories first (they define what events refer to), event history last.
    public var importOrder: Int {
        switch self {
        case .inventory: 0
        case .policySet: 1
        case .vulnerabilityFeed, .knownExploited: 2
        case .playbooks: 3
        case .events: 4
        }
    }
}

/// A parsed document with the file it came from and its text (kept verbatim in the event log).
public struct SourceDocument: Sendable {
    public var file: String
    public var text: String
    public var document: ParsedDocument

    public init(file: String, text: String, document: ParsedDocument) {
        self.file = file
        self.text = text
        self.document = document
    }
}
