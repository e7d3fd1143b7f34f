import VigilCore
import Yams

/// Converts YAML text into `DocNode`s with line numbers (JSON files go through `JSONParser` instead).
enum YAMLTree {
    static func parse(_ text: String, file: String) throws(DocumentError) -> DocNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch YamlError.duplicatedKeysInMapping(let keys, let context) {
            let names = keys.map { "\"\($0)\"" }.joined(separator: ", ")
            throw DocumentError(file: file, line: context.mark.line, path: "", message: "duplicate field \(names)")
        } catch let error as YamlError {
            throw DocumentError(file: file, line: line(of: error), path: "", message: "YAML syntax: \(describe(error))")
        } catch {
            throw DocumentError(file: file, line: 1, path: "", message: "YAML syntax: \(error)")
        }
        guard let root else { throw DocumentError(file: file, line: 1, path: "", message: "the file is empty") }
        return try convert(root, file: file)
    }

    static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return 1
        }
    }

    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        default:
            return "\(error)"
        }
    }

    static func convert(_ node: Node, file: String) throws(DocumentError) -> DocNode {
        let line = node.mark?.line ?? 1
        switch node {
        case .scalar(let s):
            if s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string) {
                return DocNode(.null, line: line)
            }
            return DocNode(.scalar(s.string, quoted: s.style != .plain), line: line)
        case .sequence(let seq):
            var items: [DocNode] = []
            for item in seq { items.append(try convert(item, file: file)) }
            return DocNode(.array(items), line: line)
        case .mapping(let map):
            var members: [DocMember] = []
            for (k, v) in map {
                guard case .scalar(let key) = k else {
                    throw DocumentError(
                        file: file, line: k.mark?.line ?? line, path: "", message: "keys must be plain strings")
                }
                members.append(DocMember(key: key.string, node: try convert(v, file: file), line: k.mark?.line ?? line))
            }
            return DocNode(.object(members), line: line)
        case .alias:
            throw DocumentError(
                file: file, line: line, path: "", message: "YAML aliases are not supported; write the value out")
        }
    }
}
