import Testing
import VigilCore

@Suite struct ZeroPaddedTests {
    @Test(arguments: [
        (7, 10, 3, "007"), (255, 16, 4, "00ff"), (12345, 10, 3, "12345"), (0, 16, 2, "00"), (42, 10, 0, "42"),
    ])
    func padsToTheWidthWithoutCutting(value: Int, radix: Int, width: Int, expected: String) {
        #expect(String(value, radix: radix, zeroPaddedTo: width) == expected)
    }

    @Test func unsignedHexFillsSixteenDigits() {
        #expect(String(UInt64(0xabc), radix: 16, zeroPaddedTo: 16) == "0000000000000abc")
        #expect(String(UInt64.max, radix: 16, zeroPaddedTo: 16) == "ffffffffffffffff")
    }
}
