import Foundation
import KBTestSupport
import Testing

@testable import KBSite

/// The sidebar: categories from folders and `_category_` files, labels from
/// titles, one branch per page and the whole tree once in `assets/sidebar.js`.
@Suite struct SidebarTests {
    /// The labels of a page's sidebar links, in order.
    static func labels(_ html: String) -> [String] {
        guard let start = html.range(of: "<ul class=\"sidebar-tree\""), let end = html.range(of: "</nav>") else {
            return []
        }
        let sidebar = html[start.lowerBound..<end.lowerBound]
        return sidebar.components(separatedBy: "</a>").dropLast().compactMap { piece in
            piece.range(of: ">", options: .backwards).map { String(piece[$0.upperBound...]) }
        }
    }

    static let docs: [String: String] = [
        "intro.md": "---\nsidebar_position: 1\n---\n\n# Introduction\n",
        "zz-last.md": "---\ntitle: Last words\nsidebar_position: 9\n---\n\nBye.\n",
        "setup/_category_.json": "{\"label\": \"Getting set up\", \"position\": 2, \"collapsed\": false}",
        "setup/keys.md": "---\nsidebar_label: Keys\n---\n\n# Creating KMS keys\n",
        "setup/buckets.md": "# Buckets\n",
        "setup/index.md": "# Setting up\n\nOverview.\n",
        "02-audit/_category_.yml": "label: Auditing\nposition: 3\n",
        "02-audit/logs.md": "# Logs\n",
        "_partial.md": "# A partial\n\nImported by pages only.\n",
        "_shared/snippet.md": "# Snippet\n",
    ]

