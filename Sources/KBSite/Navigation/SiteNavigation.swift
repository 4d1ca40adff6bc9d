import Foundation
import KBChecks
import KBDiagnostics

/// The site's navigation: the sidebar, previous/next order and breadcrumbs,
/// from ``SidebarTree``.
///
/// The sidebar is written once per site, as mdBook's `toc.js` is: every page
/// holds only its own branch (the top level, and the categories on the way to
/// the page, opened), so it works without scripts and a page's size does not
/// grow with the site; `assets/sidebar.js` holds the whole tree, which the
/// theme's script loads once (a `<script>`, so it works from `file://` too) and
/// draws in place of the branch.
struct SiteNavigation {
    /// Beyond this many entries a level shows, without scripts, the entries
    /// around the current one and links to the rest of the level.
    static let levelLimit = 41
    /// Entries kept on each side of the current one in a long level.
    static let window = 15

    let pages: [SitePage]
    let tree: SidebarTree
    private let pageIndex: [String: Int]
    /// Each page's path from the site's root, percent-encoded and escaped for
    /// an attribute, and its sidebar label escaped: computed once per site,
    /// not once per link on every page.
    private let hrefs: [String]
    private let labels: [String]
    /// Each page's place in ``order``, so the pager need not search it per page.
    private let positions: [Int: Int]
    /// Page indexes in sidebar order (also previous/next order).
    var order: [Int] { tree.order }
    var diagnostics: [Diagnostic] { tree.diagnostics }

