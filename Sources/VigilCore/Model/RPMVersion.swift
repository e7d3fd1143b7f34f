/// An RPM package version, `[epoch:]version[-release]`, ordered as rpm orders them (DESIGN §11): epochs
/// numerically (absent = 0), then version and release each by `rpmvercmp`.
public struct RPMVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let epoch: UInt64
    public let version: String
    public let release: String?

    /// Parses `[epoch:]version[-release]`; nil when the version is empty or the epoch is not a number.
    public init?(_ text: String) {
        var rest = Substring(text)
        if let colon = rest.firstIndex(of: ":") {
            guard let e = UInt64(rest[..<colon]) else { return nil }
            epoch = e
            rest = rest[rest.index(after: colon)...]
        } else {
            epoch = 0
        }
        if let dash = rest.lastIndex(of: "-") {
            version = String(rest[..<dash])
            release = String(rest[rest.index(after: dash)...])
        } else {
            version = String(rest)
            release = nil
        }
        guard !version.isEmpty else { return nil }
    }

    public var description: String {
        (epoch > 0 ? "\(epoch):" : "") + version + (release.map { "-" + $0 } ?? "")
    }

    /// Equal when rpm would call them equal (`1.0` and `1_0`, `10.0001` and `10.1`).
    public static func == (l: RPMVersion, r: RPMVersion) -> Bool { compare(l, r) == 0 }

    public func hash(into hasher: inout Hasher) { hasher.combine(epoch) }

    public static func < (l: RPMVersion, r: RPMVersion) -> Bool { compare(l, r) < 0 }

    /// -1, 0 or 1 as `l` is older than, equal to or newer than `r`. A release is compared only when both
    /// have one (as rpm does when a dependency names no release).
    public static func compare(_ l: RPMVersion, _ r: RPMVersion) -> Int {
        if l.epoch != r.epoch { return l.epoch < r.epoch ? -1 : 1 }
        let v = vercmp(l.version, r.version)
        guard v == 0, let a = l.release, let b = r.release else { return v }
        return vercmp(a, b)
    }

    /// rpm's `rpmvercmp`: alternating runs of digits and letters compared run by run (numbers numerically,
    /// letters as bytes, a number newer than letters); other characters only separate runs; `~` sorts before
    /// anything, even the end; `^` sorts after the end but before anything else.
    public static func vercmp(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var i = 0
        var j = 0
        func at(_ s: [UInt8], _ k: Int) -> UInt8 { k < s.count ? s[k] : 0 }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        func isAlpha(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        func isSeparator(_ c: UInt8) -> Bool { c != 0 && !isDigit(c) && !isAlpha(c) && c != 126 && c != 94 }
        let tilde: UInt8 = 126
        let caret: UInt8 = 94
        while i < x.count || j < y.count {
            while isSeparator(at(x, i)) { i += 1 }
            while isSeparator(at(y, j)) { j += 1 }
            let (c, d) = (at(x, i), at(y, j))
            if c == tilde || d == tilde {
                if c != tilde { return 1 }
                if d != tilde { return -1 }
                i += 1
                j += 1
                continue
            }
            if c == caret || d == caret {
                if c == 0 { return -1 }
                if d == 0 { return 1 }
                if c != caret { return 1 }
                if d != caret { return -1 }
                i += 1
                j += 1
                continue
            }
            if c == 0 || d == 0 { break }
            let numeric = isDigit(c)
            let run: (UInt8) -> Bool = numeric ? isDigit : isAlpha
            var ei = i
            while run(at(x, ei)) { ei += 1 }
            var ej = j
            while run(at(y, ej)) { ej += 1 }
            // Runs of different kinds: a number is newer than letters.
            if ej == j { return numeric ? 1 : -1 }
            var si = i
            var sj = j
            if numeric {
                while si < ei - 1 && x[si] == 48 { si += 1 }
                while sj < ej - 1 && y[sj] == 48 { sj += 1 }
                if ei - si != ej - sj { return ei - si < ej - sj ? -1 : 1 }
            }
            let l = x[si..<ei]
            let r = y[sj..<ej]
            if !l.elementsEqual(r) { return l.lexicographicallyPrecedes(r) ? -1 : 1 }
            i = ei
            j = ej
        }
        if i >= x.count && j >= y.count { return 0 }
        return i >= x.count ? -1 : 1
    }
}
