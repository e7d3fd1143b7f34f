import Testing
import VigilCore

@Suite struct VersionTests {
    @Test(arguments: [
        ("4.17", "4.17.0", 0), ("4.17.0", "4.17.3", -1), ("4.17.3", "4.17.3a", -1), ("4.17.3a", "4.18", -1),
        ("4.17", "4.18", -1), ("4.9", "4.10", -1), ("8.2", "8.2.0.0", 0), ("7.0.3", "7.0.3b", -1),
        ("4.17.3a", "4.17.3b", -1), ("10", "9.99", 1), ("1.a", "1.0", 1), ("2.0", "1.a", 1),
        ("4.17.3a", "4.17.4", -1), ("4.17.3a", "4.17.2", 1), ("8.0.2", "8.0.2rc1", -1), ("8.0.2rc1", "8.0.rc", -1),
    ])
    func ordering(a: String, b: String, expected: Int) throws {
        let x = try #require(Version(a))
        let y = try #require(Version(b))
        #expect(Version.compare(x, y) == expected)
        #expect(Version.compare(y, x) == -expected)
        #expect((x == y) == (expected == 0))
        if expected == 0 { #expect(x.hashValue == y.hashValue) }
    }

    @Test func chainFromTheDesign() throws {
        let chain = try ["4.17", "4.17.3", "4.17.3a", "4.18"].map { try #require(Version($0)) }
        #expect(chain == chain.sorted())
        #expect(Version("4.17") == Version("4.17.0"))
    }

    @Test(arguments: ["", "4..1", ".4", "4.", "4.17 ", "4,17", "v 1"])
    func malformed(text: String) {
        #expect(Version(text) == nil)
    }

    @Test func affectedRanges() throws {
        let r = AffectedRange(introduced: Version("4.0"), fixed: Version("4.17.4"))
        #expect(r.contains(Version("4.0")!))
        #expect(r.contains(Version("4.17.3a")!))
        #expect(!r.contains(Version("4.17.4")!))
        #expect(!r.contains(Version("3.9")!))
        let open = AffectedRange(introduced: Version("4.18"), fixed: nil)
        #expect(open.contains(Version("99")!))
        #expect(!open.contains(Version("4.17.9")!))
    }
}
