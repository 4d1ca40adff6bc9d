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
            "<p>\(checked ? "Verified" : "Built") <time datetime=\"\(iso(options.verifiedAt))\">\(readable(options.verifiedAt))</time>"
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

    // MARK: - Index and claims

    /// A source URL as a reader scans it: host and the last part of the path.
    static func shortURL(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let host = SafeURL.host(of: url)
        let last = url[scheme.upperBound...].split(separator: "/").dropFirst().last.map(String.init) ?? ""
        return last.isEmpty ? host : "\(host) › \(last)"
    }

    static func indexPage(
        pages: [SitePage], tallies: [GuideTally], navigation: SiteNavigation, otherFindings: [Diagnostic],
        options: SiteOptions
    ) -> String {
        var body = "<h1>\(HTML.escape(options.site.title))</h1>\n"
        body +=
            "<p class=\"lead\">\(HomePage.summary(tallies: tallies)) The <a href=\"claims/index.html\">claims page</a> lists what the knowledge base holds true.</p>\n"
        body += HomePage.list(navigation: navigation, tallies: tallies)
        if !otherFindings.isEmpty {
            // Findings about the knowledge base's own files (claims.yml, kbtool.yml).
            body +=
                "<section class=\"page-findings\" aria-labelledby=\"kb-findings\"><h2 id=\"kb-findings\">Findings about the knowledge base's files</h2>"
            for finding in otherFindings {
                body +=
                    "<p class=\"finding-location\"><code>\(HTML.escape(finding.range.file)):\(finding.range.start.line):\(finding.range.start.column)</code></p>"
                body += FindingHTML.render(finding, block: true)
            }
            body += "</section>\n"
        }
        return options.theme.template.fill([
            "title": "Home", "site_title": HTML.attribute(options.site.title), "description": "",
            "root": "", "sidebar": navigation.sidebar(current: "index.html"),
            "breadcrumbs": "<ol><li aria-current=\"page\">Home</li></ol>", "content": body, "toc": "", "pager": "",
            "provenance":
                "<p>Verified <time datetime=\"\(iso(options.verifiedAt))\">\(readable(options.verifiedAt))</time> by kbtool \(HTML.escape(options.version))</p>",
            "version": HTML.escape(options.version), "live_reload": options.liveReload,
        ])
    }

    /// Served by static hosts (and `kbtool serve`) for any missing path, so its
    /// links start at the site's root rather than relative to one folder.
    static func notFoundPage(navigation: SiteNavigation, options: SiteOptions) -> String {
        let body =
            "<h1>Page not found</h1>\n<p>There is no page at this address. The <a href=\"/index.html\">index</a> lists every guide, and the search box finds actions and ARNs.</p>\n"
        let sidebar = navigation.sidebar(current: "index.html").replacingOccurrences(of: "href=\"", with: "href=\"/")
        return options.theme.template.fill([
            "title": "Page not found", "site_title": HTML.attribute(options.site.title), "description": "", "root": "/",
            "sidebar": sidebar, "breadcrumbs": "<ol><li><a href=\"/index.html\">Home</a></li></ol>", "content": body,
            "toc": "", "pager": "", "provenance": "", "version": HTML.escape(options.version),
            "live_reload": options.liveReload,
        ])
    }

    /// Whether the engine proved the claim in this run, or its source alone backs it.
    static func proofHTML(_ state: ProofState?, claim: Claim) -> String {
        switch state ?? (claim.probe == nil ? .documented : nil) {
        case .proved:
            return "<span class=\"badge proof-proved\">proved</span> its probe passed in the engine in this run"
        case .documented:
            return
                "<span class=\"badge proof-documented\">documented</span> no probe can express it; its source backs it"
        case .failed:
            return "<span class=\"badge proof-failed\">probe failed</span> the engine did not show it in this run"
        case nil:
            return "<span class=\"badge proof-failed\">not run</span> its probe did not run"
        }
    }

    static func claimsPage(
        report: VerificationReport, pages: [SitePage], navigation: SiteNavigation, byAbsolutePath: [String: Int],
        options: SiteOptions
    ) -> String {
        let here = "claims/index.html"
        var body =
            "<h1>Claims</h1>\n<p class=\"lead\">What this knowledge base holds true, outdated or false, each with its source and the guide section that demonstrates it. Facts in the guides are matched to these claims.</p>\n"
        for folder in report.claims.keys.sorted() {
            let claims = report.claims[folder] ?? []
            guard !claims.isEmpty else { continue }
            if report.claims.values.filter({ !$0.isEmpty }).count > 1 {
                body += "<h2>\(HTML.escape((folder as NSString).lastPathComponent))</h2>"
            }
            for claim in claims {
                let status = claim.status.rawValue
                body += "<article class=\"claim claim-\(status)\" id=\"claim-\(HTML.attribute(claim.id))\">"
                body +=
                    "<h2 class=\"claim-id\"><a class=\"hash-link\" href=\"#claim-\(HTML.attribute(claim.id))\" aria-label=\"Link to this claim\">#</a> \(HTML.escape(claim.id)) <span class=\"badge badge-claim status-\(status)\">\(status)</span></h2>"
                body += "<p class=\"claim-statement\">\(HTML.escape(claim.statement))</p>"
                if let now = claim.now {
                    body += "<p class=\"claim-now\"><strong>Now:</strong> \(HTML.escape(now))</p>"
                }
                body += "<dl class=\"claim-meta\">"
                body += "<dt>From</dt><dd class=\"claim-origin\">\(HTML.escape(claim.originDescription))</dd>"
                body +=
                    "<dt>Proof</dt><dd class=\"claim-proof\">\(Self.proofHTML(report.proofs[folder]?[claim.id], claim: claim))</dd>"
                if let since = claim.since { body += "<dt>Since</dt><dd>\(HTML.escape(since))</dd>" }
                if let source = claim.source {
                    body += "<dt>Source</dt><dd>"
                    if SafeURL.isRemote(source), SafeURL.isSafeLink(source) {
                        body +=
                            "<a href=\"\(HTML.attribute(source))\" rel=\"noopener noreferrer\">\(HTML.escape(Self.shortURL(source)))</a>"
                    } else {
                        body += HTML.escape(source)
                    }
                    body += "</dd>"
                }
                if let demonstration = claim.demonstration {
                    body += "<dt>Demonstration</dt><dd>"
                    let parts = demonstration.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                    let path = ((folder as NSString).appendingPathComponent(String(parts[0])) as NSString)
                        .standardizingPath
                    if let index = byAbsolutePath[path] {
                        let anchor = parts.count == 2 ? "#" + parts[1] : ""
                        let section = pages[index].metadata.headings.first { $0.id == anchor.dropFirst() }?.text
                        body +=
                            "<a href=\"\(HTML.attribute(SitePaths.link(from: here, to: pages[index].outputPath) + anchor))\">\(HTML.escape(pages[index].title))\(section.map { " › " + HTML.escape($0) } ?? "")</a>"
                    } else {
                        body += HTML.escape(demonstration)
                        if claim.origin == .builtIn { body += " (a guide of kbtool's own knowledge base)" }
                    }
                    body += "</dd>"
                }
                let stating = report.facts.filter { $0.claim == claim.id }
                let links = Set(
                    stating.compactMap { fact -> String? in
                        guard let page = pages.first(where: { $0.file.displayPath == fact.file }) else { return nil }
                        return
                            "<a href=\"\(HTML.attribute(SitePaths.link(from: here, to: page.outputPath)))\">\(HTML.escape(page.title))</a>"
                    })
                if !links.isEmpty {
                    body += "<dt>Stated in</dt><dd>" + links.sorted().joined(separator: "<br>") + "</dd>"
                }
                body += "</dl></article>\n"
            }
        }
        return options.theme.template.fill([
            "title": "Claims", "site_title": HTML.attribute(options.site.title), "description": "", "root": "../",
            "sidebar": navigation.sidebar(current: here),
            "breadcrumbs": SiteNavigation.breadcrumbs(current: here, trail: [], title: "Claims"), "content": body,
            "toc": "", "pager": "",
            "provenance":
                "<p>Verified <time datetime=\"\(iso(options.verifiedAt))\">\(readable(options.verifiedAt))</time> by kbtool \(HTML.escape(options.version))</p>",
            "version": HTML.escape(options.version), "live_reload": options.liveReload,
        ])
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
