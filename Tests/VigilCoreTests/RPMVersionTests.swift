import Testing
import VigilCore

/// `rpmvercmp` on the pairs of rpm's own test table (tests/rpmvercmp.at) and on real EVRs from the AlmaLinux
/// advisories for qemu-kvm and libvirt.
@Suite struct RPMVersionTests {
    static let vercmp: [(String, String, Int)] = [
        ("1.0", "1.0", 0), ("1.0", "2.0", -1), ("2.0", "1.0", 1), ("2.0.1", "2.0.1", 0), ("2.0", "2.0.1", -1),
        ("2.0.1", "2.0", 1), ("2.0.1a", "2.0.1a", 0), ("2.0.1a", "2.0.1", 1), ("2.0.1", "2.0.1a", -1),
        ("5.5p1", "5.5p1", 0), ("5.5p1", "5.5p2", -1), ("5.5p2", "5.5p1", 1), ("5.5p10", "5.5p10", 0),
        ("5.5p1", "5.5p10", -1), ("5.5p10", "5.5p1", 1), ("10xyz", "10.1xyz", -1), ("10.1xyz", "10xyz", 1),
        ("xyz10", "xyz10", 0), ("xyz10", "xyz10.1", -1), ("xyz10.1", "xyz10", 1), ("xyz.4", "xyz.4", 0),
        ("xyz.4", "8", -1), ("8", "xyz.4", 1), ("xyz.4", "2", -1), ("2", "xyz.4", 1), ("5.5p2", "5.6p1", -1),
        ("5.6p1", "5.5p2", 1), ("5.6p1", "6.5p1", -1), ("6.5p1", "5.6p1", 1), ("6.0.rc1", "6.0", 1),
        ("6.0", "6.0.rc1", -1), ("10b2", "10a1", 1), ("10a2", "10b2", -1), ("1.0aa", "1.0aa", 0),
        ("1.0a", "1.0aa", -1), ("1.0aa", "1.0a", 1), ("10.0001", "10.0001", 0), ("10.0001", "10.1", 0),
        ("10.1", "10.0001", 0), ("10.0001", "10.0039", -1), ("10.0039", "10.0001", 1), ("4.999.9", "5.0", -1),
        ("5.0", "4.999.9", 1), ("20101121", "20101121", 0), ("20101121", "20101122", -1),
        ("20101122", "20101121", 1), ("2_0", "2_0", 0), ("2.0", "2_0", 0), ("2_0", "2.0", 0), ("a", "a", 0),
        ("a+", "a+", 0), ("a+", "a_", 0), ("a_", "a+", 0), ("+a", "+a", 0), ("+a", "_a", 0), ("_a", "+a", 0),
        ("+_", "+_", 0), ("_+", "+_", 0), ("_+", "_+", 0), ("+", "_", 0), ("_", "+", 0),
        // Tildes: before anything, even the end.
        ("1.0~rc1", "1.0~rc1", 0), ("1.0~rc1", "1.0", -1), ("1.0", "1.0~rc1", 1), ("1.0~rc1", "1.0~rc2", -1),
        ("1.0~rc2", "1.0~rc1", 1), ("1.0~rc1~git123", "1.0~rc1~git123", 0), ("1.0~rc1~git123", "1.0~rc1", -1),
        ("1.0~rc1", "1.0~rc1~git123", 1),
        // Carets: after the end, before anything else.
        ("1.0^", "1.0^", 0), ("1.0^", "1.0", 1), ("1.0", "1.0^", -1), ("1.0^git1", "1.0^git1", 0),
        ("1.0^git1", "1.0", 1), ("1.0", "1.0^git1", -1), ("1.0^git1", "1.0^git2", -1), ("1.0^git2", "1.0^git1", 1),
        ("1.0^git1", "1.01", -1), ("1.01", "1.0^git1", 1), ("1.0^20160101", "1.0^20160101", 0),
        ("1.0^20160101", "1.0.1", -1), ("1.0.1", "1.0^20160101", 1), ("1.0^20160101^git1", "1.0^20160101^git1", 0),
        ("1.0^20160102", "1.0^20160101^git1", 1), ("1.0^20160101^git1", "1.0^20160102", -1),
        ("1.0~rc1^git1", "1.0~rc1^git1", 0), ("1.0~rc1^git1", "1.0~rc1", 1), ("1.0~rc1", "1.0~rc1^git1", -1),
        ("1.0^git1~pre", "1.0^git1~pre", 0), ("1.0^git1", "1.0^git1~pre", 1), ("1.0^git1~pre", "1.0^git1", -1),
    ]

    @Test(arguments: vercmp)
    func comparesAsRpmvercmp(a: String, b: String, expected: Int) {
        #expect(RPMVersion.vercmp(a, b) == expected, "\(a) vs \(b)")
    }

    /// Whole EVRs: epoch first, then version, then release (el9 stream suffixes are letters and numbers).
    static let evr: [(String, String, Int)] = [
        ("17:8.2.0-11.el9_4.6", "17:8.2.0-11.el9_4", 1),
        ("17:8.2.0-11.el9_4.6", "17:9.0.0-10.el9_5", -1),
        ("15:6.2.0-41.module_el8.9.0+3721+ee04da34", "15:6.2.0-40.module_el8.9.0+3700+efebe9fd", 1),
        ("17:8.2.0-11.el9_4.6", "8.2.0-11.el9_4.6", 1),
        ("10.0.0-6.el9_4.1", "10.0.0-6.el9_4", 1),
        ("10.0.0-6.el9_4", "10.0.0-6.el9", 1),
        ("1:10.0.0-6.el9", "9.9.9-9.el9", 1),
        ("8.2.0", "17:8.2.0-11.el9_4.6", -1),
        ("0:8.2.0-11.el9", "8.2.0-11.el9", 0),
        ("4.18.0-513.5.1.el8_9", "4.18.0-513.24.1.el8_9", -1),
    ]

    @Test(arguments: evr)
    func comparesEpochVersionRelease(a: String, b: String, expected: Int) throws {
        let l = try #require(RPMVersion(a))
        let r = try #require(RPMVersion(b))
        #expect(RPMVersion.compare(l, r) == expected, "\(a) vs \(b)")
        #expect(RPMVersion.compare(r, l) == -expected, "\(b) vs \(a)")
    }

    @Test func refusesWhatIsNotAnEVR() {
        #expect(RPMVersion("") == nil)
        #expect(RPMVersion("x:1.0") == nil)
        #expect(RPMVersion("1:-2") == nil)
        #expect(RPMVersion("2:1.0-3")?.description == "2:1.0-3")
    }
}