    @Test func categoriesLabelsAndOrderFollowDocusaurus() throws {
        let site = try SiteFixture(Self.docs)
        defer { site.remove() }
        let tree = site.page("assets/sidebar.js")
        // Positions order guides and categories together; labels come from titles,
        // sidebar_label and the category files, never from file names.
        // (A category's children come before its label: the keys are sorted.)
        let order = ["Introduction", "Buckets", "Keys", "Getting set up", "Logs", "Auditing", "Last words"]
        var last = tree.startIndex
        for label in order {
            let found = try #require(tree.range(of: "\"l\":\"\(label)\"", range: last..<tree.endIndex), "\(label)")
            last = found.upperBound
        }
        #expect(!tree.contains("\"Zz last\"") && !tree.contains("\"Setup\""))
        // index.md is the category's own page: its label links there, and it is not listed again.
        #expect(tree.contains("\"l\":\"Getting set up\",\"o\":1,\"u\":\"setup/index.html\""))
        #expect(!tree.contains("\"l\":\"Setting up\""))
        // Previous/next follow the sidebar: intro → setup → buckets → keys → audit logs → last.
        #expect(site.page("setup/index.html").contains("rel=\"next\" href=\"../setup/buckets/index.html\""))
        #expect(site.page("setup/keys/index.html").contains("rel=\"next\" href=\"../../audit/logs/index.html\""))
        #expect(site.page("audit/logs/index.html").contains("rel=\"next\" href=\"../../zz-last/index.html\""))
        // Breadcrumbs name the category, linked to its page.
        #expect(
            site.page("setup/keys/index.html").contains(
                "<li><a href=\"../../setup/index.html\">Getting set up</a></li>"))
        // Partials (`_` files and folders) are never pages.
        #expect(site.files.keys.allSatisfy { !$0.contains("partial") && !$0.contains("snippet") })
        #expect(!tree.contains("partial") && !tree.contains("Snippet"))
        #expect(site.diagnostics.isEmpty, "\(site.diagnostics)")
    }

    @Test func aPageHoldsOnlyItsBranchAndTheTreeIsWrittenOnce() throws {
        var guides = Self.docs
        for index in 0..<30 { guides["other/page\(index).md"] = "# Other \(index)\n" }
        let site = try SiteFixture(guides)
        defer { site.remove() }
        let page = site.page("setup/keys/index.html")
        // Its own category open, the others one link each (to their first page).
        #expect(
            Self.labels(page) == [
                "Introduction", "Getting set up", "Buckets", "Keys", "Auditing", "Last words", "Other",
            ])
        #expect(page.contains("class=\"sidebar-category-link\" href=\"../../audit/logs/index.html\">Auditing</a>"))
        #expect(page.contains("aria-current=\"page\">Keys</a>"))
        #expect(page.contains("<ul class=\"sidebar-tree\" data-current=\"setup/keys/index.html\">"))
        // The whole tree is one script the theme loads.
        #expect(site.page("assets/sidebar.js").hasPrefix("window.KBTOOL_SIDEBAR = {"))
        #expect(site.page("assets/sidebar.js").contains("\"l\":\"Other 7\""))
        // The page's sidebar is the same whatever the size of the other folder.
        var fewer = Self.docs
        fewer["other/page0.md"] = "# Other 0\n"
        let small = try SiteFixture(fewer)
        defer { small.remove() }
        #expect(Self.sidebar(small.page("setup/keys/index.html")) == Self.sidebar(page))
        #expect(site.page("assets/sidebar.js").count > small.page("assets/sidebar.js").count)
    }

    static func sidebar(_ html: String) -> String {
        guard let start = html.range(of: "<ul class=\"sidebar-tree\""), let end = html.range(of: "</nav>") else {
            return ""
        }
        return String(html[start.lowerBound..<end.lowerBound])
    }

    @Test func aLongLevelShowsTheEntriesAroundTheCurrentOne() throws {
        var guides: [String: String] = [:]
        for index in 0..<100 { guides["many/p\(index).md"] = "# Page \(index)\n" }
        let site = try SiteFixture(guides)
        defer { site.remove() }
        let labels = Self.labels(site.page("many/p50/index.html"))
        #expect(labels.contains("Page 50") && labels.contains("Page 35") && labels.contains("Page 65"))
        #expect(!labels.contains("Page 34") && !labels.contains("Page 66") && !labels.contains("Page 0"))
        #expect(labels.filter { $0.hasPrefix("… ") && $0.hasSuffix(" more") }.count == 2)
        // At the start of the level the window starts there too.
        let first = Self.labels(site.page("many/p0/index.html"))
        #expect(first.contains("Page 0") && first.contains("Page 30") && !first.contains("Page 31"))
        // The tree has them all.
        #expect(site.page("assets/sidebar.js").components(separatedBy: "\"l\":\"Page ").count == 101)
    }

    @Test(arguments: [
        ("{\"label\": \"Broken\",", "1: site-category: _category_.json is not valid JSON"),
        ("{\"label\": 3}", "1: site-category: 'label' in _category_.json is a number; expected a string"),
        ("{\"position\": \"2\"}", "1: site-category: 'position' in _category_.json is a string; expected a number"),
        ("[1, 2]", "1: site-category: _category_.json holds a list, not a mapping; it is ignored"),
        ("{\"link\": {\"type\": \"doc\"}}", "1: site-category: 'link' in _category_.json needs"),
    ])
    func aBadCategoryFileIsALocatedErrorAndTheFolderNameStays(_ text: String, _ expected: String) throws {
        let site = try SiteFixture(["my-folder/_category_.json": text, "my-folder/a.md": "# A\n"])
        defer { site.remove() }
        #expect(site.diagnostics.contains { $0.hasPrefix(expected) }, "\(site.diagnostics)")
        #expect(site.page("assets/sidebar.js").contains("\"l\":\"My folder\""))
        #expect(site.files["my-folder/a/index.html"] != nil)
    }

    @Test func aBadYAMLCategoryIsLocatedToo() throws {
        let site = try SiteFixture(["f/_category_.yml": "label: Fine\nposition: [\n", "f/a.md": "# A\n"])
        defer { site.remove() }
        #expect(site.diagnostics.contains { $0.contains("site-category: _category_.yml is not valid YAML") })
        #expect(site.page("assets/sidebar.js").contains("\"l\":\"F\""))
    }

    @Test func twoCategoriesAtOnePositionKeepAStableOrderWithANote() throws {
        let site = try SiteFixture([
            "beta/_category_.json": "{\"label\": \"Beta\", \"position\": 1}", "beta/b.md": "# B\n",
            "alpha/_category_.json": "{\"label\": \"Alpha\", \"position\": 1}", "alpha/a.md": "# A\n",
        ])
        defer { site.remove() }
        let tree = site.page("assets/sidebar.js")
        let alpha = try #require(tree.range(of: "\"Alpha\""))
        let beta = try #require(tree.range(of: "\"Beta\""))
        #expect(alpha.lowerBound < beta.lowerBound)
        #expect(
            site.diagnostics == [
                "1: site-category-order: category 'Beta' has position 1, as 'Alpha' has; they are ordered by folder name"
            ])
    }

    @Test func aLinkToADocByIdAndASymlinkedFolderIsNotFollowed() throws {
        let site = try SiteFixture([
            "guide/_category_.json": "{\"link\": {\"type\": \"doc\", \"id\": \"guide/start\"}}",
            "guide/start.md": "# Start here\n", "guide/more.md": "# More\n",
        ])
        defer { site.remove() }
        #expect(site.page("assets/sidebar.js").contains("\"l\":\"Guide\",\"u\":\"guide/start/index.html\""))
        // A link back to the content folder inside it: the sidebar stays finite.
        try FileManager.default.createSymbolicLink(
            atPath: site.folder.appendingPathComponent("content/guide/loop").path, withDestinationPath: "..")
        let rebuilt = try SiteFixture(rebuilding: site)
        #expect(!rebuilt.files.keys.contains { $0.contains("loop") })
        #expect(rebuilt.page("assets/sidebar.js").components(separatedBy: "\"l\":").count == 3)
    }

    @Test func theTreeScriptEscapesLabels() throws {
        let site = try SiteFixture(["a.md": "---\ntitle: \"</script><script>alert(1)</script>\"\n---\n\nText.\n"])
        defer { site.remove() }
        let script = site.page("assets/sidebar.js")
        #expect(!script.contains("</script>"))
        #expect(!Self.labels(site.page("a/index.html")).contains { $0.contains("<script>") })
    }
}
