import Foundation
import KBTestSupport
import Testing

/// Adopting kbtool on docs that already have findings: `--write-baseline`, then
/// `--baseline` fails only on new ones.
@Suite struct BaselineTests {
    /// Findings of three rules: a misspelt front-matter field, an unknown
    /// action and a false fact.
    static let guide = StandaloneBinaryTests.guideWithUnknownAction

    static func repository() throws -> URL {
        try CIFormatTests().folder(["docs/a.md": guide]).url
    }

    @Test func aBaselineAcceptsTodaysFindingsEvenAfterEditsElsewhere() throws {
        let repository = try Self.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        let before = try EndToEndTests.run(["verify", "docs"], in: repository)
        #expect(before.status == 1)

        let write = try EndToEndTests.run(
            ["verify", "docs", "--write-baseline", "kbtool-baseline.txt"], in: repository)
        #expect(write.status == 0)
        #expect(write.stderr.contains("wrote 3 findings to the baseline kbtool-baseline.txt"), "\(write.stderr)")
        let baseline = try String(
            contentsOf: repository.appendingPathComponent("kbtool-baseline.txt"), encoding: .utf8)
        #expect(baseline.hasPrefix("# kbtool baseline 1\n"))
        #expect(baseline.contains("policy-unknown-action\tdocs/a.md\t"))

        let accepted = try EndToEndTests.run(["verify", "docs", "--baseline", "kbtool-baseline.txt"], in: repository)
        #expect(accepted.status == 0, "\(accepted.stdout)")
        #expect(accepted.lastLine.contains("0 errors, 0 warnings"), "\(accepted.lastLine)")
        #expect(accepted.stderr.contains("3 findings accepted by the baseline"))

        // Lines added above move every finding; the keys do not change. The
        // baseline also holds when kbtool runs from another folder.
        let moved = "Intro paragraph.\n\nAnother one.\n\n"
        let edited = Self.guide.replacingOccurrences(of: "# Reading reports\n", with: "# Reading reports\n\n" + moved)
        try Data(edited.utf8).write(to: repository.appendingPathComponent("docs/a.md"))
        let afterEdit = try EndToEndTests.run(
            ["verify", ".", "--baseline", "../kbtool-baseline.txt"], in: repository.appendingPathComponent("docs"))
        #expect(afterEdit.status == 0, "\(afterEdit.stdout)")

        // A new finding fails, and only it is reported.
        let added = edited.replacingOccurrences(
            of: "\"Action\": \"s3:GetObjekt\",", with: "\"Action\": [\"s3:GetObjekt\", \"s3:PutObjekt\"],")
        try Data(added.utf8).write(to: repository.appendingPathComponent("docs/a.md"))
        let newFinding = try EndToEndTests.run(["verify", "docs", "--baseline", "kbtool-baseline.txt"], in: repository)
        #expect(newFinding.status == 1)
        #expect(newFinding.stdout.contains("'s3:PutObjekt'"))
        #expect(!newFinding.stdout.contains("'s3:GetObjekt'"), "\(newFinding.stdout)")
    }

    @Test func anEntryThatMatchesNothingIsReportedStale() throws {
        let repository = try Self.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        _ = try EndToEndTests.run(["verify", "docs", "--write-baseline", "baseline.txt"], in: repository)
        let fixed = Self.guide.replacingOccurrences(of: "s3:GetObjekt", with: "s3:GetObject")
        try Data(fixed.utf8).write(to: repository.appendingPathComponent("docs/a.md"))
        let result = try EndToEndTests.run(["verify", "docs", "--baseline", "baseline.txt"], in: repository)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "baseline.txt:5:1: note: baseline entry matches no finding any more (policy-unknown-action in docs/a.md) [baseline-stale]"
            ), "\(result.stdout)")
    }

    @Test(arguments: [
        ("# kbtool baseline 1\npolicy-unknown-action docs/a.md 0123456789abcdef\n", 2, "separated by tabs"),
        ("# kbtool baseline 1\n\npolicy-unknown-action\tdocs/a.md\tnot-hex\n", 3, "'not-hex' is not a fingerprint"),
        ("Rule!\tdocs/a.md\t0123456789abcdef\n", 1, "'Rule!' is not a rule id"),
        ("json-syntax\tdocs/a.md\t0123456789abcdef\ttrailing\n", 1, "must be a comment"),
    ])
    func anUnparsableBaselineIsAnErrorNamingTheLine(_ text: String, _ line: Int, _ message: String) throws {
        let repository = try CIFormatTests().folder(["docs/a.md": Self.guide, "baseline.txt": text]).url
        defer { try? FileManager.default.removeItem(at: repository) }
        let result = try EndToEndTests.run(["verify", "docs", "--baseline", "baseline.txt"], in: repository)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: baseline.txt:\(line): not a baseline entry: "), "\(result.stderr)")
        #expect(result.stderr.contains(message))
        let missing = try EndToEndTests.run(["verify", "docs", "--baseline", "nope.txt"], in: repository)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read the baseline nope.txt"))
    }

    @Test func sarifIsWrittenBesideAnotherFormatAndChangedFilesPickTheirKnowledgeBase() throws {
        let repository = try CIFormatTests().folder([
            "kbtool.yml": "paths: [docs, other]\n", "docs/a.md": Self.guide, "other/b.md": "# B\n\n[x](#nope)\n",
            "README.md": "# Repo\n",
        ]).url
        defer { try? FileManager.default.removeItem(at: repository) }
        let github = try EndToEndTests.run(["verify", "--format", "github", "--sarif", "out.sarif"], in: repository)
        #expect(github.status == 1)
        #expect(github.stdout.contains("::error file=docs/a.md,"))
        #expect(github.stdout.contains("::error file=other/b.md,"))
        let sarif = try Data(contentsOf: repository.appendingPathComponent("out.sarif"))
        let document = try #require(try JSONSerialization.jsonObject(with: sarif) as? [String: Any])
        #expect(document["version"] as? String == "2.1.0")

        let onlyOther = try EndToEndTests.run(["verify", "--changed", "other/b.md", "README.md"], in: repository)
        #expect(onlyOther.status == 1)
        #expect(onlyOther.lastLine.hasPrefix("kbtool verify: 1 file,"), "\(onlyOther.stdout)")
        let none = try EndToEndTests.run(["verify", "--changed", "README.md"], in: repository)
        #expect(none.status == 0)
        #expect(none.stdout.contains("no changed file is in a knowledge base"))
        let configuration = try EndToEndTests.run(["verify", "--changed", "kbtool.yml"], in: repository)
        #expect(configuration.lastLine.hasPrefix("kbtool verify: 2 files,"), "\(configuration.stdout)")
    }
}
