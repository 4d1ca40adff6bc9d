import Foundation
import KBBlocks
import KBChecks
import KBDiagnostics
import KBGuide

/// A guide's place in the site: where its page goes and how the sidebar names it.
public struct SitePage: Sendable {
    public var file: InputFile
    /// What verification found, with the guide classified and analysed.
    public var result: GuideResult
    /// The guide with its code blocks classified.
    public var classified: ClassifiedGuide { result.guide! }
    public var guide: Guide { classified.guide }
    /// The page's file in the site, e.g. `kms/setup/index.html`.
    public var outputPath: String
    public var title: String
    public var sidebarLabel: String
    public var position: Double?
    /// Sidebar folders above the page, outermost first, as shown.
    public var categories: [String]
    /// The same folders as named on disk (`01-setup`), which decide their order.
    public var folders: [String]

    /// `../` repeated to reach the site's root from this page.
    public var root: String { SitePaths.root(of: outputPath) }
}

/// Why a route cannot be a folder of the site.
struct RouteProblem: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}

enum SitePaths {
    static func root(of outputPath: String) -> String {
        String(repeating: "../", count: outputPath.split(separator: "/").count - 1)
    }

    /// The output folder for a route, or why the route cannot be one. A route is
    /// written under the site folder only: `..`, `.`, empty segments beyond
    /// slashes, backslashes and control characters are refused.
    static func outputPath(forRoute route: String) -> Result<String, RouteProblem> {
        let segments = route.split(separator: "/", omittingEmptySubsequences: true)
        if let first = segments.first, reservedFirstSegments.contains(first.lowercased()) {
            return .failure(RouteProblem(text: "is reserved for the site's own files ('\(first)')"))
        }
        for segment in segments {
            if segment == ".." || segment == "." { return .failure(RouteProblem(text: "has a '\(segment)' segment")) }
            if segment.hasPrefix(".") { return .failure(RouteProblem(text: "has a hidden segment '\(segment)'")) }
            if let bad = segment.unicodeScalars.first(where: {
                $0 == "\\" || $0.value < 0x20 || $0 == "\u{7F}" || $0 == ":"
            }) {
                return .failure(RouteProblem(text: "contains '\(bad.escaped(asASCII: true))'"))
            }
        }
        if segments.isEmpty { return .success("index.html") }
        return .success(segments.joined(separator: "/") + "/index.html")
    }

    /// Where the site keeps its own files: no page may take these names.
    static let reservedFirstSegments: Set<String> = [
        "index.html", "404.html", "assets", "media", "claims", SiteWriter.marker,
    ]

    /// A site path as an href: each segment percent-encoded, so `#`, `?`, `%`
    /// and spaces in a slug or file name stay part of the path.
    static func href(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? String(segment)
        }.joined(separator: "/")
    }

    /// RFC 3986 path characters minus the ones that end or escape a path.
    static let segmentCharacters: CharacterSet = {
        var set = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        set.insert(charactersIn: "-._~!$&'()*+,;=:@")
        return set
    }()

    /// Whether a relative path stays inside the folder it is relative to.
    static func isContained(_ relative: String) -> Bool {
        guard !relative.isEmpty, !relative.hasPrefix("/") else { return false }
        return !relative.split(separator: "/", omittingEmptySubsequences: false).contains {
            $0.isEmpty || $0 == ".." || $0 == "."
        }
    }

    /// A link from one site file to another.
    static func link(from page: String, to target: String) -> String {
        root(of: page) + href(target)
    }
}

/// The sidebar tree, previous/next order and breadcrumbs, from the folders the
/// guides live in, `sidebar_label` and `sidebar_position`.
struct SiteNavigation {
    final class Node {
        /// The label shown; the node is keyed by its folder's name on disk.
        var name: String
        var pages: [Int] = []
        var children: [String: Node] = [:]
        /// Pages and folder keys in sidebar order, sorted once.
        var orderedPages: [Int] = []
        var orderedFolders: [String] = []
        init(name: String) { self.name = name }
    }

    /// Up to this many guides every page carries the whole tree (as mdBook
    /// does); beyond it a page's sidebar opens only the folders on its own path
    /// and shows the others as links to their first guide, so the site does not
    /// grow with the square of its size.
    static let fullSidebarLimit = 300

