import Foundation
import KBChecks
import KBTestSupport
import Testing

@testable import KBSite

/// Regressions from the review of the first site build, one test per finding.
@Suite struct SiteRegressionTests {
    @Test func activeFilesAreNeverCopiedAndSVGImagesBecomeInertData() throws {
        let site = try SiteFixture([
            "g.md": "# G\n\nSee [diagram](diagram.html), [data](data.json) and ![arch](arch.svg).\n",
            "diagram.html": "<script>document.title='PWNED'</script>",
            "data.json": "{}",
            "arch.svg": "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><script>alert(1)</script></svg>",
        ])
        defer { site.remove() }
        #expect(site.files.keys.allSatisfy { !$0.hasSuffix(".html") || !$0.hasPrefix("media/") })
        #expect(site.files["media/content/data.json"] != nil)
        #expect(site.files["media/content/arch.svg"] == nil)
        let page = site.page("g/index.html")
        #expect(page.contains("<span class=\"link-broken\""))
        #expect(page.contains("src=\"data:image/svg+xml;base64,"))
    }

    @Test func aSymbolicLinkOutOfTheContentIsNotFollowed() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("kbsecret-\(UUID().uuidString).txt")
        try Data("AWS_SECRET=xyz".utf8).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        var site = try SiteFixture(["g.md": "# G\n\n[config](config.txt)\n"])
        defer { site.remove() }
        let link = site.folder.appendingPathComponent("content/config.txt")
        // A relative link target, the kind Foundation fails to resolve on Linux.
        let relative =
            String(repeating: "../", count: site.folder.appendingPathComponent("content").pathComponents.count - 1)
            + outside.path.dropFirst()
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: relative)
        site = try SiteFixture(rebuilding: site)
        #expect(!site.files.values.contains { $0.contains("AWS_SECRET") })
    }

    @Test func rawHTMLLeftOpenInAQuoteClosesInsideIt() throws {
        var settings = Configuration.Site()
        settings.rawHTML = true
        let site = try SiteFixture(
            ["g.md": "# G\n\n> <div class=\"note\">\n> quoted\n\nAfter the quote, <script>alert(7)</script> inline.\n"],
            site: settings)
        defer { site.remove() }
        let page = site.page("g/index.html")
        let quote = try #require(GoldenTests.fragment(page, from: "<blockquote>", to: "</blockquote>"))
        #expect(quote.contains("</div>"))
        #expect(!page.contains("alert(7)"))
    }

    @Test(arguments: ["/404.html", "/index.html", "/.kbtool-site", "/assets/x", "/media"])
    func reservedRoutesAreRefusedAtTheirLine(slug: String) throws {
        let site = try SiteFixture(["evil.md": "---\ntitle: E\nslug: \(slug)\n---\n\nText.\n", "ok.md": "# OK\n"])
        defer { site.remove() }
        #expect(site.diagnostics.contains { $0.hasPrefix("3: site-path: ") })
        #expect(site.files["evil/index.html"] != nil)
        #expect(site.files["ok/index.html"] != nil)
    }

    @Test func oddCharactersInSlugsArePercentEncodedInLinks() throws {
        let site = try SiteFixture([
            "a.md": "---\ntitle: A\nslug: /c#sharp\n---\n\nA.\n", "b.md": "---\ntitle: B\nslug: /100%\n---\n\nB.\n",
        ])
        defer { site.remove() }
        #expect(site.files["c#sharp/index.html"] != nil)
        let index = site.page("index.html")
        #expect(index.contains("href=\"c%23sharp/index.html\""))
        #expect(index.contains("href=\"100%25/index.html\""))
    }

    @Test func linksTheCheckerAcceptsStayLinks() throws {
        let site = try SiteFixture([
            "top.md": "# Top\n\n[other](other) and [sub](sub/) and [fact demo](sub/nested.md#n).\n",
            "other.md": "# Other\n",
            "sub/index.md": "# Sub\n",
            "sub/nested.md": "# Nested\n\n## N\n",
        ])
        defer { site.remove() }
        let page = site.page("top/index.html")
        #expect(page.contains("href=\"../other/index.html\""))
        #expect(page.contains("href=\"../sub/index.html\""))
        #expect(page.contains("href=\"../sub/nested/index.html#n\""))
        #expect(!page.contains("link-broken"))
    }

    @Test func findingsInsideRawHTMLBlocksAreShown() throws {
        let site = try SiteFixture(["g.md": "# G\n\n<div>\n<a href=\"missing.md\">gone</a>\n</div>\n"])
        defer { site.remove() }
        #expect(site.page("g/index.html").contains("finding finding-error"))
    }

    @Test func aClosingFenceFollowedByTextEndsTheCallout() throws {
        let site = try SiteFixture([
            "g.md": "# G\n\n:::warning\nDo not do this.\n:::\nThis sentence is outside.\n\n## Later\n"
        ])
        defer { site.remove() }
        let page = site.page("g/index.html")
        let aside = try #require(GoldenTests.fragment(page, from: "<aside class=\"admonition", to: "</aside>"))
        #expect(aside.contains("Do not do this."))
        #expect(!aside.contains("outside"))
        #expect(page.contains("<p>This sentence is outside.</p>"))
        #expect(!page.contains(":::"))
    }

    @Test func theSidebarFollowsNumberPrefixesAndDraftsAreLeftOut() throws {
        let site = try SiteFixture([
            "02-alpha/a.md": "# Alpha page\n", "01-zeta/z.md": "# Zeta page\n", "10-last/l.md": "# Last page\n",
            "draft.md": "---\ntitle: Draft\ndraft: true\n---\n\nNot yet.\n",
        ])
        defer { site.remove() }
        let sidebar = site.page("index.html")
        let zeta = try #require(sidebar.range(of: "Zeta page"))
        let alpha = try #require(sidebar.range(of: "Alpha page"))
        let last = try #require(sidebar.range(of: "Last page"))
        #expect(zeta.lowerBound < alpha.lowerBound && alpha.lowerBound < last.lowerBound)
        #expect(site.files["draft/index.html"] == nil)
    }

    @Test func aGuideAtTheRootIsTheHomePageAndListsTheGuides() throws {
        let site = try SiteFixture(["home.md": "---\ntitle: Home\nslug: /\n---\n\nWelcome.\n", "b.md": "# B\n"])
        defer { site.remove() }
        let home = site.page("index.html")
        #expect(home.contains("Welcome."))
        #expect(home.contains("<ul class=\"guide-list\">"))
        #expect(home.contains("href=\"b/index.html\""))
    }

    @Test func mdxModuleLinesTaskListsAndStrikethrough() throws {
        let site = try SiteFixture([
            "g.mdx": "import Tabs from '@theme/Tabs';\n\n# G\n\n- [ ] to do\n- [x] done\n\nThis is ~~old~~ new.\n"
        ])
        defer { site.remove() }
        let page = site.page("g/index.html")
        #expect(!page.contains("import Tabs"))
        #expect(page.contains("aria-label=\"to do\">☐</span> to do"))
        #expect(page.contains("aria-label=\"done\">☑</span> done"))
        #expect(page.contains("This is <del>old</del> new."))
    }

    @Test func entitiesInRawHTMLReachTheBrowser() {
        var sanitizer = HTMLSanitizer()
        #expect(
            sanitizer.sanitize("<p>A &mdash; B &copy; &#8230; & c</p>") == "<p>A &mdash; B &copy; &#8230; &amp; c</p>")
    }

    @Test func anOutputFolderInsideTheThemeIsRefused() throws {
        #expect(throws: SiteError.self) {
            try SiteWriter.checkOutput(
                SiteFixture.themeFolder + "/assets/out", contentFolders: [], workingDirectory: "/tmp",
                themeFolder: SiteFixture.themeFolder)
        }
    }
}

/// One classifier decides what a block is for the checks and for the page.
@Suite struct BlockKindRenderingTests {
    @Test func aPolicyInABareFenceIsRenderedAsThePolicyItIs() throws {
        let site = try SiteFixture([
            "g.md": """
            # G

            The bucket policy:

            ```
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::444455556666:role/Reader"},
              "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-shared/*"}]}
            ```

            ```
            plain text stays plain
            ```
            """
        ])
        defer { site.remove() }
        let page = site.page("g/index.html")
        #expect(page.contains("<figure class=\"code-block policy-block\" data-lang=\"json\" id=\"block-L5\">"))
        #expect(page.contains("kind-bucket"))
        #expect(page.contains("What this bucket policy says:"))
        #expect(page.contains("<figure class=\"code-block\" data-lang=\"\"><pre><code>plain text stays plain"))
        let blocks = try #require(site.report?.blocks)
        #expect(blocks.map(\.kind) == ["bucket policy"])
    }
}
