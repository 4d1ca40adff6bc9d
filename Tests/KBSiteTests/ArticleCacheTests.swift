import Foundation
import KBChecks
import KBSite
import KBTestSupport
import Synchronization
import Testing

/// The article cache renders only what changed: a warm rebuild keeps every
/// article and writes the same bytes; a changed guide, a guide whose link to
/// it broke, and a guide whose image changed are rendered again.
@Suite struct ArticleCacheTests {
    static let guides = [
        "content/a.md": "# A\n\nSee [the part](b.md#part) of B.\n",
        "content/b.md": "# B\n\n## Part\n\nText about `s3:GetObject`.\n",
        "content/c.md": "# C\n\n![A picture](pic.png)\n",
        "content/d.md": "# D\n\nNothing links here.\n",
    ]

    /// Verifies with the verification cache, as `kbtool build` does for a large
    /// site (guides the cache answers are not parsed, and checked ones are not
    /// kept: the site parses each guide it renders), and builds with the
    /// article cache.
    static func build(_ folder: TemporaryFolder) throws -> (files: [String: [UInt8]], kept: Int) {
        var verifier = Verifier()
        verifier.cacheFolder = folder.appendingPathComponent(".kbtool-cache").path
        verifier.keepsGuides = false
        verifier.parsesCachedGuides = false
        verifier.needsFullResults = true
        let report = try verifier.verify(InputCollector.collect([folder.appendingPathComponent("content").path]))
        var options = SiteOptions(
            theme: try Theme.builtIn(), site: .init(), configurationRoot: folder.path,
            verifiedAt: Date(timeIntervalSince1970: 1_795_000_000), version: "test")
        options.articleCache = ArticleCache(
            folder: folder.appendingPathComponent(".kbtool-cache/site").path, key: "test")
        let sink = MemorySinkForTests()
        let summary = try SiteBuilder.build(report, options: options, into: sink)
        #expect(summary.pages == 4)
        return (sink.files.withLock { $0 }, summary.keptArticles)
    }

    @Test func onlyWhatChangedIsRenderedAgain() throws {
        let folder = try TemporaryFolder("kbarticles", files: Self.guides)
        defer { folder.remove() }
        try folder.write("content/pic.png", Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]))
        let cold = try Self.build(folder)
        #expect(cold.kept == 0)
        #expect(cold.files["media/content/pic.png"] != nil)

        // Nothing changed: every article is kept, and the site is the same, media included.
        let warm = try Self.build(folder)
        #expect(warm.kept == 4)
        #expect(warm.files == cold.files)

        // B's heading renamed: B is rendered, and so is A, whose link to it broke; C and D are kept.
        try folder.write("content/b.md", Data("# B\n\n## Other\n\nText about `s3:GetObject`.\n".utf8))
        let changed = try Self.build(folder)
        #expect(changed.kept == 2)
        let a = String(decoding: changed.files["a/index.html"] ?? [], as: UTF8.self)
        #expect(a.contains("finding"), "A's page shows its broken link")
        #expect(changed.files["a/index.html"] != cold.files["a/index.html"])

        // The picture changed: C is rendered again and the new bytes are copied.
        Thread.sleep(forTimeInterval: 0.01)
        try folder.write("content/pic.png", Data([0x89, 0x50, 0x4E, 0x47, 9, 9, 9, 9]))
        let picture = try Self.build(folder)
        #expect(picture.kept == 3)
        #expect(picture.files["media/content/pic.png"] == [0x89, 0x50, 0x4E, 0x47, 9, 9, 9, 9])

        // Only the articles the last build used stay in the cache.
        let articles = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent(".kbtool-cache/site/articles").path)
        #expect(articles.count == 4)
    }

    /// Two guides with the same bytes share a kept result file; each keeps its
    /// own place in the site on a warm build.
    @Test func identicalGuidesKeepTheirOwnPages() throws {
        let text = "# Same\n\n## Part\n\nText about `s3:GetObject`.\n"
        let folder = try TemporaryFolder(
            "kbarticles", files: ["content/one/same.md": text, "content/two/same.md": text])
        defer { folder.remove() }
        for _ in 0..<2 {
            var verifier = Verifier()
            verifier.cacheFolder = folder.appendingPathComponent(".kbtool-cache").path
            verifier.keepsGuides = false
            verifier.parsesCachedGuides = false
            verifier.needsFullResults = true
            let report = try verifier.verify(InputCollector.collect([folder.appendingPathComponent("content").path]))
            #expect(Set(report.guides.map(\.identity.route)) == ["/one/same", "/two/same"])
            let options = SiteOptions(
                theme: try Theme.builtIn(), site: .init(), configurationRoot: folder.path,
                verifiedAt: Date(timeIntervalSince1970: 1_795_000_000), version: "test")
            let sink = MemorySinkForTests()
            let summary = try SiteBuilder.build(report, options: options, into: sink)
            #expect(summary.pages == 2 && summary.diagnostics.isEmpty)
        }
    }

    @Test func aDamagedArticleIsRenderedAgain() throws {
        let folder = try TemporaryFolder("kbarticles", files: Self.guides)
        defer { folder.remove() }
        let cold = try Self.build(folder)
        let articles = folder.appendingPathComponent(".kbtool-cache/site/articles")
        for name in try FileManager.default.contentsOfDirectory(atPath: articles.path) {
            try Data("{not json".utf8).write(to: articles.appendingPathComponent(name))
        }
        let again = try Self.build(folder)
        #expect(again.kept == 0)
        #expect(again.files == cold.files)
    }
}

/// The site's files in memory, as ``SiteBuilder/build(_:options:into:)`` writes them.
final class MemorySinkForTests: SiteSink {
    let files = Mutex<[String: [UInt8]]>([:])
    func write(_ path: String, _ bytes: [UInt8]) throws(SiteError) { files.withLock { $0[path] = bytes } }
}
