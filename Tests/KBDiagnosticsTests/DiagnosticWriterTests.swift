import Foundation
import KBDiagnostics
import Testing

@Suite struct DiagnosticWriterTests {
    static let text = """
        [
          "s3:GetObject"
          "s3:PutObject"
        ]
        """
    static let source = SourceText(path: "content/guide.md", text: text)

    static func missingComma() -> Diagnostic {
        Diagnostic(
            .error, RuleID("json-syntax"), "expected ',' between array elements",
            at: SourceRange(
                file: "content/guide.md", start: .init(line: 3, column: 3), end: .init(line: 3, column: 17)),
            related: [
                RelatedLocation(
                    range: SourceRange(
                        file: "content/guide.md", start: .init(line: 2, column: 3), end: .init(line: 2, column: 17)),
                    message: "previous element ends here")
            ],
            fix: FixIt(
                range: SourceRange(file: "content/guide.md", at: .init(line: 2, column: 17)), replacement: ",",
                message: "insert ','"),
            notes: ["kbtool assumed a ',' and kept checking"])
    }

    @Test func humanOutputLooksLikeACompilerDiagnostic() {
        let output = HumanDiagnosticWriter(sources: ["content/guide.md": Self.source], colors: false)
            .render(Self.missingComma())
        let expected = """
            content/guide.md:3:3: error: expected ',' between array elements [json-syntax]
              |
            3 |   "s3:PutObject"
              |   ^^^^^^^^^^^^^^
            content/guide.md:2:3: note: previous element ends here
              |
            2 |   "s3:GetObject"
              |   --------------
              = help: kbtool assumed a ',' and kept checking
              = fix: insert ','
              |
            2 |   "s3:GetObject",
              |                 +


            """
        #expect(output == expected)
    }

    @Test func coloursOnlyWhenAsked() {
        let plain = HumanDiagnosticWriter(sources: [:], colors: false).render(Self.missingComma())
        let coloured = HumanDiagnosticWriter(sources: [:], colors: true).render(Self.missingComma())
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[1;31merror:"))
    }

    @Test func caretLinesUpAfterTabsAndWideCharacters() {
        let source = SourceText(path: "f.md", text: "\t日本 \"x\"\n")
        let diagnostic = Diagnostic(
            .warning, RuleID("r"), "m",
            at: SourceRange(file: "f.md", start: .init(line: 1, column: 5), end: .init(line: 1, column: 8)))
        let lines = HumanDiagnosticWriter(sources: ["f.md": source], colors: false).render(diagnostic)
            .split(separator: "\n", omittingEmptySubsequences: false)
        // Tab expands to 4 columns, each CJK character takes 2, then one space.
        #expect(lines[2] == "1 |     日本 \"x\"")
        #expect(lines[3] == "  |          ^^^")
    }

    @Test func jsonOutputHasTheDocumentedShape() throws {
        let summary = DiagnosticSummary(files: 1, diagnostics: [Self.missingComma()], passed: 2, failed: 1)
        let output = JSONDiagnosticWriter().render([Self.missingComma()], summary: summary)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(document["version"] as? Int == 1)
        let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
        let first = try #require(diagnostics.first)
        #expect(first["file"] as? String == "content/guide.md")
        #expect(first["line"] as? Int == 3)
        #expect(first["column"] as? Int == 3)
        #expect(first["endLine"] as? Int == 3)
        #expect(first["endColumn"] as? Int == 17)
        #expect(first["severity"] as? String == "error")
        #expect(first["rule"] as? String == "json-syntax")
        let related = try #require((first["related"] as? [[String: Any]])?.first)
        #expect(related["line"] as? Int == 2)
        #expect(related["message"] as? String == "previous element ends here")
        let fix = try #require(first["fix"] as? [String: Any])
        #expect(fix["line"] as? Int == 2)
        #expect(fix["column"] as? Int == 17)
        #expect(fix["endColumn"] as? Int == 17)
        #expect(fix["replacement"] as? String == ",")
        let counts = try #require(document["summary"] as? [String: Any])
        #expect(counts["files"] as? Int == 1)
        #expect(counts["errors"] as? Int == 1)
        #expect(counts["warnings"] as? Int == 0)
        #expect(counts["notes"] as? Int == 0)
        #expect(counts["failed"] as? Int == 1)
    }

    @Test func outputIsSortedByFileAndPosition() {
        func at(_ file: String, _ line: Int) -> Diagnostic {
            Diagnostic(
                .note, RuleID("r"), "\(file):\(line)", at: SourceRange(file: file, at: .init(line: line, column: 1)))
        }
        let sorted = Diagnostic.sortedForOutput([at("b.md", 1), at("a.md", 9), at("a.md", 2)])
        #expect(sorted.map(\.message) == ["a.md:2", "a.md:9", "b.md:1"])
    }
}