    let pages: [SitePage]
    private let pageIndex: [String: Int]
    /// Page indexes in sidebar order (also previous/next order).
    private(set) var order: [Int] = []
    private let tree = Node(name: "")

    init(pages: [SitePage]) {
        self.pages = pages
        pageIndex = Dictionary(pages.enumerated().map { ($1.outputPath, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, page) in pages.enumerated() {
            var node = tree
            for (folder, label) in zip(page.folders, page.categories) {
                if node.children[folder] == nil { node.children[folder] = Node(name: label) }
                node = node.children[folder]!
            }
            node.pages.append(index)
        }
        sortTree(tree)
        order = flatten(tree)
    }

    private func sortTree(_ node: Node) {
        node.orderedPages = sortedPages(node)
        node.orderedFolders = sortedFolders(node)
        for child in node.children.values { sortTree(child) }
    }

    /// Pages by `sidebar_position` (those without one after), then by file name
    /// as Docusaurus does (`01-intro` before `02-setup`, `2` before `10`).
    private func sortedPages(_ node: Node) -> [Int] {
        node.pages.sorted { a, b in
            let (pa, pb) = (pages[a].position ?? .infinity, pages[b].position ?? .infinity)
            if pa != pb { return pa < pb }
            return Self.ordered(pages[a].file.relativePath, pages[b].file.relativePath)
        }
    }

    /// Folders by their names on disk, numbers compared as numbers, case ignored.
    private func sortedFolders(_ node: Node) -> [String] {
        node.children.keys.sorted(by: Self.ordered)
    }

    static func ordered(_ a: String, _ b: String) -> Bool {
        let order = a.compare(b, options: [.numeric, .caseInsensitive])
        return order == .orderedSame ? a < b : order == .orderedAscending
    }

    private func flatten(_ node: Node) -> [Int] {
        node.orderedPages + node.orderedFolders.flatMap { flatten(node.children[$0]!) }
    }

    /// The first guide under a folder, in sidebar order.
    private func firstPage(_ node: Node) -> Int? {
        node.orderedPages.first ?? node.orderedFolders.lazy.compactMap { firstPage(node.children[$0]!) }.first
    }

    func sidebar(current: String) -> String {
        let page = pageIndex[current].map { pages[$0] }
        let openPath = pages.count <= Self.fullSidebarLimit ? nil : page?.folders ?? []
        return "<ul class=\"sidebar-tree\">" + items(tree, current: current, openPath: openPath.map { $0[...] })
            + "</ul>"
    }

    /// `openPath`: nil opens every folder; else the folders still to open on the
    /// way to the current page.
    private func items(_ node: Node, current: String, openPath: ArraySlice<String>?) -> String {
        var html = ""
        for index in node.orderedPages {
            let page = pages[index]
            let here = page.outputPath == current ? " aria-current=\"page\"" : ""
            html +=
                "<li><a href=\"\(HTML.attribute(SitePaths.link(from: current, to: page.outputPath)))\"\(here)>\(HTML.escape(page.sidebarLabel))</a></li>"
        }
        for key in node.orderedFolders {
            let child = node.children[key]!
            if let openPath, openPath.first != key {
                // A folder off the current path: a link to its first guide.
                guard let first = firstPage(child) else { continue }
                html +=
                    "<li class=\"sidebar-category sidebar-collapsed\"><a href=\"\(HTML.attribute(SitePaths.link(from: current, to: pages[first].outputPath)))\">\(HTML.escape(child.name))</a></li>"
                continue
            }
            html += "<li class=\"sidebar-category\"><details open><summary>\(HTML.escape(child.name))</summary><ul>"
            html += items(child, current: current, openPath: openPath?.dropFirst()) + "</ul></details></li>"
        }
        return html
    }

    func pager(for index: Int) -> String {
        guard let position = order.firstIndex(of: index) else { return "" }
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

    static func breadcrumbs(current: String, trail: [String], title: String) -> String {
        var html =
            "<ol><li><a href=\"\(HTML.attribute(SitePaths.link(from: current, to: "index.html")))\">Home</a></li>"
        for category in trail { html += "<li>\(HTML.escape(category))</li>" }
        return html + "<li aria-current=\"page\">\(HTML.escape(title))</li></ol>"
    }
}
