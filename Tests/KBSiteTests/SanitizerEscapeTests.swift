import Foundation
import KBPageOracle
import Testing

@testable import KBSite

/// One test per escape the page oracle found (PageOracleTests, FuzzPage): the
/// markup as the page now holds it, and the oracle's verdict on the page.
@Suite struct SanitizerEscapeTests {
    static let site = PageOracleTests.site

    func clean(_ html: String) -> String {
        var sanitizer = HTMLSanitizer()
        return sanitizer.sanitize(html) + sanitizer.finish()
    }

    /// The guide's article: between the theme's `<article class="doc">` and its end.
    func article(_ markdown: String) -> String {
        let page = Self.site.pages(Array(markdown.utf8)).guidePage ?? ""
        guard let start = page.range(of: "<article class=\"doc\">"),
            let end = page.range(of: "</article>", options: .backwards)
        else { return "" }
        return String(page[start.upperBound..<end.lowerBound])
    }

    func expectSafe(_ markdown: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let found = Self.site.violations(markdown)
        #expect(found.isEmpty, "\(found)", sourceLocation: sourceLocation)
    }

    /// `<div/>` is an open `<div>` to a browser: it was written as one and never
    /// closed, so the rest of the article sat inside it.
    @Test func aSelfClosedElementIsClosedAtOnce() {
        #expect(clean("<div/>after") == "<div></div>after")
        #expect(clean("<span class=x />t") == "<span class=\"x\"></span>t")
        #expect(clean("<br/>") == "<br>")
        #expect(article("<div/>\n\ntext").contains("<div></div>"))
        expectSafe("<div/>\n\ntext")
        expectSafe("a <span/> b")
    }

    /// `role="main"` on a guide's `<div>` made a second main landmark.
    @Test func landmarkRolesAreDropped() {
        #expect(clean("<div role=\"main\">x</div>") == "<div>x</div>")
        #expect(clean("<div role=\"presentation navigation\">x</div>") == "<div>x</div>")
        #expect(
            clean("<span role=\"img\" aria-label=\"ok\">✓</span>") == "<span role=\"img\" aria-label=\"ok\">✓</span>")
        expectSafe("<div role=\"contentinfo\">x</div>")
    }

    /// The theme's `#sidebar` was not reserved, and headings took the frame's ids
    /// (`## Content` became a second `#content`).
    @Test func theFramesIdsAreReservedForHeadingsToo() {
        #expect(clean("<div id=\"sidebar\">x</div>") == "<div id=\"user-content-sidebar\">x</div>")
        #expect(article("## Content\n\nx").contains("<h2 id=\"user-content-content\">"))
        #expect(article("## Sidebar\n\nx").contains("<h2 id=\"user-content-sidebar\">"))
        #expect(article("## Mine {#search-results}\n\nx").contains("<h2 id=\"user-content-search-results\">"))
        #expect(article("# Top\n\nx").contains("<h1 id=\"user-content-top\">"))
        #expect(article("## Ordinary\n\nx").contains("<h2 id=\"ordinary\">"))
        expectSafe("## Sidebar\n\n## Content\n\n<a name=\"sidebar\">x</a>")
    }

    /// Raw HTML a paragraph or heading left open stayed open past its `</p>`.
    @Test func inlineMarkupClosesWithItsParagraph() {
        #expect(article("x <kbd>\n\n# y").contains("<p>x <kbd></kbd></p>"))
        #expect(article("# <em>title\n\ntext").contains("<h1 id=\"title\"><em>title</em></h1>"))
        expectSafe("x <kbd>\n\n# y")
        expectSafe("| a <b> | b |\n|---|---|\n| <i> | c |")
    }

    /// An admonition's `</aside>` came while a `<div>` the guide opened inside it
    /// was still open; the `</div>` written later then closed the theme's layout `<div>`.
    @Test func anAdmonitionClosesWhatWasOpenedInsideIt() {
        let html = article(":::note\n\n<div>\n\n:::\n\n</div>\n\nafter")
        #expect(html.contains("<div>\n\n</div></aside>"), "\(html)")
        #expect(!html.contains("</aside>\n</div>"), "\(html)")
        expectSafe(":::note\n<div>\n:::\n\n</div>\n\nafter")
        expectSafe(":::tip\n\n<section><div>\n\n:::\n\n</div>")
    }

    /// An MDX `</details>` closed while an admonition opened inside it was open.
    @Test func anMDXElementClosesWhatWasOpenedInsideIt() {
        let html = article("<details>\n\n:::tip\n\n</details>\n\n:::")
        #expect(html.contains("</aside></details>"), "\(html)")
        expectSafe("<details>\n\n:::tip\n\n</details>\n\n:::")
        expectSafe("<Tabs>\n<TabItem value=\"a\">\n\n<div>\n\n</TabItem>\n</Tabs>\n\n</div>")
    }

    /// A guide's end tag cannot close the renderer's own elements.
    @Test func aGuidesEndTagCannotCloseAnAdmonition() {
        let html = article(":::note\n\n</aside>\n\ninside\n\n:::")
        #expect(html.contains("<p>inside</p>\n</aside>"), "\(html)")
        expectSafe(":::note\n\n</aside></section></details>\n\ninside\n\n:::")
    }
}

extension SanitizerEscapeTests {
    /// FuzzPage: an end tag in a paragraph closed a raw `<a>` or `<details>`
    /// opened before it, from inside the renderer's `<p>`; one in a quote closed
    /// what was opened outside the quote.
    @Test func endTagsCloseOnlyWhatTheirParagraphOrContainerOpened() {
        #expect(article("<details>\n\ntext </details> more\n\n</details>").contains("<p>text  more</p>"))
        expectSafe("<a href=\"x\">\n\nin <b>a</a> paragraph\n\n</a>")
        expectSafe("<details>\n\nx</details>\n\n<div>\n\n> </div>\n\n</div>")
        expectSafe("<div>\n\n- a </div>\n- </div>\n\n</div>")
        var sanitizer = HTMLSanitizer()
        var html = sanitizer.sanitize("<div>")
        sanitizer.floor = sanitizer.depth
        html += sanitizer.sanitize("</div>inner")
        sanitizer.floor = 0
        html += sanitizer.sanitize("</div>")
        #expect(html == "<div>inner</div>")
    }
}

extension SanitizerEscapeTests {
    /// FuzzPage: raw HTML opened inside emphasis or a link stayed open past its
    /// `</em>`; and inside a dropped `<script>`, the renderer's own `</em>` and
    /// `</strong>` were dropped with the script's text.
    @Test func emphasisAndLinksCloseWhatWasOpenedInsideThem() {
        #expect(article("*a <b>b* c</b>").contains("<p><em>a <b>b</b></em> c</p>"))
        #expect(article("<b>x *y</b> z*").contains("<p><b>x <em>y z</em></b></p>"))
        #expect(article("[a <i>b](https://example.com) c").contains("<i>b</i></a> c</p>"))
        #expect(article("## *a <script>x* y").contains("<em>a </em>"))
        expectSafe("*a <b>b* c</b>")
        expectSafe("**a <script>x** y\n\n## *h <script>z*\n\n__b <style>x__")
        expectSafe("[a <i>b](javascript:x) [c <em>d](missing.md)")
    }
}
