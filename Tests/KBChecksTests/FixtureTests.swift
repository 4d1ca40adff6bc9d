import Foundation
import KBAnalysis
import KBChecks
import KBDiagnostics
import KBTestSupport
import Testing

/// Each folder under `Fixtures/` is verified as a whole; its findings must match
/// `Fixtures/NAME.expected`, one `path:line:col: severity: message [rule]` per line.
/// Re-record after an intended change with `KBTOOL_RECORD=1 swift test`, then
/// read the diff.
@Suite struct FixtureTests {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    static var cases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
        return names.filter { !$0.hasSuffix(".expected") && !$0.hasPrefix(".") }.sorted()
    }

    static func verify(_ name: String) throws -> VerificationReport {
        let files = try InputCollector.collect([name], workingDirectory: fixtures.path)
        return try Verifier().verify(files)
    }

    static func headline(_ diagnostic: Diagnostic) -> String {
        let range = diagnostic.range
        return "\(range.file):\(range.start.line):\(range.start.column): \(diagnostic.severity.rawValue): "
            + "\(diagnostic.message) [\(diagnostic.rule)]"
    }

    @Test(arguments: cases)
    func findingsMatchTheExpectedFile(_ name: String) throws {
        let report = try Self.verify(name)
        let actual = Diagnostic.sortedForOutput(report.diagnostics).map(Self.headline).joined(separator: "\n")
        let expectedURL = Self.fixtures.appendingPathComponent(name + ".expected")
        if ProcessInfo.processInfo.environment["KBTOOL_RECORD"] == "1" {
            // Record into the source tree, not the copied bundle.
            let sourceURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Fixtures/\(name).expected")
            try (actual + "\n").write(to: sourceURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(actual + "\n" == expected)
    }

    @Test func theMissingCommaIsReportedExactlyAndTheRestOfTheFileStillChecked() throws {
        let report = try Self.verify("missing-comma")
        let comma = try #require(report.diagnostics.first { $0.message == "expected ',' between array elements" })
        #expect(comma.range.start == SourcePosition(line: 19, column: 9))
        #expect(comma.range.end == SourcePosition(line: 19, column: 23))
        #expect(comma.fix?.range.start == SourcePosition(line: 18, column: 23))
        #expect(comma.fix?.replacement == ",")
        #expect(comma.related.first?.range.start == SourcePosition(line: 18, column: 9))
        #expect(
            Set(report.diagnostics.filter { $0.severity != .note }.map(\.rule))
                == Set([Rule.jsonSyntax, .jsonDuplicateKey, .frontMatterType, .linkBrokenAnchor].map(\.id)))
        #expect(report.hasErrors)
    }

    @Test func passedAndFailedCountBlocksAndGuides() throws {
        let report = try Self.verify("missing-comma")
        // Two JSON blocks (both fail) and the guide's own prose (fails on front matter and the link).
        #expect(report.items.count == 3)
        #expect(report.summary.passed == 0)
        #expect(report.summary.failed == 3)
        let clean = try Self.verify("clean")
        #expect(clean.summary.failed == 0)
        // The guide's prose, its JSON blocks, its cross-account flow, and its
        // facts (checked against kbtool's built-in claims).
        let facts = clean.items.filter { $0.kind == .fact }.count
        #expect(clean.summary.passed == 2 + clean.items.filter { $0.kind == .jsonBlock }.count + facts)
        #expect(clean.items.filter { $0.kind == .jsonBlock }.count == 5)
        #expect(facts == 5)
    }

    @Test func sameNamedGuidesInDifferentFoldersDoNotClash() throws {
        let root = Self.fixtures.path
        let files = try InputCollector.collect(
            ["links/guide-a.md", "links/sub/guide-b.md", "duplicates/a.md", "duplicates/nested/shared.md"],
            workingDirectory: root)
        let report = try Verifier().verify(files)
        #expect(!report.diagnostics.contains { $0.rule == .frontMatterDuplicateID })
        let twoRoots = try Verifier().verify(try InputCollector.collect(["links", "clean"], workingDirectory: root))
        #expect(!twoRoots.diagnostics.contains { $0.rule == .frontMatterDuplicateSlug })
    }

    @Test func linksToTheTopOfThePageAreFine() throws {
        let directory = try TemporaryFolder("kbtool-top", files: ["g.md": "# T\n\n[top](#) [also top](#top)\n"])
        defer { directory.remove() }
        let report = try Verifier().verify(try InputCollector.collect([directory.path]))
        #expect(report.diagnostics.isEmpty)
    }

    @Test func theShippedContentVerifiesClean() throws {
        let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../content").standardizedFileURL
        let files = try InputCollector.collect([content.path])
        let report = try Verifier().verify(files)
        // No false alarms: notes only (the flows that work, steps a guide leaves out).
        #expect(report.diagnostics.allSatisfy { $0.severity == .note }, "\(report.diagnostics.map(Self.headline))")
        #expect(report.items.allSatisfy { $0.passed })
        let flows = report.guides.compactMap { $0.analysis?.flow }
        #expect(flows.count >= 2)
        #expect(flows.allSatisfy { $0.works })
    }
}
