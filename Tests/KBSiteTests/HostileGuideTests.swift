import Foundation
import KBChecks
import KBTestSupport
import Testing

@testable import KBSite

/// A guide written to attack its readers: everything in it must reach the page
/// as inert text.
@Suite struct HostileGuideTests {
    static let hostile = """
        ---
        title: "Hostile <script>alert('title')</script>"
        description: "\\" onload=\\"alert(1)"
        ---

        # Heading <img src=x onerror="window.__pwned=1"> here

        <script>window.__pwned = 1</script>

        Text with <span onclick="window.__pwned=1">inline html</span> and a [link](javascript:window.__pwned=1)
        and [another](JAVASCRIPT:alert(1)) and ![img](javascript:alert(1)) and <a href="javascript:alert(1)">raw</a>.

        ```json" onmouseover="window.__pwned=1
        {"Statement": "</script><script>window.__pwned=1</script>"}
        ```

        ```json title="x\\" onmouseover=\\"window.__pwned=1"
        {"a": "<img src=x onerror=alert(1)>"}
        ```

        <iframe srcdoc="<script>window.__pwned=1</script>"></iframe>

        """

    /// The article part of the page: what the guide contributed.
    static func article(_ page: String) -> String {
        guard let start = page.range(of: "<main"), let end = page.range(of: "</main>") else { return page }
        return String(page[start.lowerBound..<end.upperBound])
    }

    /// Every attribute name of every tag, read the way a browser's tokenizer does.
    static func attributeNames(_ html: String) -> Set<String> {
        let scalars = Array(html.unicodeScalars)
        var names: Set<String> = []
        var index = 0
        while index < scalars.count {
            if scalars[index] == "<", let tag = HTMLTagScanner.scan(scalars, at: index) {
                if case .start(_, let attributes, _) = tag.kind { names.formUnion(attributes.map(\.0)) }
                index = tag.end
            } else {
                index += 1
            }
        }
        return names
    }

    @Test(arguments: [false, true])
    func nothingInTheGuideRunsAScript(rawHTML: Bool) throws {
        var settings = Configuration.Site()
        settings.rawHTML = rawHTML
        let site = try SiteFixture(["hostile.md": Self.hostile], site: settings)
        defer { site.remove() }
        let page = try #require(site.files["hostile/index.html"])
        let article = Self.article(page).lowercased()
        #expect(!article.contains("<script"), "\(article)")
        #expect(!article.contains("javascript:"))
        #expect(!article.contains("<iframe"))
        #expect(Self.attributeNames(article).allSatisfy { !$0.hasPrefix("on") && $0 != "style" && $0 != "srcdoc" })
        // The JSON's `</script>` is text inside the code, escaped.
        #expect(article.contains("&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;"))
        // The title stays text in <title> and the heading.
        #expect(page.contains("<title>Hostile &lt;script&gt;"))
        #expect(!page.lowercased().contains("<script>alert('title')"))
        // The description cannot break out of its attribute.
        #expect(page.contains("content=\"&quot; onload=&quot;alert(1)\""))
        // The search index holds the same text, escaped for a script.
        let index = try #require(site.files["assets/search-index.js"])
        #expect(!index.lowercased().contains("</script"))
    }

    @Test func aRefusedLinkKeepsItsText() throws {
        let site = try SiteFixture(["hostile.md": Self.hostile])
        defer { site.remove() }
        let page = site.page("hostile/index.html")
        #expect(page.contains("<span class=\"link-refused\" title=\"link removed: unsafe target\">link</span>"))
        #expect(page.contains("<span class=\"link-refused\" title=\"link removed: unsafe target\">another</span>"))
    }

    @Test func anInfoStringStaysAnAttributeValue() throws {
        let site = try SiteFixture(["hostile.md": Self.hostile])
        defer { site.remove() }
        let page = site.page("hostile/index.html")
        // cmark unescapes the info string: the title ends at the quote, the rest is an unknown attribute.
        #expect(page.contains(#"<span class="code-title">x</span>"#))
        #expect(!page.contains("onmouseover=\"window"))
        // A fence whose language word carries a quote keeps it inside the attribute.
        #expect(page.contains(#"data-lang="json""#))
    }
}
