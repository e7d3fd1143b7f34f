/// A strict JSON parser over UTF-8 bytes producing `DocNode`s with line numbers.
/// Hand-written because event logs and alert streams need millions of lines per second.
public struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    var line: Int

    init(bytes: UnsafeBufferPointer<UInt8>, firstLine: Int) {
        self.bytes = bytes
        self.line = firstLine
    }

    /// Parses one complete JSON value from `text`; `firstLine` numbers its first line.
    public static func parse(_ text: String, firstLine: Int = 1) throws(JSONSyntaxError) -> DocNode {
        var text = text
        let result: Result<DocNode, JSONSyntaxError> = text.withUTF8 { buffer in
            do throws(JSONSyntaxError) {
                return .success(try parse(bytes: buffer, firstLine: firstLine))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses one complete JSON value from UTF-8 bytes.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>, firstLine: Int = 1) throws(JSONSyntaxError)
        -> DocNode
    {
        var p = JSONParser(bytes: bytes, firstLine: firstLine)
        p.skipSpace()
        let node = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == bytes.count else { throw p.error("unexpected text after the JSON value") }
        return node
    }

    func error(_ message: String) -> JSONSyntaxError { JSONSyntaxError(line: line, message: message) }

    mutating func skipSpace() {
        while i < bytes.count {
            let c = bytes[i]
            if c == 10 {
                line += 1
            } else if c != 32 && c != 9 && c != 13 {
                return
            }
            i += 1
        }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> DocNode {
        guard depth < 200 else { throw error("nesting too deep") }
        guard i < bytes.count else { throw error("unexpected end of input") }
        let startLine = line
        switch bytes[i] {
        case 123:  // {
            i += 1
            var members: [DocMember] = []
            skipSpace()
            if i < bytes.count && bytes[i] == 125 {
                i += 1
                return DocNode(.object(members), line: startLine)
            }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == 34 else { throw error("expected a quoted member name") }
                let keyLine = line
                let key = try string()
                skipSpace()
                guard i < bytes.count, bytes[i] == 58 else { throw error("expected ':' after \"\(key)\"") }
                i += 1
                skipSpace()
                let v = try value(depth: depth + 1)
                members.append(DocMember(key: key, node: v, line: keyLine))
                skipSpace()
                guard i < bytes.count else { throw error("unexpected end of input in an object") }
                if bytes[i] == 44 {
                    i += 1
                    continue
                }
                if bytes[i] == 125 {
                    i += 1
                    return DocNode(.object(members), line: startLine)
                }
                throw error("expected ',' or '}' in an object")
            }
        case 91:  // [
            i += 1
            var items: [DocNode] = []
            skipSpace()
            if i < bytes.count && bytes[i] == 93 {
                i += 1
                return DocNode(.array(items), line: startLine)
            }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw error("unexpected end of input in a list") }
                if bytes[i] == 44 {
                    i += 1
                    continue
                }
                if bytes[i] == 93 {
                    i += 1
                    return DocNode(.array(items), line: startLine)
                }
                throw error("expected ',' or ']' in a list")
            }
        case 34:
            return DocNode(.scalar(try string(), quoted: true), line: startLine)
        case 116:
            try literal("true")
            return DocNode(.scalar("true", quoted: false), line: startLine)
        case 102:
            try literal("false")
            return DocNode(.scalar("false", quoted: false), line: startLine)
        case 110:
            try literal("null")
            return DocNode(.null, line: startLine)
        case 45, 48...57:
            let start = i
            i += 1
            while i < bytes.count {
                let c = bytes[i]
                guard (c >= 48 && c <= 57) || c == 46 || c == 101 || c == 69 || c == 43 || c == 45 else { break }
                i += 1
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            guard Double(text) != nil else { throw error("malformed number \(text)") }
            return DocNode(.scalar(text, quoted: false), line: startLine)
        default:
            throw error("unexpected character '\(Character(Unicode.Scalar(bytes[i])))'")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw error("unexpected end of input") }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] {
            throw error("unexpected word; expected \(word)")
        }
        i += n
    }

    mutating func string() throws(JSONSyntaxError) -> String {
        i += 1  // opening quote
        let start = i
        var simple = true
        while i < bytes.count {
            let c = bytes[i]
            if c == 34 { break }
            if c == 92 {
                simple = false
                i += 2
                continue
            }
            if c < 0x20 { throw error("control character in a string") }
            i += 1
        }
        guard i < bytes.count else { throw error("unterminated string") }
        let end = i
        i += 1
        if simple { return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var k = start
        while k < end {
            let c = bytes[k]
            if c != 92 {
                out.append(c)
                k += 1
                continue
            }
            guard k + 1 < end else { throw error("bad escape in a string") }
            let e = bytes[k + 1]
            k += 2
            switch e {
            case 34: out.append(34)
            case 92: out.append(92)
            case 47: out.append(47)
            case 98: out.append(8)
            case 102: out.append(12)
            case 110: out.append(10)
            case 114: out.append(13)
            case 116: out.append(9)
            case 117:
                guard var code = hex4(at: k, end: end) else { throw error("bad \\u escape in a string") }
                k += 4
                if code >= 0xD800 && code < 0xDC00 {
                    guard k + 6 <= end, bytes[k] == 92, bytes[k + 1] == 117, let low = hex4(at: k + 2, end: end),
                        low >= 0xDC00 && low < 0xE000
                    else { throw error("unpaired surrogate in a string") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    k += 6
                }
                guard let scalar = Unicode.Scalar(code) else { throw error("bad \\u escape in a string") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw error("bad escape in a string")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func hex4(at k: Int, end: Int) -> UInt32? {
        guard k + 4 <= end else { return nil }
        var v: UInt32 = 0
        for j in k..<(k + 4) {
            let c = bytes[j]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: return nil
            }
            v = v * 16 + d
        }
        return v
    }
}
