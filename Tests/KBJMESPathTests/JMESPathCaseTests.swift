import Foundation
import KBJMESPath
import KBJSON
import Testing

/// One case of `Cases/cases.json`, written by scripts/jmespath-cases from the
/// Python `jmespath` package: an expression, the data it is applied to, and what
/// Python returned or that it raised (with the offset, for syntax errors).
struct JMESPathCase: CustomTestStringConvertible, Sendable {
    var data: JSONValue
    var expression: String
    var result: JSONValue?
    var offset: Int?
    var testDescription: String { expression.isEmpty ? "(empty expression)" : expression }

    static let all: [JMESPathCase] = {
        guard let url = Bundle.module.url(forResource: "cases", withExtension: "json", subdirectory: "Cases"),
            let text = try? String(contentsOf: url, encoding: .utf8),
            let cases = JSONParser.parse(text).value?.elements
        else { fatalError("cannot load Cases/cases.json") }
        return cases.map { value in
            JMESPathCase(
                data: value["data"]!, expression: value["expression"]!.string!,
                result: value["error"] == nil ? value["result"]! : nil,
                offset: value["offset"]?.number.flatMap { Int($0.literal) })
        }
    }()
}

@Suite struct JMESPathCaseTests {
    @Test(arguments: JMESPathCase.all)
    func matchesThePythonReference(_ testCase: JMESPathCase) throws {
        guard let expected = testCase.result else {
            let error = #expect(throws: JMESPathError.self) {
                try JMESPathExpression(testCase.expression).evaluate(testCase.data)
            }
            if let offset = testCase.offset {
                // A syntax error: found when parsing, where Python found it.
                #expect(throws: JMESPathError.self) { try JMESPathExpression(testCase.expression) }
                #expect(error?.offset == offset, "\(error?.description ?? "no error")")
            }
            return
        }
        let result = try JMESPathExpression(testCase.expression).evaluate(testCase.data)
        let mismatch = difference(expected, result)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// `json.dumps` spelling, not just the value: `sum` gives `3`, `avg` `2.0`, `1.50` prints `1.5`.
    @Test(arguments: JMESPathCase.all.filter { $0.result != nil })
    func spellsNumbersAsPythonPrintsThem(_ testCase: JMESPathCase) throws {
        let result = try JMESPathExpression(testCase.expression).evaluate(testCase.data)
        let mismatch = difference(testCase.result!, result, literally: true)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func theTableIsLargeAndHasBothOutcomes() {
        let all = JMESPathCase.all
        #expect(all.count >= 200)
        #expect(all.filter { $0.result == nil }.count >= 50)
        #expect(all.filter { $0.offset != nil }.count >= 40)
        let expressions = Set(all.map(\.expression))
        for required in [
            "KeyMetadata.Arn", "Contents[].Key", "Aliases[?AliasName=='alias/x'].TargetKeyId | [0]", "length(Contents)",
            "Contents[].{Key: Key, Size: Size}", "Contents[?Size > `10`]",
        ] {
            #expect(expressions.contains(required), "no case for \(required)")
        }
    }
}

/// Where two values first differ, nil when they are the same: objects with the
/// same keys in the same order, strings by code point, numbers by value (or, with
/// `literally`, by spelling).
func difference(_ expected: JSONValue, _ actual: JSONValue, at path: String = "$", literally: Bool = false) -> String? {
    switch (expected.kind, actual.kind) {
    case (.object(let a), .object(let b)):
        guard a.count == b.count, zip(a, b).allSatisfy({ sameText($0.key, $1.key) }) else {
            return "\(path): keys \(a.map(\.key)) became \(b.map(\.key))"
        }
        for (x, y) in zip(a, b) {
            if let found = difference(x.value, y.value, at: path + "." + x.key, literally: literally) { return found }
        }
        return nil
    case (.array(let a), .array(let b)):
        guard a.count == b.count else { return "\(path): \(a.count) elements became \(b.count)" }
        for (index, (x, y)) in zip(a, b).enumerated() {
            if let found = difference(x, y, at: "\(path)[\(index)]", literally: literally) { return found }
        }
        return nil
    case (.number(let a), .number(let b)):
        let same = literally ? a.literal == b.literal : (a.double != nil && a.double == b.double)
        return same ? nil : "\(path): \(a.literal) became \(b.literal)"
    case (.string(let a), .string(let b)):
        return sameText(a, b) ? nil : "\(path): \(a.debugDescription) became \(b.debugDescription)"
    case (.bool(let a), .bool(let b)):
        return a == b ? nil : "\(path): \(a) became \(b)"
    case (.null, .null):
        return nil
    default:
        return "\(path): \(expected.typeName) became \(actual.typeName)"
    }
}

/// Code point equality; Swift's `==` would equate `é` and `e\u{301}`.
func sameText(_ a: String, _ b: String) -> Bool {
    a.utf8.elementsEqual(b.utf8)
}
