import Crypto
import Foundation
import KBAnalysis
import KBBlocks
import KBChecks
import KBDiagnostics
import KBFacts
import KBGuide
import KBTranscript
import Synchronization

extension Rule {
    /// A page would be written outside the site, or two pages claim one path.
    public static let sitePath = Rule(
        "site-path", .error,
        summary:
            "kbtool build cannot place a page where its slug or id says: the route climbs out of the site (`..`), holds a character a path cannot, or another page already took it.",
        why:
            "A page must never be written outside the output folder, and two pages on one path would silently hide one of them.",
        fix: "Give the page a slug without `.` or `..` segments, and one no other guide uses.",
        example:
            "the page's route '/../../tmp/pwned' has a '..' segment; it would be written outside the site, so the page is placed by its file name"
    )
}

/// What the site is built with, besides the verification report.
public struct SiteOptions: Sendable {
    public var theme: Theme
    public var site: Configuration.Site
    /// The folder paths in the configuration are relative to (for edit links).
    public var configurationRoot: String
    /// When the pages say they were verified: fixed per build so the output is
    /// reproducible (see ``SiteBuilder/stamp(inputs:environment:)``).
    public var verifiedAt: Date
    public var version: String
    /// A script that reloads the page when the site changes (`kbtool serve`).
    public var liveReload: String = ""
    /// Rendered articles of unchanged guides, kept between builds; nil renders every guide.
    public var articleCache: ArticleCache?

    public init(
        theme: Theme, site: Configuration.Site, configurationRoot: String, verifiedAt: Date, version: String
    ) {
        self.theme = theme
        self.site = site
        self.configurationRoot = configurationRoot
        self.verifiedAt = verifiedAt
        self.version = version
    }
}

/// The site as files, not yet written (tests read it in memory).
public struct SiteBuild: Sendable {
    /// Site-relative path → bytes, in path order.
    public var files: [(path: String, bytes: [UInt8])]
    /// Problems with the site itself (a page that would land outside it).
    public var diagnostics: [Diagnostic]
    public var pages: Int
}

/// What a build wrote, besides its files.
public struct SiteSummary: Sendable {
    /// Problems with the site itself (a page that would land outside it).
    public var diagnostics: [Diagnostic]
    public var pages: Int
    public var files: Int
    /// Articles taken from the article cache rather than rendered.
    public var keptArticles = 0
}

/// Where a build puts its files as it makes them: the staging folder
/// (``SiteStaging``), or memory for tests.
public protocol SiteSink: Sendable {
    func write(_ path: String, _ bytes: [UInt8]) throws(SiteError)
}

extension SiteStaging: SiteSink {}

/// The files of a site held in memory.
final class MemorySink: SiteSink {
    let files = Mutex<[String: [UInt8]]>([:])
    func write(_ path: String, _ bytes: [UInt8]) throws(SiteError) { files.withLock { $0[path] = bytes } }
}

/// What the build keeps of a guide's page once it is written.
private struct Done: Sendable {
    var tally: GuideTally
    var kept: Bool
    var title: String
    var sections: [SearchSection]
    /// Kept only for a guide at the site's root, which lists the others.
    var home: (RenderedGuide, GuideFindings)?
}

/// Renders a verification report into pages: one per guide, an index, the claims
/// page, the search index and the theme's assets. It reads only the local files
/// guides link to, and writes only to its sink.
public enum SiteBuilder {
    /// The whole site in memory.
    public static func build(_ report: VerificationReport, options: SiteOptions) -> SiteBuild {
        let sink = MemorySink()
        // A memory sink never fails.
        let summary =
            (try? build(report, options: options, into: sink)) ?? SiteSummary(diagnostics: [], pages: 0, files: 0)
        let files = sink.files.withLock { $0 }
        return SiteBuild(
            files: files.keys.sorted().map { ($0, files[$0]!) }, diagnostics: summary.diagnostics, pages: summary.pages)
    }

