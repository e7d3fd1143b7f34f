/// Walks the lines of UTF-8 text (JSON Lines documents, alert streams) without copying them.
enum TextLines {
    /// Space, tab or carriage return (a CRLF file's lines end in one).
    static func isBlank(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 13 }

    /// Calls `body(lineNumber, line)` for every line that is not blank (the line as written, without its
    /// newline); stops early when `body` returns false.
    static func forEachNonBlank(_ buf: UnsafeBufferPointer<UInt8>, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Bool) {
        var lineNo = 1
        var start = 0
        while start < buf.count {
            var end = start
            while end < buf.count && buf[end] != 10 { end += 1 }
            let line = UnsafeBufferPointer(rebasing: buf[start..<end])
            if line.contains(where: { !isBlank($0) }) && !body(lineNo, line) { return }
            lineNo += 1
            start = end + 1
        }
    }

    /// `line` without blanks at either end.
    static func trimmed(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var a = 0
        var b = line.count
        while a < b && isBlank(line[a]) { a += 1 }
        while b > a && isBlank(line[b - 1]) { b -= 1 }
        return UnsafeBufferPointer(rebasing: line[a..<b])
    }
}
