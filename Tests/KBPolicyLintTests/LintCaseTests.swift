import Foundation
import KBDiagnostics
import KBJSON
import KBPolicy
import KBPolicyLint
import Testing

/// One case of `Cases/lint.json` (written by scripts/lint-cases): a policy, its
/// kind, and every finding expected, as (rule, the JSON text it points at).
struct LintCase: CustomTestStringConvertible, Sendable {
    var name: String
    var kind: PolicyKind
    var owner: String?
    var policy: JSONValue
    var expected: [String]
    var testDescription: String { name }

    static let source: SourceText = {
        let url = Bundle.module.url(forResource: "lint", withExtension: "json", subdirectory: "Cases")!
        return SourceText(path: "Cases/lint.json", text: try! String(contentsOf: url, encoding: .utf8))
    }()

    static let all: [LintCase] = {
        guard let cases = JSONParser.parse(source.text).value?.elements else { fatalError("lint.json is not JSON") }
        return cases.map { value in
            LintCase(
                name: value["name"]?.string ?? "?", kind: PolicyKind(attribute: value["kind"]?.string ?? "")!,
                owner: value["owner"]?.string, policy: value["policy"]!,
                expected: (value["expect"]?.elements ?? []).map { pair in
                    "\(pair.elements?[0].string ?? "") at \(pair.elements?[1].string ?? "")"
                }.sorted())
        }
    }()

    /// The text of the case file a diagnostic's range covers.
    static func text(of range: SourceRange) -> String {
        let start = source.byteOffset(of: range.start)
        let end = source.byteOffset(of: range.end)
        return String(decoding: source.bytes[start..<max(end, start)], as: UTF8.self)
    }
}

@Suite struct LintCaseTests {
    @Test(arguments: LintCase.all)
    func findsExactlyTheExpectedProblemsAtTheirElements(_ testCase: LintCase) {
        let locate = SourceLocator(LintCase.source)
        let parsed = PolicyParser.parse(testCase.policy, locate: locate)
        let text = String(decoding: LintCase.source.bytes[testCase.policy.range], as: UTF8.self)
        var linter = PolicyLinter(
            .init(
                document: parsed.document, kind: testCase.kind, text: text, locate: locate, ownerAccount: testCase.owner
            ))
        let findings = (parsed.diagnostics + linter.lint()).map { "\($0.rule) at \(LintCase.text(of: $0.range))" }
            .sorted()
        #expect(findings == testCase.expected)
    }

    @Test func casesCoverEveryRule() {
        let used = Set(LintCase.all.flatMap { $0.expected.map { String($0.prefix { $0 != " " }) } })
        // Every rule of the grammar's and the linter's registration lists: a new
        // rule needs a case before the suite passes.
        let rules = PolicyGrammarRules.all + PolicyLintRules.all
        #expect(rules.count >= 40)
        for rule in rules { #expect(used.contains(rule.id.rawValue), "no case exercises \(rule)") }
    }
}
