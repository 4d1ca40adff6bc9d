import Foundation
import KBChecks
import KBDiagnostics
import KBSite

/// Builds a site from guides written to a temporary folder, with kbtool's
/// built-in theme and a fixed date, and hands back its files as text.
struct SiteFixture {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let themeFolder = packageRoot.appendingPathComponent("site/theme").path

    var folder: URL
    var files: [String: String] = [:]
    var diagnostics: [String] = []
    var report: VerificationReport?

    /// `guides` maps file names (may hold folders) to their text.
    init(_ guides: [String: String], site: Configuration.Site = .init()) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kbsite-\(UUID().uuidString)")
        let content = folder.appendingPathComponent("content")
        for (name, text) in guides {
            let url = content.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try build(site: site)
    }

    /// Builds again from the same folder (after a test changed files in it).
    init(rebuilding other: SiteFixture, site: Configuration.Site = .init()) throws {
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
    func page(_ path: String) -> String { files[path] ?? "" }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
