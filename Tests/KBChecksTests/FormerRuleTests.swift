import Foundation
import KBChecks
import KBCommandCheck
import KBDiagnostics
import KBTestSupport
import KBTranscript
import Testing

/// A transcript's usage errors moved from `transcript-command` to the command
/// rules; a `kbtool.yml` level or `kbtool-disable` comment naming the old id
/// still reaches them (and only them: a bare block's findings never had it).
@Suite struct FormerRuleTests {
    /// The same mistake in a transcript (line 10) and in a bare block (line 14).
    static func guide(disable: Bool = false) -> String {
        """
        ---
        title: Former rule
        kbtool:
          profiles:
            owner: arn:aws:iam::111122223333:root
          default-profile: owner
        ---
        \(disable ? "<!-- kbtool-disable transcript-command -->" : "")
        ```console
        $ aws kms create-key --key-specs RSA_2048
        ```

        ```bash
        aws kms create-key --key-specs RSA_2048
        ```
        """
    }

    static func findings(rules: String?, guide: String = guide()) throws -> [String] {
        let folder = try TemporaryFolder("kbtool-former-rule", files: ["g.md": guide])
        defer { folder.remove() }
        let configuration = rules.map {
            Configuration.parse("rules:\n\($0)\n", path: "kbtool.yml", root: folder.url.path).0
        }
        let report = try Verifier(configuration: configuration).verify(
            try InputCollector.collect([folder.url.path]))
        return Diagnostic.sortedForOutput(report.diagnostics).filter { $0.rule.rawValue.hasPrefix("command-") }.map {
            "\($0.range.start.line) \($0.severity) \($0.rule)"
        }
    }

    @Test(
        "a level for transcript-command applies to a transcript's command findings, not a bare block's",
        arguments: [
            (nil, ["10 error command-option", "14 error command-option"]),
            ("  transcript-command: off", ["14 error command-option"]),
            ("  transcript-command: warning", ["10 warning command-option", "14 error command-option"]),
            // The finding's own id wins over the former one.
            (
                "  transcript-command: off\n  command-option: note",
                ["10 note command-option", "14 note command-option"]
            ),
        ] as [(String?, [String])])
    func levels(_ rules: String?, _ expected: [String]) throws {
        let found = try Self.findings(rules: rules)
        #expect(found == expected)
    }

    @Test("kbtool-disable transcript-command silences the transcript's command findings")
    func disableComment() throws {
        #expect(try Self.findings(rules: nil, guide: Self.guide(disable: true)) == ["14 error command-option"])
    }

    @Test("naming transcript-command in kbtool.yml is a note saying where its findings went, not an unknown rule")
    func configurationNote() {
        let (configuration, problems) = Configuration.parse(
            "rules:\n  transcript-command: off\n  transcript-comand: off\n", path: "kbtool.yml", root: "/tmp")
        #expect(problems.isEmpty)
        let registry = RuleRegistry([TranscriptRules.all, CommandRules.all, CheckRules.all])
        let findings = configuration.unknownRules(registry)
        #expect(findings.map(\.severity) == [.note, .warning])
        #expect(findings.first?.message.contains("`command-*` rules") == true)
        #expect(findings.first?.range.start.line == 2)
    }
}
