import VigilCore

/// Reads Vigil documents from text: detects the kind (Inventory, PolicySet, VulnerabilityFeed, or a
/// JSON Lines event history), parses YAML or JSON, and validates everything inside the document.
public enum DocumentLoader {
    /// Parses `text` read from `file` (the name is used for kind detection and error messages).
    public static func load(file: String, text: String) throws(DocumentError) -> SourceDocument {
        if let catalog = try KnownExploitedDecoder.decodeIfCatalog(file: file, text: text) {
            return SourceDocument(file: file, text: text, document: .knownExploited(catalog))
        }
        if looksLikeEventLines(file: file, text: text) {
            let (events, lines, sources) = try parseEvents(file: file, text: text)
            return SourceDocument(file: file, text: text, document: .events(events, lines: lines, sources: sources))
        }
        var top = try FieldReader(try parseRoot(file: file, text: text), path: "", file: file)
        let apiNode = try top.require("apiVersion")
        let api = try top.text(apiNode, "apiVersion")
        guard api == "vigil/v1" else {
            throw top.error(apiNode.line, "apiVersion", "\"\(api)\" is not supported; use vigil/v1")
        }
        let kindNode = try top.require("kind")
        let kind = try top.text(kindNode, "kind")
        let document: ParsedDocument
        switch kind {
        case "Inventory":
            let (inventory, lines) = try InventoryDecoder.decode(&top)
            document = .inventory(inventory, lines: lines)
        case "PolicySet":
            document = .policySet(try PolicySetDecoder.decode(&top))
        case "VulnerabilityFeed":
            document = .vulnerabilityFeed(try VulnerabilityFeedDecoder.decode(&top))
        case "Playbooks":
            document = .playbooks(try PlaybooksDecoder.decode(&top))
        default:
            throw top.error(
                kindNode.line, "kind",
                "unknown kind \"\(kind)\" (Inventory | PolicySet | VulnerabilityFeed | Playbooks)")
        }
        try top.finish()
        return SourceDocument(file: file, text: text, document: document)
    }

    /// The root node of a YAML or JSON document (JSON when it starts with `{`).
    static func parseRoot(file: String, text: String) throws(DocumentError) -> DocNode {
        guard text.first(where: { !$0.isWhitespace }) == "{" else { return try YAMLTree.parse(text, file: file) }
        do {
            return try JSONParser.parse(text)
        } catch {
            throw DocumentError(file: file, line: error.line, path: "", message: "JSON syntax: \(error.message)")
        }
    }

    /// `.jsonl`/`.ndjson` files, or text whose first line is a complete JSON object without `apiVersion`.
    static func looksLikeEventLines(file: String, text: String) -> Bool {
        if file.hasSuffix(".jsonl") || file.hasSuffix(".ndjson") { return true }
        guard text.first(where: { !$0.isWhitespace }) == "{" else { return false }
        let firstLine = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        guard let node = try? JSONParser.parse(firstLine), case .object(let members) = node.value else { return false }
        return !members.contains { $0.key == "apiVersion" }
    }

    /// Parses a JSON Lines history; blank lines are skipped; the first bad line is the error.
    public static func parseEvents(file: String, text: String) throws(DocumentError) -> ([Event], [Int], [String]) {
        var events: [Event] = []
        var lines: [Int] = []
        var sources: [String] = []
        var text = text
        var failure: DocumentError?
        var scanner = EventLineScanner()
        text.withUTF8 { buf in
            TextLines.forEachNonBlank(buf) { lineNo, line in
                if let event = scanner.scan(line, file: file) {
                    events.append(event)
                    lines.append(lineNo)
                    sources.append(String(decoding: TextLines.trimmed(line), as: UTF8.self))
                    return true
                }
                do throws(DocumentError) {
                    let node: DocNode
                    do throws(JSONSyntaxError) {
                        node = try JSONParser.parse(bytes: line, firstLine: lineNo)
                    } catch {
                        throw DocumentError(
                            file: file, line: lineNo, path: "", message: "JSON syntax: \(error.message)")
                    }
                    events.append(try EventDecoder.decode(node, file: file))
                    lines.append(lineNo)
                    sources.append(String(decoding: TextLines.trimmed(line), as: UTF8.self))
                    return true
                } catch {
                    failure = error
                    return false
                }
            }
        }
        if let failure { throw failure }
        return (events, lines, sources)
    }
}
