import Foundation
import KBTestSupport
import Testing

/// MDX as Docusaurus renders it: tabs, details, components and module lines.
@Suite struct MDXRenderingTests {
    static let guide = """
        ---
        title: Portal
        ---

        import Tabs from '@theme/Tabs';
        import TabItem from '@theme/TabItem';
        import Screenshot from '@site/src/components/Screenshot';

        # Signing in

        <Tabs
          defaultValue="sso"
          values={[
            { label: 'Password', value: 'password' },
            { label: 'Single sign-on', value: 'sso' },
          ]}>
          <TabItem value="password">

        Type your **password**.

          </TabItem>
          <TabItem value="sso">

        Use your identity provider.

          </TabItem>
        </Tabs>

        <Screenshot url="https://example.com/x.png" />

        <details>
        <summary>Why *two* ways?</summary>

        Because teams differ.

        </details>

        Text with a <Highlight color="red">highlighted</Highlight> word.
        """

    @Test func tabsDetailsAndComponentsRenderAsTheAuthorsMeant() throws {
        let site = try SiteFixture(["portal.mdx": Self.guide])
        defer { site.remove() }
        let page = site.page("portal/index.html")
        // No MDX source is printed.
        for raw in [
            "import ", "<Tabs", "TabItem", "values={", "<Screenshot", "Highlight color", "&lt;Tabs", "&lt;details",
        ] {
            #expect(!page.contains(raw), "\(raw)")
        }
        // Each unknown component is named once, by verify's note at its first use.
        #expect(page.components(separatedBy: "MDX component &lt;Highlight&gt; is not rendered").count == 2)
        #expect(page.components(separatedBy: "MDX component &lt;Screenshot&gt; is not rendered").count == 2)
        // The title once: the guide's own heading.
        #expect(page.components(separatedBy: "<h1").count == 2)
        #expect(page.contains(">Signing in</h1>"))
        // Tabs: labelled sections, labels from the values, the default kept for the script.
        let tabs = try #require(GoldenTests.fragment(page, from: "<div class=\"tabs\"", to: "</div>"))
        #expect(tabs.hasPrefix("<div class=\"tabs\" data-default=\"sso\">"))
        #expect(
            tabs.contains(
                "<section class=\"tab-panel\" data-value=\"password\"><p class=\"tab-label\">Password</p>\n<p>Type your <strong>password</strong>.</p>"
            ))
        #expect(tabs.contains("<p class=\"tab-label\">Single sign-on</p>\n<p>Use your identity provider.</p>"))
        #expect(tabs.components(separatedBy: "</section>").count == 3)
        // details/summary, with the summary's markdown.
        #expect(
            page.contains(
                "<details class=\"details\">\n<summary>Why <em>two</em> ways?</summary>\n<p>Because teams differ.</p>\n</details>"
            ))
        // An unknown inline component keeps its text.
        #expect(page.contains("highlighted"))
    }

    @Test func unclosedElementsCloseAtTheEndOfTheArticle() throws {
        let site = try SiteFixture([
            "g.mdx":
                "import Tabs from '@theme/Tabs';\n\n# G\n\n<Tabs>\n<TabItem value=\"a\">\n\nText.\n\n</Tabs>\n\n</TabItem>\n\n<details>\n\nOpen.\n"
        ])
        defer { site.remove() }
        let article = try #require(GoldenTests.fragment(site.page("g/index.html"), from: "<article", to: "</article>"))
        for tag in ["div", "section", "details"] {
            #expect(
                article.components(separatedBy: "<\(tag)").count == article.components(separatedBy: "</\(tag)>").count,
                "\(tag)")
        }
    }
}
