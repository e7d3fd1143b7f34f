import Testing
import VigilCore

@Suite struct JSONParserTests {
    @Test func parsesWithLines() throws {
        let node = try JSONParser.parse(
            "{\n  \"a\": [1, -2.5e3, true, null],\n  \"b\": \"x\\n\\u00e9\\ud83d\\ude00\"\n}")
        guard case .object(let members) = node.value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["a", "b"])
        #expect(members.map(\.line) == [2, 3])
        guard case .scalar(let s, quoted: true) = members[1].node.value else {
            Issue.record("not a string")
            return
        }
        #expect(s == "x\né😀")
    }

    @Test(arguments: [
        ("{\"a\": }", 1), ("{\"a\": 1,\n}", 2), ("[1, 2", 1), ("{\"a\": tru}", 1), ("\"unterminated", 1), ("{} x", 1),
        ("{\n\n\"a\": 01x}", 3),
    ])
    func rejects(text: String, line: Int) {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
        #expect(error?.line == line)
    }

    @Test func writerRoundTrips() throws {
        let v = JSONValue.object([
            ("s", .string("q\"\\\n\u{1}")), ("n", .int(-3)), ("a", .array([.bool(true), .null])),
        ])
        let text = JSONWriter.write(v)
        #expect(text == "{\"s\":\"q\\\"\\\\\\n\\u0001\",\"n\":-3,\"a\":[true,null]}")
        // The pretty form parses back to the same keys and values.
        let node = try JSONParser.parse(JSONWriter.pretty(v))
        guard case .object(let members) = node.value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["s", "n", "a"])
        guard case .scalar(let s, quoted: true) = members[0].node.value,
            case .scalar(let n, quoted: false) = members[1].node.value,
            case .array(let a) = members[2].node.value
        else {
            Issue.record("unexpected member shapes")
            return
        }
        #expect(s == "q\"\\\n\u{1}")
        #expect(n == "-3")
        #expect(a.count == 2)
    }
}
