import Foundation
import KBChecks
import KBSite

/// Builds the site of one guide held in memory, the way `kbtool build` does
/// (verification, then ``SiteBuilder`` with kbtool's built-in theme and
/// `site.raw_html: true`), and judges every page with a ``PageOracle`` learnt
/// from the site of an empty guide. For the sanitiser's fuzz target and the
/// unit tests that run its oracle over hostile inputs.
public struct GuideSite: Sendable {
    let options: SiteOptions
    let oracle: PageOracle
    static let folder = "/nonexistent-kbtool-oracle/content"

    public init() throws {
        var site = Configuration.Site()
        site.rawHTML = true
        options = SiteOptions(
            theme: try Theme.builtIn(), site: site, configurationRoot: "/nonexistent-kbtool-oracle",
            verifiedAt: Date(timeIntervalSince1970: 1_795_000_000), version: "oracle")
        oracle = PageOracle(emptyPage: Self.build([], options: options).guidePage ?? "")
    }

    /// The site's pages by path, and the guide's own page.
    public struct Pages: Sendable {
        public var html: [String: String]
        public var guidePath: String?
        public var guidePage: String? { guidePath.flatMap { html[$0] } }
    }

    static func build(_ bytes: [UInt8], options: SiteOptions) -> Pages {
        let file = InputFile(
            displayPath: "content/guide.md", absolutePath: folder + "/guide.md", relativePath: "guide.md",
            root: "content")
        let report = Verifier().verify(guide: file, bytes: bytes)
        var html: [String: String] = [:]
        for file in SiteBuilder.build(report, options: options).files where file.path.hasSuffix(".html") {
            html[file.path] = String(decoding: file.bytes, as: UTF8.self)
        }
        let own = html.keys.filter { !["index.html", "404.html", "claims/index.html"].contains($0) }
        // A guide whose slug is `/` is the home page.
        return Pages(html: html, guidePath: own.count == 1 ? own.first : (own.isEmpty ? "index.html" : nil))
    }

    /// The site of a guide's bytes.
    public func pages(_ bytes: [UInt8]) -> Pages { Self.build(bytes, options: options) }

    /// What is wrong with each page of the guide's site, by path (clean pages left out).
    public func violations(_ bytes: [UInt8]) -> [String: [PageOracle.Violation]] {
        var found: [String: [PageOracle.Violation]] = [:]
        for (path, page) in pages(bytes).html {
            let problems = oracle.violations(in: page)
            if !problems.isEmpty { found[path] = problems }
        }
        return found
    }

    public func violations(_ markdown: String) -> [String: [PageOracle.Violation]] {
        violations(Array(markdown.utf8))
    }
}
