import Crypto
import Foundation
import KBChecks
import KBDiagnostics
import KBGuide
import Synchronization

/// Rendered articles kept between builds in `.kbtool-cache/site/`, so that a
/// build right after `verify`, a warm rebuild, or `serve` after a one-guide
/// change renders only the guides whose article can have changed.
///
/// An article is kept under the SHA-256 of everything it is made from: kbtool
/// itself (the verification cache's key: version, binary, catalogue), the
/// site's settings that reach articles, the page's place in the site, where
/// every page of the site lives (links between guides), the guide's bytes, and
/// what verification found in it (findings, examples, facts, checked items).
/// A guide that links to a changed guide is re-rendered when its link findings
/// change or a page moves; an article is also dropped when a local file it
/// copied or embedded changed size or time. Anything unreadable is ignored:
/// the cache is never trusted over the files.
public final class ArticleCache: Sendable {
    static let formatVersion = "kbtool-article-cache 1"

    let folder: String
    let key: String
    /// Articles used or written in this build; the rest are removed at the end.
    private let used = Mutex<Set<String>>([])

    /// `folder`: `.kbtool-cache/site`; `key`: what every article depends on
    /// beyond its guide (kbtool's binary and catalogue).
    public init(folder: String, key: String) {
        self.folder = folder
        self.key = key
    }

    /// A file the page copied to `media/` (`target` set) or embedded, with
    /// how it looked, so a changed file re-renders the page.
    struct MediaFile: Codable, Sendable, Hashable {
        var source: String
        var target: String?
        var size: Int
        var modified: Double
    }

    struct Entry: Codable, Sendable {
        var format: String
        var title: String
        var body: String
        var toc: [TOCEntry]
        var sections: [SearchSection]
        var media: [MediaFile]
    }

    /// The fingerprint of one page's article.
    func fingerprint(page: SitePage, routes: String, rawHTML: Bool) -> String {
        var hash = SHA256()
        func add(_ text: String) {
            hash.update(data: Data(text.utf8))
            hash.update(data: [0])
        }
        add(Self.formatVersion)
        add(key)
        add(rawHTML ? "raw" : "safe")
        add(page.outputPath)
        add(page.title)
        add(routes)
        add(page.metadata.sha256)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let result = page.result
        for part in [
            try? encoder.encode(result.findings), try? encoder.encode(result.examples),
            try? encoder.encode(result.facts), try? encoder.encode(result.items),
        ] {
            hash.update(data: part ?? Data("unencodable".utf8))
            hash.update(data: [0])
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The fingerprint of where every page lives: a page moving changes every
    /// link to it.
    static func routes(_ pages: [SitePage]) -> String {
        var hash = SHA256()
        for page in pages.sorted(by: { $0.file.absolutePath < $1.file.absolutePath }) {
            hash.update(data: Data("\(page.file.absolutePath)\t\(page.outputPath)\n".utf8))
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }

    private func path(_ fingerprint: String) -> String {
        (folder as NSString).appendingPathComponent("articles/\(fingerprint).json")
    }

    /// The kept article, when its media files are as they were.
    func lookup(_ fingerprint: String) -> Entry? {
        guard let data = FileManager.default.contents(atPath: path(fingerprint)),
            let entry = try? JSONDecoder().decode(Entry.self, from: data), entry.format == Self.formatVersion,
            entry.media.allSatisfy({ Self.stat($0.source) == ($0.size, $0.modified) })
        else { return nil }
        used.withLock { _ = $0.insert(fingerprint) }
        return entry
    }

    func store(_ entry: Entry, as fingerprint: String) {
        used.withLock { _ = $0.insert(fingerprint) }
        let articles = (folder as NSString).appendingPathComponent("articles")
        try? FileManager.default.createDirectory(atPath: articles, withIntermediateDirectories: true)
        guard let data = try? JSONEncoder().encode(entry) else { return }
        try? data.write(to: URL(fileURLWithPath: path(fingerprint)), options: .atomic)
    }

    /// Removes the articles this build did not use (guides changed or gone).
    func prune() {
        let articles = (folder as NSString).appendingPathComponent("articles")
        let keep = used.withLock { $0 }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: articles)) ?? []
        where name.hasSuffix(".json") && !keep.contains(String(name.dropLast(5))) {
            try? FileManager.default.removeItem(atPath: (articles as NSString).appendingPathComponent(name))
        }
    }

    static func stat(_ path: String) -> (Int, Double) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (
            (attributes?[.size] as? NSNumber)?.intValue ?? -1,
            (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        )
    }
}