    init(
        pages: [SitePage], rootLabels: [String: String] = [:],
        readCategory: (String, String) -> (CategoryMetadata?, [Diagnostic]) = CategoryFile.read
    ) {
        self.pages = pages
        pageIndex = Dictionary(pages.enumerated().map { ($1.outputPath, $0) }, uniquingKeysWith: { a, _ in a })
        hrefs = pages.map { HTML.attribute(SitePaths.href($0.outputPath)) }
        labels = pages.map { HTML.escape($0.sidebarLabel) }
        let entries = pages.map { page in
            let displayBase = String(page.file.displayPath.dropLast(page.file.relativePath.count))
            return SidebarTree.Entry(
                label: page.sidebarLabel, position: page.position, folders: page.folders,
                fileName: (page.file.relativePath as NSString).lastPathComponent,
                base: page.folders.first?.hasPrefix("/") == true ? "" : page.file.rootFolder,
                displayBase: displayBase.hasSuffix("/") ? String(displayBase.dropLast()) : displayBase,
                docID: page.docID)
        }
        tree = SidebarTree(entries: entries, rootLabels: rootLabels, readCategory: readCategory)
        positions = Dictionary(tree.order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: - The page's branch

    /// The sidebar a page carries: its branch of the tree.
    func sidebar(current: String) -> String {
        let index = pageIndex[current]
        let trail = index.flatMap { tree.trails[$0] } ?? []
        let root = SitePaths.root(of: current)
        return "<ul class=\"sidebar-tree\" data-current=\"\(HTML.attribute(index == nil ? "" : current))\">"
            + level(tree.items, key: "", root: root, current: current, currentIndex: index, trail: trail[...])
            + "</ul>"
    }

    private func level(
        _ items: [SidebarTree.Item], key: String, root: String, current: String, currentIndex: Int?,
        trail: ArraySlice<String>
    ) -> String {
        var entries: [String] = []
        var focus = 0
        for item in items {
            switch item {
            case .page(let index):
                if index == currentIndex { focus = entries.count }
                entries.append("<li>" + link(to: index, root: root, currentIndex: currentIndex) + "</li>")
            case .category(let category):
                guard trail.first == category.key else {
                    // Off the page's path: one link, to the category's page or its first guide.
                    guard let first = tree.firstPage(category) else { continue }
                    entries.append(
                        "<li class=\"sidebar-category\">"
                            + link(
                                to: first, root: root, currentIndex: currentIndex, label: HTML.escape(category.label),
                                className: "sidebar-category-link")
                            + "</li>")
                    continue
                }
                focus = entries.count
                let summary =
                    category.link.map {
                        link(to: $0, root: root, currentIndex: currentIndex, label: HTML.escape(category.label))
                    }
                    ?? HTML.escape(category.label)
                entries.append(
                    "<li class=\"sidebar-category\"><details open><summary>\(summary)</summary><ul>"
                        + level(
                            category.items, key: category.key, root: root, current: current,
                            currentIndex: currentIndex, trail: trail.dropFirst())
                        + "</ul></details></li>")
            }
        }
        guard entries.count > Self.levelLimit else { return entries.joined() }
        // A long level: the entries around the current one, and where the rest are listed.
        let start = max(0, min(focus - Self.window, entries.count - (2 * Self.window + 1)))
        let end = min(entries.count, start + 2 * Self.window + 1)
        let home = SitePaths.link(from: current, to: "index.html") + "#" + HomePage.sectionID(key)
        func more(_ count: Int) -> String {
            "<li class=\"sidebar-more\"><a href=\"\(HTML.attribute(home))\">… \(count) more</a></li>"
        }
        return (start > 0 ? more(start) : "") + entries[start..<end].joined()
            + (end < entries.count ? more(entries.count - end) : "")
    }

    /// A link to a page from one `root` (`../` repeated) below the site's
    /// root; `label` is HTML (the page's own escaped label when nil).
    private func link(
        to index: Int, root: String, currentIndex: Int?, label: String? = nil, className: String? = nil
    ) -> String {
        let here = index == currentIndex ? " aria-current=\"page\"" : ""
        let cls = className.map { " class=\"\($0)\"" } ?? ""
        return "<a\(cls) href=\"\(root)\(hrefs[index])\"\(here)>\(label ?? labels[index])</a>"
    }

    // MARK: - The whole tree, once

    /// `assets/sidebar.js`: the tree as data, hrefs relative to the site's root.
    /// Each item is `{"l": label, "u": path}` for a guide, and adds `"c"`
    /// (children), `"o": 1` (open by default) and `"f": 1` (not collapsible)
    /// for a category.
    func script() -> String {
        func nodes(_ items: [SidebarTree.Item]) -> [Node] {
            items.map { item in
                switch item {
                case .page(let index):
                    return Node(l: pages[index].sidebarLabel, u: SitePaths.href(pages[index].outputPath))
                case .category(let category):
                    return Node(
                        l: category.label, u: category.link.map { SitePaths.href(pages[$0].outputPath) },
                        c: nodes(category.items), o: category.collapsed ? nil : 1, f: category.collapsible ? nil : 1)
                }
            }
        }
        return "window.KBTOOL_SIDEBAR = \(HTML.scriptJSON(SiteJSON.encode(Tree(items: nodes(tree.items)))));\n"
    }

    struct Tree: Encodable {
        var v = 1
        var items: [Node]
    }

    struct Node: Encodable {
        var l: String
        var u: String?
        var c: [Node]?
        var o: Int?
        var f: Int?
    }

    // MARK: - Pager and breadcrumbs

    func pager(for index: Int) -> String {
        guard let position = positions[index] else { return "" }
        let current = pages[index].outputPath
        var html = ""
        if position > 0 {
            let previous = pages[order[position - 1]]
            html +=
                "<a class=\"pager-prev\" rel=\"prev\" href=\"\(HTML.attribute(SitePaths.link(from: current, to: previous.outputPath)))\"><span class=\"pager-label\">Previous</span> \(HTML.escape(previous.sidebarLabel))</a>"
        }
        if position + 1 < order.count {
            let next = pages[order[position + 1]]
            html +=
                "<a class=\"pager-next\" rel=\"next\" href=\"\(HTML.attribute(SitePaths.link(from: current, to: next.outputPath)))\"><span class=\"pager-label\">Next</span> \(HTML.escape(next.sidebarLabel))</a>"
        }
        return html
    }

    /// The category labels above a page, outermost first, each with its page when it has one.
    func trail(of index: Int) -> [(label: String, page: Int?)] {
        (tree.trails[index] ?? []).compactMap { key in
            tree.categories[key].map { ($0.label, $0.link == index ? nil : $0.link) }
        }
    }

    func breadcrumbs(for index: Int, title: String) -> String {
        let current = pages[index].outputPath
        let trail = trail(of: index).map { crumb in
            crumb.page.map {
                "<a href=\"\(HTML.attribute(SitePaths.link(from: current, to: pages[$0].outputPath)))\">\(HTML.escape(crumb.label))</a>"
            } ?? HTML.escape(crumb.label)
        }
        return Self.breadcrumbs(current: current, trail: trail, title: title)
    }

    /// `trail` is HTML.
    static func breadcrumbs(current: String, trail: [String], title: String) -> String {
        var html =
            "<ol><li><a href=\"\(HTML.attribute(SitePaths.link(from: current, to: "index.html")))\">Home</a></li>"
        for crumb in trail { html += "<li>\(crumb)</li>" }
        return html + "<li aria-current=\"page\">\(HTML.escape(title))</li></ol>"
    }
}
