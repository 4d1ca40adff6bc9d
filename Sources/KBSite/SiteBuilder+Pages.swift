import Foundation
import KBChecks
import KBDiagnostics
import KBFacts

/// The site's own pages: the home page (when no guide takes the root), the
/// 404 page and the claims page.
extension SiteBuilder {
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
                "<p>Verified \(timeElement(options.verifiedAt)) by kbtool \(HTML.escape(options.version))</p>",
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
                "<p>Verified \(timeElement(options.verifiedAt)) by kbtool \(HTML.escape(options.version))</p>",
            "version": HTML.escape(options.version), "live_reload": options.liveReload,
        ])
    }
}
