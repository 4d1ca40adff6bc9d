import KBDiagnostics
import KBGuide
import Testing

/// Positions must be exact in the original file, whatever surrounds a code block.
@Suite struct PositionTests {
    struct Layout: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var testDescription: String { name }
    }

    static let layouts: [Layout] = [
        Layout(name: "top level", text: "# T\n\n```json\n{\"Action\": \"s3:GetObject\"}\n```\n"),
        Layout(
            name: "after front matter",
            text: "---\ntitle: T\ntags: [a, b]\n---\n\n```json\n{\n  \"Action\": \"s3:GetObject\"\n}\n```\n"),
        Layout(
            name: "CRLF",
            text: "---\r\ntitle: T\r\n---\r\n# T\r\n\r\n```json\r\n{\r\n  \"Action\": \"s3:GetObject\"\r\n}\r\n```\r\n"),
        Layout(name: "CR only", text: "# T\r\r```json\r{\"Action\": \"s3:GetObject\"}\r```\r"),
        Layout(
            name: "byte order mark", text: "\u{FEFF}---\ntitle: T\n---\n```json\n{\"Action\": \"s3:GetObject\"}\n```\n"),
        Layout(
            name: "multibyte text before",
            text: "# Schlüssel 日本語 😀\n\n```json\n{\"Sid\": \"ключ\", \"Action\": \"s3:GetObject\"}\n```\n"),
        Layout(name: "tab indentation inside the fence", text: "```json\n{\n\t\"Action\": \"s3:GetObject\"\n}\n```\n"),
        Layout(name: "inside a bullet list", text: "- item\n\n  ```json\n  {\"Action\": \"s3:GetObject\"}\n  ```\n"),
        Layout(
            name: "inside an ordered list",
            text: "1. step\n\n   ```json\n   {\n     \"Action\": \"s3:GetObject\"\n   }\n   ```\n"),
        Layout(name: "inside a block quote", text: "> note\n>\n> ```json\n> {\"Action\": \"s3:GetObject\"}\n> ```\n"),
        Layout(
            name: "list inside a block quote",
            text: "> - item\n>   ```json\n>   {\"Action\": \"s3:GetObject\"}\n>   ```\n"),
        Layout(name: "list item indented with a tab", text: "-\t```json\n\t{\"Action\": \"s3:GetObject\"}\n\t```\n"),
        Layout(name: "indented fence", text: "   ```json\n   {\"Action\": \"s3:GetObject\"}\n   ```\n"),
        Layout(name: "tilde fence", text: "~~~json\n{\"Action\": \"s3:GetObject\"}\n~~~\n"),
        Layout(name: "blank lines at the start", text: "```json\n\n\n{\"Action\": \"s3:GetObject\"}\n```\n"),
        Layout(name: "indented code block", text: "Text:\n\n    {\"Action\": \"s3:GetObject\"}\n"),
        Layout(
            name: "multibyte inside the JSON", text: "```json\n{\"Sid\": \"日本語\", \"Action\": \"s3:GetObject\"}\n```\n"),
    ]

    @Test(arguments: layouts)
    func codeBlockOffsetsMapToTheOriginalFile(_ layout: Layout) throws {
        let guide = parse(layout.text)
        #expect(guide.diagnostics.isEmpty, "\(guide.diagnostics.map(\.message))")
        let code = try #require(guide.codeBlocks.first)
        let actual = try #require(position(of: "\"s3:GetObject\"", in: code))
        let expected = try #require(editorPosition(of: "\"s3:GetObject\"", in: layout.text))
        #expect(actual == expected)
    }

    @Test(arguments: layouts)
    func everyCodeLineStartsWhereItsTextIs(_ layout: Layout) throws {
        let guide = parse(layout.text)
        let code = try #require(guide.codeBlocks.first)
        for line in code.lines where !line.text.isEmpty && line.virtualSpaces == 0 {
            let fileLine = guide.source.line(line.line)
            let suffix = String(fileLine.unicodeScalars.dropFirst(line.column - 1))
            #expect(suffix == line.text, "line \(line.line)")
        }
    }

    @Test func headingRangesUseCharacterColumns() throws {
        let guide = parse("Intro — “quoted” text\n\n## Schlüssel\n")
        let heading = try #require(guide.headings.first)
        #expect(heading.range.start == SourcePosition(line: 3, column: 1))
        #expect(heading.range.end == SourcePosition(line: 3, column: 13))
    }

    @Test func linkTargetsArePositionedEvenForAutolinks() throws {
        let text = "Ünïcödé [a](#x) and <https://example.com> and ![i](img/d.png \"t\")\n"
        let links = parse(text).links
        #expect(links.map(\.destination) == ["#x", "https://example.com", "img/d.png"])
        #expect(links[0].range.start == editorPosition(of: "#x", in: text))
        #expect(links[1].range.start == editorPosition(of: "https://", in: text))
        #expect(links[2].range.start == editorPosition(of: "img/d.png", in: text))
        #expect(links[2].isImage)
        #expect(links[2].title == "t")
    }

    @Test func linkTargetIsFoundAfterTheTextEvenWhenTheTextRepeatsIt() throws {
        let link = try #require(parse("# Overview\n\n[#Overview](#Overview)\n").links.first)
        #expect(link.range.start == SourcePosition(line: 3, column: 13))
    }

    @Test func rawHTMLLinksAreFoundWithTheirPositions() {
        let text = "Text <a href=\"#a\">x</a>\n\n<p><a href='other.md#b'>y</a><img src=\"i.png\"></p>\n"
        let links = parse(text).links
        #expect(links.map(\.destination) == ["#a", "other.md#b", "i.png"])
        #expect(links.map(\.isImage) == [false, false, true])
        #expect(links[0].range.start == editorPosition(of: "#a", in: text))
        #expect(links[1].range.start == editorPosition(of: "other.md", in: text))
        #expect(links[2].range.start == editorPosition(of: "i.png", in: text))
    }

    @Test func aNulByteKeepsTheRestOfItsLineInPlace() throws {
        let guide = parse("```json\n[1 2 \u{0}]\n```\n")
        let code = try #require(guide.codeBlocks.first)
        #expect(code.lines.first?.column == 1)
        #expect(code.position(ofLiteralOffset: 3) == SourcePosition(line: 2, column: 4))
    }

    // Found by Fuzz/ (FuzzGuide): cmark reads NUL as three bytes, so the link's
    // span ran past the end of the file and the target search read beyond it.
    @Test func aNulByteInALinkTargetOnTheLastLineIsNoCrash() throws {
        let guide = parse("[](/gi\u{0}a)\n")
        #expect(guide.links.map(\.destination) == ["/gi\u{FFFD}a"])
        #expect(guide.links.first?.range.start.line == 1)
    }

    @Test func anIndentedBlockThatShowsAFenceIsIndentedCode() throws {
        let guide = parse("Markdown source:\n\n    ```json\n    {\"a\": 1}\n")
        let code = try #require(guide.codeBlocks.first)
        #expect(!code.isFenced)
        #expect(code.lines.map(\.line) == [3, 4])
        #expect(guide.diagnostics.isEmpty)
    }

    @Test func invalidUTF8AfterLoneCarriageReturnsIsOnTheRightLine() throws {
        var bytes = Array("# T\r\rab".utf8)
        bytes.append(0xC0)
        let guide = GuideParser.parse(path: "g.md", bytes: bytes)
        #expect(guide.diagnostics.first?.range.start == SourcePosition(line: 3, column: 3))
    }

    @Test func invalidUTF8IsReportedWhereItIsAndTheRestIsParsed() throws {
        var bytes = Array("# Title\n\nab".utf8)
        bytes.append(0xFF)
        bytes += Array("cd\n\n```json\n{}\n```\n".utf8)
        let guide = GuideParser.parse(path: "g.md", bytes: bytes)
        let diagnostic = try #require(guide.diagnostics.first)
        #expect(diagnostic.rule == .encoding)
        #expect(diagnostic.range.start == SourcePosition(line: 3, column: 3))
        #expect(guide.codeBlocks.count == 1)
    }

    @Test func deepNestingIsCutOffWithAWarning() {
        let text = String(repeating: ">", count: 5_000) + " deep\n"
        let guide = parse(text)
        #expect(guide.diagnostics.contains { $0.rule == .markdownNesting })
    }
}