    /// Renders and frames the guides' pages on all cores, each written to the
    /// sink as soon as it is made, so memory holds what the home page, the
    /// search index and the claims page need rather than every page.
    public static func build(_ report: VerificationReport, options: SiteOptions, into sink: any SiteSink)
        throws(SiteError) -> SiteSummary
    {
        var diagnostics: [Diagnostic] = []
        let pages = sitePages(report, diagnostics: &diagnostics)
        let navigation = SiteNavigation(pages: pages, rootLabels: rootLabels(pages))
        diagnostics += navigation.diagnostics
        let byAbsolutePath = Dictionary(
            pages.enumerated().map { ($0.element.file.absolutePath, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let media = MediaCollector(pages: pages)
        var written: Set<String> = []

        // Guides are independent: their pages (and explorers) render on all cores.
        let done = Mutex<[Int: Done]>([:])
        let failure = Mutex<SiteError?>(nil)
        let cache = options.articleCache
        let routes = cache == nil ? "" : ArticleCache.routes(pages)
        DispatchQueue.concurrentPerform(iterations: pages.count) { index in
            let page = pages[index]
            let (article, findings, kept) = Self.article(
                page, cache: cache, routes: routes, options: options, media: media, pages: pages,
                byAbsolutePath: byAbsolutePath)
            var result = Done(
                tally: GuideTally(findings), kept: kept, title: article.title, sections: article.sections, home: nil)
            if page.outputPath == "index.html" {
                result.home = (article, findings)
            } else {
                let html = frame(
                    page: page, index: index, article: article, findings: findings, navigation: navigation,
                    options: options)
                do throws(SiteError) {
                    try sink.write(page.outputPath, Array(html.utf8))
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                }
            }
            done.withLock { $0[index] = result }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        cache?.prune()
        let results = done.withLock { $0 }
        let tallies = pages.indices.map { results[$0]?.tally ?? GuideTally() }
        written.formUnion(pages.map(\.outputPath))
        func write(_ path: String, _ text: String) throws(SiteError) {
            try sink.write(path, Array(text.utf8))
            written.insert(path)
        }
        if let index = pages.firstIndex(where: { $0.outputPath == "index.html" }),
            let (rendered, findings) = results[index]?.home
        {
            // A guide at the site's root (`slug: /`) is the home page: it lists the guides too.
            var article = rendered
            article.body +=
                "<section class=\"all-guides\" aria-labelledby=\"all-guides\"><h2 id=\"all-guides\">All guides</h2>"
                + HomePage.list(navigation: navigation, tallies: tallies) + "</section>\n"
            try write(
                "index.html",
                frame(
                    page: pages[index], index: index, article: article, findings: findings, navigation: navigation,
                    options: options))
        } else {
            let pagePaths = Set(pages.map(\.file.displayPath))
            try write(
                "index.html",
                indexPage(
                    pages: pages, tallies: tallies, navigation: navigation,
                    otherFindings: report.diagnostics.filter { !pagePaths.contains($0.range.file) }, options: options))
        }
        try write("404.html", notFoundPage(navigation: navigation, options: options))
        try write(
            "claims/index.html",
            claimsPage(
                report: report, pages: pages, navigation: navigation, byAbsolutePath: byAbsolutePath, options: options))
        let articles = pages.indices.compactMap { index in results[index].map { (index, $0.title, $0.sections) } }
        for (path, text) in SearchIndex.files(pages: pages, articles: articles, navigation: navigation) {
            try write(path, text)
        }
        try write("assets/sidebar.js", navigation.script())
        for (path, bytes) in media.collected() {
            try sink.write(path, bytes)
            written.insert(path)
        }
        for asset in options.theme.assets where !written.contains(asset.path) {
            try sink.write(asset.path, asset.bytes)
            written.insert(asset.path)
        }
        return SiteSummary(
            diagnostics: diagnostics, pages: pages.count, files: written.count,
            keptArticles: results.values.filter(\.kept).count)
    }

    /// A guide's article: kept from an earlier build when nothing it is made
    /// from changed, else rendered (the guide classified and analysed first
    /// when verification only parsed it) and kept.
    static func article(
        _ page: SitePage, cache: ArticleCache?, routes: String, options: SiteOptions, media: MediaCollector,
        pages: [SitePage], byAbsolutePath: [String: Int]
    ) -> (RenderedGuide, GuideFindings, kept: Bool) {
        let fingerprint = cache?.fingerprint(page: page, routes: routes, rawHTML: options.site.rawHTML)
        if let cache, let fingerprint, let kept = cache.lookup(fingerprint) {
            for file in kept.media {
                if let target = file.target { media.recopy(target: target, source: file.source) }
            }
            return (
                RenderedGuide(title: kept.title, body: kept.body, toc: kept.toc, sections: kept.sections),
                GuideFindings(page.result, explores: false), true
            )
        }
        var result = page.result
        guard let guide = result.guide?.guide ?? page.parsedGuide() else {
            // The file went between verifying and rendering: the page says so.
            let body =
                "<h1>\(HTML.escape(page.title))</h1>\n<p>kbtool could not read this guide again to render it.</p>\n"
            return (RenderedGuide(title: page.title, body: body, toc: [], sections: []), GuideFindings(result), false)
        }
        let classified = result.guide ?? BlockClassifier.classify(guide)
        if result.analysis == nil { result.analysis = GuideAnalysis.analyze(classified) }
        let findings = GuideFindings(result)
        let trace = MediaTrace()
        var renderer = GuidePageRenderer(
            guide: classified, findings: findings, title: page.title, allowRawHTML: options.site.rawHTML,
            resolveLink: { media.link($0, from: page, pages: pages, byAbsolutePath: byAbsolutePath, trace: trace) },
            resolveImage: { media.image($0, from: page, trace: trace) },
            resolveDemonstration: {
                media.demonstration($0, from: page, pages: pages, byAbsolutePath: byAbsolutePath)
            },
            claimsPage: SitePaths.link(from: page.outputPath, to: "claims/index.html"))
        let article = renderer.render()
        if let cache, let fingerprint {
            cache.store(
                ArticleCache.Entry(
                    format: ArticleCache.formatVersion, title: article.title, body: article.body, toc: article.toc,
                    sections: article.sections, media: trace.files),
                as: fingerprint)
        }
        return (article, findings, false)
    }

    /// When the pages were verified, reproducibly: `SOURCE_DATE_EPOCH` when set
    /// (the reproducible-builds convention), else the newest modification time
    /// of the inputs, so the same files give the same site.
    public static func stamp(inputs: [String], environment: [String: String]) -> Date {
        if let epoch = environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init) {
            return Date(timeIntervalSince1970: epoch)
        }
        let dates = inputs.compactMap {
            (try? FileManager.default.attributesOfItem(atPath: $0))?[.modificationDate] as? Date
        }
        let newest = dates.max() ?? Date(timeIntervalSince1970: 0)
        return Date(timeIntervalSince1970: newest.timeIntervalSince1970.rounded(.down))
    }

    // MARK: - Pages

    static func sitePages(_ report: VerificationReport, diagnostics: inout [Diagnostic]) -> [SitePage] {
        let parsed = report.guides.filter { $0.page != nil }
        let roots = Set(parsed.map(\.file.rootFolder))
        let rootNames = routeNames(roots: roots)
        var pages: [SitePage] = []
        var taken: [String: String] = [:]
        for result in parsed {
            let file = result.file
            let metadata = result.page!
            // Docusaurus leaves drafts out of production builds, and never routes
            // files or folders whose names start with `_` (partials, imported by pages).
            if metadata.draft { continue }
            if file.relativePath.split(separator: "/").contains(where: { $0.hasPrefix("_") }) { continue }
            let identity = result.identity
            var route = identity.route
            if case .failure(let problem) = SitePaths.outputPath(forRoute: route) {
                diagnostics.append(
                    Diagnostic(
                        .error, .sitePath,
                        "the page's route '\(route)' \(problem); it would be written outside the site, so the page is placed by its file name",
                        at: identity.routeRange))
                route = "/" + (file.relativePath as NSString).deletingPathExtension
            }
            // Several roots: each one's pages live under its folder's name.
            if roots.count > 1 {
                route = "/" + (rootNames[file.rootFolder] ?? "") + (route == "/" ? "" : route)
            }
            guard case .success(let outputPath) = SitePaths.outputPath(forRoute: route),
                outputPath != "claims/index.html", !outputPath.hasPrefix("assets/"), !outputPath.hasPrefix("media/")
            else {
                diagnostics.append(
                    Diagnostic(
                        .error, .sitePath, "the page's route '\(route)' is reserved or unusable; the page is not built",
                        at: identity.routeRange))
                continue
            }
            if let first = taken[outputPath] {
                diagnostics.append(
                    Diagnostic(
                        .error, .sitePath,
                        "this page would overwrite \(first)'s page at \(outputPath); it is not built",
                        at: identity.routeRange))
                continue
            }
            taken[outputPath] = file.displayPath
            let fileName = ((file.relativePath as NSString).lastPathComponent as NSString).deletingPathExtension
            let title =
                metadata.title ?? metadata.firstHeading ?? Self.humanize(PageIdentityName.strip(fileName))
            var folders = file.relativePath.split(separator: "/").dropLast().map(String.init)
            if roots.count > 1 { folders.insert(file.rootFolder, at: 0) }
            pages.append(
                SitePage(
                    file: file, result: result, outputPath: outputPath, title: title,
                    sidebarLabel: metadata.sidebarLabel ?? title, position: metadata.sidebarPosition,
                    folders: folders, docID: identity.id))
        }
        return pages
    }

    /// With several content folders, each one's pages live under a folder of
    /// the site: the folder's name, or its last two names when two share one
    /// (`amazon-s3-userguide/doc_source` beside `aws-kms-developer-guide/doc_source`).
    static func routeNames(roots: Set<String>) -> [String: String] {
        let last = Dictionary(grouping: roots) { ($0 as NSString).lastPathComponent }
        var names: [String: String] = [:]
        for root in roots {
            let name = (root as NSString).lastPathComponent
            let parent = ((root as NSString).deletingLastPathComponent as NSString).lastPathComponent
            names[root] = last[name]!.count > 1 && !parent.isEmpty ? parent + "/" + name : name
        }
        return names
    }

    /// The sidebar label of each content folder when there are several: the
    /// title of its index page, else its name as a route has it.
    static func rootLabels(_ pages: [SitePage]) -> [String: String] {
        let roots = Set(pages.map(\.file.rootFolder))
        guard roots.count > 1 else { return [:] }
        let names = routeNames(roots: roots)
        var labels: [String: String] = [:]
        for root in roots {
            let index = pages.first { page in
                page.file.rootFolder == root
                    && ["index", "readme"].contains(
                        (page.file.relativePath as NSString).deletingPathExtension.lowercased())
            }
            labels[root] = index?.title ?? humanize((names[root] ?? root).replacingOccurrences(of: "/", with: " › "))
        }
        return labels
    }

    static func humanize(_ name: String) -> String {
        let spaced = name.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
        return spaced.prefix(1).uppercased() + spaced.dropFirst()
    }

    // MARK: - Frame

    static func frame(
        page: SitePage, index: Int, article: RenderedGuide, findings: GuideFindings, navigation: SiteNavigation,
        options: SiteOptions
    ) -> String {
        let description = page.metadata.description ?? ""
        return options.theme.template.fill([
            "title": HTML.attribute(article.title),
            "site_title": HTML.attribute(options.site.title),
            "description": HTML.attribute(description),
            "root": HTML.attribute(page.root),
            "sidebar": navigation.sidebar(current: page.outputPath),
            "breadcrumbs": navigation.breadcrumbs(for: index, title: article.title),
            "content": article.body,
            "toc": toc(article.toc),
            "pager": navigation.pager(for: index),
            "provenance": provenance(page: page, options: options, checked: findings.status != .notChecked),
            "version": HTML.escape(options.version),
            "live_reload": options.liveReload,
        ])
    }

    static func toc(_ entries: [TOCEntry]) -> String {
        guard !entries.isEmpty else { return "" }
        return "<ul>"
            + entries.map { entry in
                "<li class=\"toc-level-\(entry.level)\"><a href=\"#\(HTML.attribute(entry.anchor))\">\(HTML.escape(entry.text))</a></li>"
            }.joined() + "</ul>"
    }

    /// `checked`: whether anything in the guide was checked ("Verified …", else "Built …").
    static func provenance(page: SitePage, options: SiteOptions, checked: Bool = true) -> String {
        let digest = page.metadata.sha256
        var html =
            "<p>\(checked ? "Verified" : "Built") \(timeElement(options.verifiedAt))"
        html +=
            " by kbtool \(HTML.escape(options.version)) · content sha256 <code title=\"\(digest)\">\(digest.prefix(12))</code>"
        if page.metadata.hasCustomEditURL {
            // Docusaurus's per-page override: a URL, or null for no link.
            if let url = page.metadata.customEditURL, SafeURL.isRemote(url), SafeURL.isSafeLink(url) {
                html +=
                    " · <a class=\"edit-link\" href=\"\(HTML.attribute(url))\" rel=\"noopener noreferrer\">Edit this page</a>"
            }
        } else if let repository = options.site.repository {
            let folder =
                options.site.contentPath
                ?? contentPath(root: page.file.rootFolder, configurationRoot: options.configurationRoot)
            let file = ([folder, page.file.relativePath].filter { !$0.isEmpty }).joined(separator: "/")
            let url =
                repository.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                + "/edit/\(options.site.branch)/\(file)"
            html +=
                " · <a class=\"edit-link\" href=\"\(HTML.attribute(url))\" rel=\"noopener noreferrer\">Edit this page</a>"
        }
        return html + "</p>"
    }

    static func contentPath(root: String, configurationRoot: String) -> String {
        root.hasPrefix(configurationRoot + "/")
            ? String(root.dropFirst(configurationRoot.count + 1)) : (root as NSString).lastPathComponent
    }

    /// `<time>` for the build's date. Every page shows the same date, and creating
    /// Foundation's formatters cost about a third of a small page's rendering (seen in
    /// the FuzzPage profile), so the element is made once per date and reused.
    static func timeElement(_ date: Date) -> String {
        if let kept = lastTimeElement.withLock({ $0 }), kept.date == date { return kept.html }
        let html = "<time datetime=\"\(iso(date))\">\(readable(date))</time>"
        lastTimeElement.withLock { $0 = (date, html) }
        return html
    }

    private static let lastTimeElement = Mutex<(date: Date, html: String)?>(nil)

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func readable(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMMM yyyy, HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}

/// Docusaurus's number-prefix rule for folder names (`01-setup` → `setup`).
enum PageIdentityName {
    static func strip(_ name: String) -> String {
        var rest = Substring(name)
        let digits = rest.prefix { $0.isNumber }
        guard !digits.isEmpty else { return name }
        rest = rest.dropFirst(digits.count)
        let separator = rest.prefix { $0 == "-" || $0 == "_" || $0 == " " || $0 == "." }
        guard !separator.isEmpty, rest.count > separator.count else { return name }
        return String(rest.dropFirst(separator.count))
    }
}

/// JSON for embedding, with sorted keys so the same data gives the same bytes.
enum SiteJSON {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
