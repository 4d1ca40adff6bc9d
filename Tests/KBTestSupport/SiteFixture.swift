import Foundation
import KBChecks
import KBDiagnostics
import KBSite

/// Builds a site from guides written to a temporary folder, with kbtool's
/// built-in theme and a fixed date, and hands back its files as text. The test
/// removes it with `remove()` when done.
public struct SiteFixture {
    /// The repository's theme folder (the source of the built-in theme), for
    /// tests about theme and output folders.
    public static let themeFolder = Fixtures.theme.path

    public var folder: URL
    public var files: [String: String] = [:]
    public var diagnostics: [String] = []
    public var report: VerificationReport?

    /// `guides` maps file names (may hold folders) to their text.
    public init(_ guides: [String: String], site: Configuration.Site = .init()) throws {
        folder = try TemporaryFolder("kbsite", files: guides.reduce(into: [:]) { $0["content/" + $1.key] = $1.value })
            .url
        try build(site: site)
    }

    /// Builds again from the same folder (after a test changed files in it).
    public init(rebuilding other: SiteFixture, site: Configuration.Site = .init()) throws {
        folder = other.folder
        try build(site: site)
    }

    private mutating func build(site: Configuration.Site) throws {
        let content = folder.appendingPathComponent("content")
        let inputs = try InputCollector.collect([content.path])
        let report = try Verifier().verify(inputs)
        self.report = report
        let options = SiteOptions(
            theme: try Theme.builtIn(), site: site, configurationRoot: folder.path,
            verifiedAt: Date(timeIntervalSince1970: 1_795_000_000), version: "test")
        let build = SiteBuilder.build(report, options: options)
        for file in build.files { files[file.path] = String(decoding: file.bytes, as: UTF8.self) }
        diagnostics = build.diagnostics.map { "\($0.range.start.line): \($0.rule.rawValue): \($0.message)" }
    }

    /// The `<article>`-level body of a page: between the page status and the
    /// verification sections, without the theme's frame.
    public func page(_ path: String) -> String { files[path] ?? "" }

    public func remove() { try? FileManager.default.removeItem(at: folder) }
}
