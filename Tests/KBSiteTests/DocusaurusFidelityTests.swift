import Foundation
import KBTestSupport
import Testing

/// What Docusaurus renders that plain CommonMark does not.
@Suite struct DocusaurusFidelityTests {
    @Test(arguments: [
        (
            "See https://docs.aws.amazon.com/kms/. Then go.",
            "See <a href=\"https://docs.aws.amazon.com/kms/\" rel=\"noopener noreferrer\">https://docs.aws.amazon.com/kms/</a>. Then go."
        ),
        (
            "(at www.example.com/a_(b))",
            "(at <a href=\"http://www.example.com/a_(b)\" rel=\"noopener noreferrer\">www.example.com/a_(b)</a>)"
        ),
        ("Not a link: xhttps://a.b or www. alone", "Not a link: xhttps://a.b or www. alone"),
        (
            "[text https://a.example](https://b.example)",
            "<a href=\"https://b.example\" rel=\"noopener noreferrer\">text https://a.example</a>"
        ),
        ("`https://in.code`", "<code>https://in.code</code>"),
    ])
    func bareURLsBecomeLinks(_ markdown: String, _ expected: String) throws {
        let site = try SiteFixture(["g.md": "# G\n\n\(markdown)\n"])
        defer { site.remove() }
        #expect(site.page("g/index.html").contains("<p>\(expected)</p>"))
    }

    @Test func imagesFromTheStaticFolderAreCopied() throws {
        let site = try SiteFixture([
            "../docusaurus.config.js": "module.exports = {};\n",
            "../static/img/logo.png": "PNG",
            "g.md": "# G\n\n![Logo](/img/logo.png) and [the file](/img/logo.png) and ![gone](/img/none.png)\n",
        ])
        defer { site.remove() }
        let page = site.page("g/index.html")
        #expect(page.contains("<img src=\"../media/static/img/logo.png\" alt=\"Logo\" loading=\"lazy\">"))
        #expect(page.contains("<a href=\"../media/static/img/logo.png\">the file</a>"))
        #expect(site.files["media/static/img/logo.png"] == "PNG")
        #expect(!page.contains("none.png\""))
    }
}
