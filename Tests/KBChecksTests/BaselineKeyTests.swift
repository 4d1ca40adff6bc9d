import KBDiagnostics
import Testing

@testable import KBChecks

/// How a baseline keys a finding: by rule, file and the text it points at.
@Suite struct BaselineKeyTests {
    static func key(_ text: String, _ start: (Int, Int), _ end: (Int, Int), rule: String = "json-syntax")
        -> Baseline.Key
    {
        let source = SourceText(path: "docs/a.md", text: text)
        let diagnostic = Diagnostic(
            .error, RuleID(rule), "message",
            at: SourceRange(
                file: "docs/a.md", start: .init(line: start.0, column: start.1), end: .init(line: end.0, column: end.1))
        )
        return Baseline.key(
            of: diagnostic, sources: ["docs/a.md": source], folder: "/repo", workingDirectory: "/repo")
    }

    @Test func theKeyFollowsTheTextNotTheLineNorItsIndentation() {
        let original = Self.key("a\n  \"Action\": \"s3:GetObjekt\"\n", (2, 13), (2, 27))
        let moved = Self.key("new\nlines\na\n      \"Action\":   \"s3:GetObjekt\"\n", (4, 19), (4, 33))
        #expect(original == moved)
        #expect(original.file == "docs/a.md" && original.rule == "json-syntax" && original.fingerprint.count == 16)
        #expect(original != Self.key("a\n  \"Action\": \"s3:PutObjekt\"\n", (2, 13), (2, 27)))
        #expect(original != Self.key("a\n  \"Action\": \"s3:GetObjekt\"\n", (2, 13), (2, 27), rule: "other-rule"))
    }

    @Test func aFindingBetweenCharactersIsKeyedByItsWholeLine() {
        let point = Self.key("x\n  \"a\": 1\n  \"b\": 2\n", (2, 11), (2, 11))
        #expect(point == Self.key("y\nz\n\"a\": 1\n", (3, 8), (3, 8)))
        #expect(point != Self.key("x\n  \"a\": 2\n", (2, 11), (2, 11)))
    }

    @Test(arguments: [
        ("/repo/docs/a.md", "/repo", "docs/a.md"), ("/repo/docs/a.md", "/repo/ci", "../docs/a.md"),
        ("/other/a.md", "/repo/ci", "../../other/a.md"), ("/repo/a.md", "/repo", "a.md"),
    ])
    func pathsAreRelativeToTheBaselinesFolder(_ path: String, _ folder: String, _ relative: String) {
        #expect(Baseline.relative(path, to: folder) == relative)
    }
}
