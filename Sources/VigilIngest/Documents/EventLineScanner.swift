import VigilCore

/// The fast path for one line of a JSON Lines history: a flat object whose members are plain ASCII strings
/// (no escapes) among `time`, `type`, `vm`, `host`, `from`, `to`, `state` — every placement and state event.
/// It reads the members straight from the bytes, without building a `DocNode` tree, and builds the event with
/// the same checks as `EventDecoder`. Anything else (incidents, escapes, numbers, an error of any kind) gives
/// nil, and the caller takes the general path, which accepts or names the error exactly as before.
struct EventLineScanner {
    /// Member values by `EventDecoder.keys` index, reused from line to line.
    private var values = [String?](repeating: nil, count: 8)

    /// The event on `line`, or nil when the line needs the general path.
    mutating func scan(_ line: UnsafeBufferPointer<UInt8>, file: String) -> Event? {
        for k in 0..<8 { values[k] = nil }
        var i = 0
        let n = line.count
        func skipSpace() {
            while i < n, line[i] == 32 || line[i] == 9 || line[i] == 13 { i += 1 }
        }
        /// The bounds of a quoted ASCII string without escapes or control characters starting at `i`.
        func plainString() -> Range<Int>? {
            guard i < n, line[i] == 34 else { return nil }
            let start = i + 1
            var j = start
            while j < n {
                let c = line[j]
                if c == 34 { break }
                if c == 92 || c < 32 || c >= 128 { return nil }
                j += 1
            }
            guard j < n else { return nil }
            i = j + 1
            return start..<j
        }
        skipSpace()
        guard i < n, line[i] == 123 else { return nil }
        i += 1
        var seen: UInt8 = 0
        while true {
            skipSpace()
            guard let key = plainString(), let k = Self.keyIndex(line, key) else { return nil }
            let bit = UInt8(1) << UInt8(k)
            guard seen & bit == 0 else { return nil }
            seen |= bit
            skipSpace()
            guard i < n, line[i] == 58 else { return nil }
            i += 1
            skipSpace()
            guard let value = plainString() else { return nil }
            if k >= 2 && k <= 5 && !Self.isIdentifier(line, value) { return nil }
            values[k] = String(decoding: UnsafeBufferPointer(rebasing: line[value]), as: UTF8.self)
            skipSpace()
            guard i < n else { return nil }
            if line[i] == 44 {
                i += 1
                continue
            }
            guard line[i] == 125 else { return nil }
            i += 1
            break
        }
        skipSpace()
        guard i == n else { return nil }
        return try? EventDecoder.event(values: values, seen: seen, incident: nil, file: file) {
            DocumentError(file: file, line: 0, path: $0, message: $1)
        }
    }

    /// The index in `EventDecoder.keys` of the key at `range`; nil for `incident` (general path) or unknown.
    static func keyIndex(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        for (k, key) in EventDecoder.keyBytes.enumerated().dropLast()
        where key.count == range.count && key.elementsEqual(line[range]) {
            return k
        }
        return nil
    }

    /// `Syntax.isIdentifier` on bytes: letters, digits, '.', '_', '-', not empty.
    static func isIdentifier(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        !range.isEmpty && line[range].allSatisfy(Syntax.isIdentifierByte)
    }
}
