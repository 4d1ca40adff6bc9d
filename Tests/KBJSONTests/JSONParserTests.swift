import Foundation
import KBJSON
import Testing

@Suite struct JSONParserTests {
    @Test(arguments: Cases.load("valid", as: [ValidCase].self))
    func parsesValidJSONExactly(_ testCase: ValidCase) throws {
        let result = JSONParser.parse(testCase.input)
        #expect(result.issues.isEmpty, "\(result.issues.map(\.message))")
        let value = try #require(result.value)
        #expect(canonical(value) == testCase.canonical)
    }

    @Test(arguments: Cases.load("valid", as: [ValidCase].self))
    func everyValueRangeCoversExactlyItsOwnText(_ testCase: ValidCase) throws {
        let value = try #require(JSONParser.parse(testCase.input).value)
        let bytes = Array(testCase.input.utf8)
        for node in allValues(value) {
            let slice = String(decoding: bytes[node.range], as: UTF8.self)
            let reparsed = try #require(JSONParser.parse(slice).value, "range of \(canonical(node)) is \(slice)")
            #expect(canonical(reparsed) == canonical(node))
        }
    }

    @Test(arguments: Cases.load("invalid", as: [InvalidCase].self))
    func reportsInvalidJSONWhereItIs(_ testCase: InvalidCase) throws {
        let result = JSONParser.parse(testCase.input)
        let issue = try #require(result.issues.first)
        #expect(issue.message.contains(testCase.message), "message was: \(issue.message)")
        let (line, column) = lineColumn(of: issue.range.lowerBound, in: testCase.input)
        #expect(line == testCase.line && column == testCase.column, "reported at \(line):\(column)")
        #expect(issue.recovered == testCase.recovered)
        #expect((result.value != nil) == testCase.recovered)
        #expect(issue.fix?.replacement == testCase.fix)
    }

    /// The property behind recovery: applying the suggested fixes gives strict JSON
    /// whose value is exactly what the parser assumed.
    @Test(arguments: Cases.load("invalid", as: [InvalidCase].self).filter { $0.recovered && $0.fix != nil })
    func applyingTheFixesYieldsTheAssumedDocument(_ testCase: InvalidCase) throws {
        let broken = JSONParser.parse(testCase.input)
        let assumed = try #require(broken.value)
        let fixed = JSONParser.parse(applyFixes(broken.issues, to: testCase.input))
        #expect(fixed.issues.isEmpty, "after fixes: \(fixed.issues.map(\.message))")
        #expect(canonical(try #require(fixed.value)) == canonical(assumed))
    }

    @Test func missingCommaPointsAtSecondElementAndFixesAfterFirst() throws {
        let text = "[\n  \"s3:GetObject\"\n  \"s3:PutObject\"\n]"
        let issue = try #require(JSONParser.parse(text).issues.first)
        #expect(issue.message == "expected ',' between array elements")
        let element = Array(text.utf8)[issue.range]
        #expect(String(decoding: element, as: UTF8.self) == "\"s3:PutObject\"")
        let fix = try #require(issue.fix)
        #expect(fix.range.isEmpty)
        #expect(lineColumn(of: fix.range.lowerBound, in: text) == (2, 17))
        #expect(issue.related.first?.message == "previous element ends here")
        #expect(issue.assumption?.contains("assumed a ','") == true)
    }

    @Test func recoversFromSeveralMistakesInOneDocument() throws {
        let text = "{\n  'Version': \"2012-10-17\"\n  \"Statement\": [1, 2,],\n}"
        let result = JSONParser.parse(text)
        #expect(result.issues.count == 4)
        let value = try #require(result.value)
        #expect(value["Version"]?.string == "2012-10-17")
        #expect(value["Statement"]?.elements?.count == 2)
    }

    @Test func duplicateKeysAreReportedAndTheLastWins() throws {
        let result = JSONParser.parse(#"{"Effect": "Allow", "Effect": "Deny"}"#)
        #expect(result.issues.map(\.kind) == [.duplicateKey])
        #expect(result.value?["Effect"]?.string == "Deny")
        #expect(result.value?.members?.map(\.key) == ["Effect", "Effect"])
        #expect(result.issues.first?.related.first?.range == 1..<9)
    }

    @Test func loneSurrogateIsAWarningNotAnError() throws {
        let result = JSONParser.parse(#"["\ud800x"]"#)
        #expect(result.issues.map(\.kind) == [.questionable])
        #expect(result.issues.allSatisfy { !$0.isError })
        #expect(result.value?.elements?.first?.string == "\u{FFFD}x")
    }

    @Test(arguments: [("jsonc", JSONParser.Options.jsonc), ("json5", JSONParser.Options.json5)])
    func relaxedDialectsAcceptTheirExtensions(_ name: String, _ options: JSONParser.Options) throws {
        let result = JSONParser.parse("{\n  // note\n  \"a\": [1, 2,],\n}", options: options)
        #expect(result.isClean, "\(name): \(result.issues.map(\.message))")
    }

    @Test func json5AcceptsSingleQuotesAndIdentifierKeys() {
        #expect(JSONParser.parse("{Effect: 'Allow'}", options: .json5).isClean)
        #expect(!JSONParser.parse("{Effect: 'Allow'}", options: .jsonc).isClean)
    }

    @Test func deepNestingIsRefusedWithoutOverflowingTheStack() throws {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let result = JSONParser.parse(text)
        #expect(result.value == nil)
        #expect(result.issues.first?.kind == .limit)
        #expect(result.issues.first?.message.contains("nested deeper than 128") == true)
    }

    @Test func nestingAtTheLimitIsAccepted() {
        let text = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(JSONParser.parse(text).isClean)
    }

    @Test func oversizedTextIsRefused() {
        var options = JSONParser.Options()
        options.maxBytes = 10
        let result = JSONParser.parse("[1, 2, 3, 4, 5]", options: options)
        #expect(result.value == nil)
        #expect(result.issues.first?.kind == .limit)
    }

    @Test func numbersKeepTheirLiteral() throws {
        let value = try #require(JSONParser.parse("[1.50, 1e400, -0]").value)
        #expect(value.elements?.map { $0.number?.literal } == ["1.50", "1e400", "-0"])
        #expect(value.elements?[0].number?.double == 1.5)
        #expect(value.elements?[1].number?.double == nil)
    }

    @Test func multibyteTextKeepsByteRanges() throws {
        let text = "{\"ключ\": \"日本\"}"
        let value = try #require(JSONParser.parse(text).value)
        let member = try #require(value.members?.first)
        #expect(String(decoding: Array(text.utf8)[member.keyRange], as: UTF8.self) == "\"ключ\"")
        #expect(String(decoding: Array(text.utf8)[member.value.range], as: UTF8.self) == "\"日本\"")
    }
}
