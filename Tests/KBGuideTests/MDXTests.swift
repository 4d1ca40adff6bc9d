import Foundation
import KBDiagnostics
import KBGuide
import Testing

@Suite struct MDXTests {
    static let tabs = """
        ---
        title: Portal
        ---

        import Tabs from '@theme/Tabs';
        import TabItem from '@theme/TabItem';
        import NeedHelp from '@site/docs/\\_need-help.mdx';

        Intro with a <Highlight color="red">word</Highlight> inside.

        <Tabs
        defaultValue="login"
        values={[
        { label: 'Login', value: 'login' },
        { label: 'App List', value: 'list' },
        ]}
        >
          <TabItem value="login">
        Sign **in** here.
          </TabItem>
          <TabItem value="list">

            ```json
            {"a": 1}
            ```

          </TabItem>
        </Tabs>

        <NeedHelp />
        """

    @Test func moduleLinesAndTagsAreReadAndHiddenFromMarkdown() throws {
        let guide = parse(Self.tabs)
        #expect(guide.mdx.isMDX)
        #expect(guide.mdx.imports.map(\.names) == [["Tabs"], ["TabItem"], ["NeedHelp"]])
        #expect(guide.mdx.importSource(of: "NeedHelp") == "@site/docs/_need-help.mdx")
        #expect(
            guide.mdx.tags.map { "\($0.kind) \($0.name) \($0.range.start.line)" } == [
                "open Highlight 9", "close Highlight 9", "open Tabs 11", "open TabItem 18", "close TabItem 20",
                "open TabItem 21", "close TabItem 27", "close Tabs 28", "selfClosing NeedHelp 30",
            ])
        #expect(guide.mdx.tags.map(\.isBlock) == [false, false, true, true, true, true, true, true, true])
        let tabs = try #require(guide.mdx.tags.first { $0.name == "Tabs" })
        #expect(tabs.attribute("defaultValue")?.text == "login")
        if case .expression(let code)? = tabs.attribute("values")?.value {
            #expect(code.contains("{ label: 'App List', value: 'list' }"))
        } else {
            Issue.record("values should be an expression")
        }
        // No import line, tag or attribute is left as text; the markdown between tags is.
        // An inline tag leaves spaces (columns keep their place); HTML collapses them.
        let text = guide.paragraphs.map { $0.text.split(separator: " ").joined(separator: " ") }
        #expect(text == ["Intro with a word inside.", "Sign in here."])
        // The fence indented inside the TabItem is a fenced JSON block again, at its lines.
        let code = try #require(guide.codeBlocks.first)
        #expect(code.isFenced && code.language == "json" && code.literal == "{\"a\": 1}\n")
        #expect(code.lines.first?.line == 24 && code.lines.first?.column == 5)
        #expect(guide.mdx.components.map(\.name) == ["Highlight", "Tabs", "TabItem", "NeedHelp"])
    }

    @Test(arguments: [
        // Capitals that are placeholders, not components.
        ("import X from './x.mdx'\n\nUse <ACCOUNT_ID> and <EOF> here.\n", 0),
        // A plain markdown file has no components.
        ("Text <Tabs> here\n", 0),
        // Tags in code spans and code blocks are code.
        ("import X from './x'\n\nWrite `<Tabs>` and\n\n```\n<Tabs>\n```\n", 0),
        // An HTML comment's text is not markup.
        ("import X from './x'\n\n<!-- <Tabs> -->\n", 0),
        // An unfinished tag is text.
        ("import X from './x'\n\n<Tabs values={[\n", 0),
        // A one-line summary is one tag holding its text.
        ("<details>\n<summary>More</summary>\n\nHidden text.\n\n</details>\n", 3),
        ("    <details>\n", 0),
    ])
    func onlyRealTagsAreRead(_ text: String, _ count: Int) {
        #expect(parse(text).mdx.tags.count == count)
    }

    @Test func detailsInAPlainGuideKeepTheirMarkdown() {
        let guide = parse("<details><summary>Why *this*?</summary>\nBecause **that**.\n</details>\n")
        #expect(!guide.mdx.isMDX)
        #expect(guide.mdx.tags.map(\.name) == ["details", "summary", "details"])
        #expect(guide.mdx.tags[1].attribute("text")?.text == "Why *this*?")
        // The summary's text is not left to run into the paragraph, nor read as indented code.
        #expect(guide.paragraphs.map(\.text) == ["Because that."])
        #expect(guide.codeBlocks.isEmpty)
        #expect(guide.blocks.allSatisfy { if case .html = $0 { false } else { true } })
    }

    @Test func textAfterALeadingTagIsNotIndentedCode() {
        let guide = parse(
            "import X from './x'\n\n<TabItem value=\"a\" label=\"A long label\">Some **text**.</TabItem>\n")
        #expect(guide.codeBlocks.isEmpty)
        #expect(guide.paragraphs.map { $0.text.trimmingCharacters(in: .whitespaces) } == ["Some text."])
    }

    @Test func mdxExtensionAloneMakesAGuideMDX() {
        #expect(parse("Hello <Badge />\n", path: "x.mdx").mdx.tags.map(\.name) == ["Badge"])
        #expect(parse("Hello <Badge />\n", path: "x.md").mdx.tags.isEmpty)
    }
}
