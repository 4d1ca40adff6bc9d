import Foundation
import KBDiagnostics
import KBJSON
import KBPolicy
import KBPolicyLint
import Testing

/// One case of `Cases/lint.json` (written by scripts/lint-cases): a policy, its
/// kind, and every finding expected, as (rule, the JSON text it points at), with
/// the finding's severity where the case says it.
struct LintCase: CustomTestStringConvertible, Sendable {
    var name: String
    var kind: PolicyKind
    var owner: String?
    var policy: JSONValue
    var expected: [String]
    /// Severities the case pins, by "rule at text".
    var severities: [String: String] = [:]
    /// The Access Analyzer check the case reproduces, if any.
    var check: String?
    var testDescription: String { name }

    static let source: SourceText = {
        let url = Bundle.module.url(forResource: "lint", withExtension: "json", subdirectory: "Cases")!
        return SourceText(path: "Cases/lint.json", text: try! String(contentsOf: url, encoding: .utf8))
    }()

    static let all: [LintCase] = {
        guard let cases = JSONParser.parse(source.text).value?.elements else { fatalError("lint.json is not JSON") }
        return cases.map { value in
            let expect = value["expect"]?.elements ?? []
            let label = { (entry: JSONValue) in
                "\(entry.elements?[0].string ?? "") at \(entry.elements?[1].string ?? "")"
            }
            var severities: [String: String] = [:]
            for entry in expect where (entry.elements?.count ?? 0) > 2 {
                severities[label(entry)] = entry.elements?[2].string
            }
            return LintCase(
                name: value["name"]?.string ?? "?", kind: PolicyKind(attribute: value["kind"]?.string ?? "")!,
                owner: value["owner"]?.string, policy: value["policy"]!,
                expected: expect.map(label).sorted(), severities: severities, check: value["check"]?.string)
        }
    }()

    /// Lints the case's policy: every finding, parser's included.
    func findings() -> [Diagnostic] {
        let locate = SourceLocator(Self.source)
        let parsed = PolicyParser.parse(policy, locate: locate)
        let text = String(decoding: Self.source.bytes[policy.range], as: UTF8.self)
        var linter = PolicyLinter(
            .init(document: parsed.document, kind: kind, text: text, locate: locate, ownerAccount: owner))
        return parsed.diagnostics + linter.lint()
    }

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
        let found = testCase.findings()
        let findings = found.map { "\($0.rule) at \(LintCase.text(of: $0.range))" }.sorted()
        #expect(findings == testCase.expected)
        for finding in found {
            let label = "\(finding.rule) at \(LintCase.text(of: finding.range))"
            if let severity = testCase.severities[label] {
                #expect(finding.severity.rawValue == severity, "\(testCase.name): \(label) is \(finding.severity)")
            }
        }
    }

    @Test func casesCoverEveryRule() {
        let used = Set(LintCase.all.flatMap { $0.expected.map { String($0.prefix { $0 != " " }) } })
        // Every rule of the grammar's and the linter's registration lists: a new
        // rule needs a case before the suite passes.
        let rules = PolicyGrammarRules.all + PolicyLintRules.all
        #expect(rules.count >= 60)
        for rule in rules { #expect(used.contains(rule.id.rawValue), "no case exercises \(rule)") }
    }

    /// Every check of Access Analyzer's reference that kbtool implements has a case
    /// reproducing it, whose finding for that check's rule has the analyzer's
    /// severity: errors are errors, security and general warnings are warnings,
    /// suggestions are notes (the README's table says where kbtool differs).
    @Test(arguments: AnalyzerCheck.all.filter { !$0.rules.isEmpty && !$0.rules.contains("json-syntax") })
    func everyImplementedAnalyzerCheckHasACaseAtItsSeverity(_ check: AnalyzerCheck) {
        let cases = LintCase.all.filter { $0.check == check.check }
        #expect(!cases.isEmpty, "no case reproduces \(check.title)")
        for testCase in cases {
            let findings = testCase.findings().filter { check.rules.contains($0.rule.rawValue) }
            #expect(!findings.isEmpty, "\(testCase.name): no \(check.rules) finding")
            let deviations: Set<String> = [
                "error-unsupported-action-for-condition-key", "general-warning-deprecated-global-condition-key",
            ]
            guard !deviations.contains(check.check) else { continue }
            for finding in findings {
                #expect(
                    finding.severity.rawValue == check.severity,
                    "\(testCase.name): \(finding.rule) is \(finding.severity)")
            }
        }
    }

    @Test func theTableCoversTheWholeReference() {
        #expect(AnalyzerCheck.all.count == 139)
        #expect(AnalyzerCheck.all.filter { $0.level == "Error" }.count == 76)
        #expect(AnalyzerCheck.all.filter { $0.level == "Security Warning" }.count == 14)
        #expect(AnalyzerCheck.all.filter { $0.level == "General Warning" }.count == 23)
        #expect(AnalyzerCheck.all.filter { $0.level == "Suggestion" }.count == 26)
    }
}

/// One row of `Cases/analyzer-checks.json`: a check of Access Analyzer's reference,
/// its level, and the kbtool rules that implement it (none when not implemented).
struct AnalyzerCheck: CustomTestStringConvertible, Sendable {
    var check: String
    var level: String
    var severity: String
    var title: String
    var rules: [String]
    var testDescription: String { title }

    static let all: [AnalyzerCheck] = {
        let url = Bundle.module.url(forResource: "analyzer-checks", withExtension: "json", subdirectory: "Cases")!
        let text = try! String(contentsOf: url, encoding: .utf8)
        guard let rows = JSONParser.parse(text).value?.elements else { fatalError("analyzer-checks.json is not JSON") }
        return rows.map { row in
            AnalyzerCheck(
                check: row["check"]?.string ?? "", level: row["level"]?.string ?? "",
                severity: row["severity"]?.string ?? "", title: row["title"]?.string ?? "",
                rules: (row["rules"]?.elements ?? []).compactMap(\.string))
        }
    }()
}

/// Kinds inferred from file names and block titles: whole words only, and only
/// when the document's structure allows the kind.
@Suite struct PolicyKindTests {
    @Test(
        arguments: [
            ("key-policy.json", PolicyKind.key), ("partner-identity.json", .identity), ("bucket_policy.json", .bucket),
            ("RoleTrustPolicy.json", .trust), ("trust.json", .trust), ("scp-deny-regions.json", .scp),
            ("KMS key policy", .key), ("AWSTrustedAdvisorPriorityFullAccess.json", nil), ("keypolicy.json", nil),
            ("entrust-partner.json", nil), ("MyBucketPolicy.json", .bucket), ("notes.json", nil),
        ] as [(String, PolicyKind?)])
    func namesAKindInWholeWords(_ name: String, _ kind: PolicyKind?) {
        #expect(PolicyKind(fileName: name) == kind)
    }

    @Test func aNameDoesNotMakeAPermissionsPolicyAResourcePolicy() {
        let locate = SourceLocator(SourceText(path: "p.json", text: ""))
        let permissions = PolicyParser.parse(
            JSONParser.parse(#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#)
                .value!,
            locate: locate
        ).document
        let trust = PolicyParser.parse(
            JSONParser.parse(
                #"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#
            ).value!,
            locate: locate
        ).document
        #expect(!PolicyKind.trust.fits(permissions))
        #expect(PolicyKind.trust.fits(trust))
        // A stray Principal in an identity policy is a mistake to report, not a reason to doubt the name.
        #expect(PolicyKind.identity.fits(trust))
    }
}
