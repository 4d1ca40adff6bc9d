import Foundation
import KBBlocks
import KBChecks
import KBCommandCheck
import KBDiagnostics
import KBGuide
import KBTestSupport
import Testing

/// One defect repeated through a block is one finding, with the count and one
/// fix for all; sample data in a bare fence is warned about, text to paste is an error.
@Suite struct JSONGroupingTests {
    static func findings(_ text: String) throws -> [Diagnostic] {
        let parsed = GuideParser.parse(path: "guide.md", bytes: Array(text.utf8))
        let classified = BlockClassifier.classify(parsed)
        let block = try #require(classified.blocks.first)
        return JSONBlockCheck.diagnostics(of: block, in: parsed.source)
    }

    @Test("no-break spaces on every line: one error, the count, one fix that replaces them all")
    func noBreakSpaces() throws {
        let nbsp = "\u{00A0}\u{00A0}"
        let text = "```json\n{\n\(nbsp)\"a\": 1,\n\(nbsp)\"b\": 2,\n\(nbsp)\"c\": 3\n}\n```\n"
        let found = try Self.findings(text)
        #expect(found.count == 1)
        let finding = try #require(found.first)
        #expect(finding.severity == .error)
        #expect(finding.message.hasSuffix("(and 5 more like it in this block)"))
        #expect(finding.related.map(\.range.start.line) == [4, 5])
        let fix = try #require(finding.fix)
        #expect(fix.range.start.line == 3 && fix.range.end.line == 5)
        #expect(!fix.replacement.contains("\u{00A0}"))
        #expect(fix.replacement.hasPrefix("  \"a\": 1,"))
    }

    @Test("comments after members of sample data in a bare fence: one warning, not one error per line")
    func commentsInSampleData() throws {
        let text = "```\n{\n  \"Id\": \"x\", // the id\n  \"On\": true // switch\n}\n```\n"
        let found = try Self.findings(text)
        #expect(found.map(\.severity) == [.warning])
        #expect(found.first?.message.contains("(and 1 more like it in this block)") == true)
        #expect(found.first?.notes.last?.contains("tag the fence `json`") == true)
    }

    @Test("a bare fence is an error when it reads as a policy or the text asks readers to save it")
    func pastedTextIsAnError() throws {
        let policy =
            "```\n{\"Statement\": [{\"Effect\": \"Allow\" \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}\n```\n"
        #expect(try Self.findings(policy).map(\.severity) == [.error])
        let saved =
            "Save the following JSON in a file named `replication.json`:\n\n```\n{\"Status\": \"Enabled\", \"Status\": \"Disabled\"}\n```\n"
        #expect(try Self.findings(saved).map(\.severity) == [.error])
        let sample = "A response:\n\n```\n{\"Status\": \"Enabled\", \"Status\": \"Disabled\"}\n```\n"
        #expect(try Self.findings(sample).map(\.severity) == [.warning])
    }

    @Test("log lines, INI profiles and illustrations have no JSON findings at all")
    func notJSON() throws {
        #expect(try Self.findings("```\n[default]\nregion = us-east-1\n```\n").isEmpty)
        #expect(try Self.findings("```\n[06/Feb/2019:00:00:38 +0000] GET /x 200\n```\n").isEmpty)
        #expect(try Self.findings("```\n{\"Protocol\": \"http\"|\"https\"}\n```\n").isEmpty)
    }
}

/// The same mistake in each command of a block is one finding too, failing
/// every command that has it; a different mistake, or another block, is not merged.
@Suite struct CommandGroupingTests {
    static let guide = """
        # Aliases in three Regions

        ```
        aws --region us-west-2 kms create-alias \\
            --alias-name alias/example-app \\
            --key-id 1234abcd-12ab-34cd-56ef-1234567890ab

        aws --region eu-west-1 kms create-alias \\
            --alias-name alias/example-app \\
            --key-id 1234abcd-12ab-34cd-56ef-1234567890ab

        aws --region ap-south-1 kms create-alias --alias-name alias/example-app --target-key-id 1234abcd-12ab-34cd-56ef-1234567890ab
        ```

        Another block:

        ```
        aws kms create-alias --alias-name alias/example-app --key-id 1234abcd-12ab-34cd-56ef-1234567890ab
        ```
        """

    @Test("one finding with the count, one fix for all, counted against both commands")
    func sameMistake() throws {
        let folder = try TemporaryFolder("kbtool-command-grouping", files: ["g.md": Self.guide])
        defer { folder.remove() }
        let report = try Verifier().verify(try InputCollector.collect([folder.path]))
        let result = try #require(report.guides.first)
        let findings = result.findings.filter { $0.diagnostic.rule == Rule.commandOption.id }
        #expect(findings.count == 2)
        let grouped = try #require(findings.first)
        #expect(grouped.diagnostic.message.hasSuffix("(and 1 more like it in this block)"))
        #expect(grouped.diagnostic.related.map(\.range.start.line) == [10])
        #expect(grouped.items.count == 2)
        let fix = try #require(grouped.diagnostic.fix)
        #expect(fix.message.hasSuffix("(all 2)"))
        #expect(fix.replacement.components(separatedBy: "--target-key-id").count == 3)
        // The other block's mistake is its own finding.
        #expect(findings.last?.diagnostic.message.contains("more like it") == false)
        // Items: the three commands of the first block (two fail) and the second block's one.
        let failed = Set(result.findings.flatMap(\.items))
        let commands = result.items.indices.filter { result.items[$0].kind == .command }
        #expect(commands.map(failed.contains) == [true, true, false, true])
    }
}
