/// The client-side search index: one entry per section of each page (title,
/// heading, the first words of its text, the actions and ARNs it names), written
/// as scripts that set globals, so it loads lazily from `file://` too (where
/// Chromium refuses `fetch()`).
///
/// A small site's index is one script, `assets/search-index.js`. A large one's
/// is split by section of the sidebar into shards of bounded size under
/// `assets/search/`, which `search-index.js` lists with the folders each
/// covers: the theme's script loads the shard of the reader's own section
/// first and answers from what has arrived while the rest load.
enum SearchIndex {
    /// Text kept per section: enough to match and to show a snippet.
    static let textLimit = 280
    /// Bounds of one script: an index within both is not split.
    static let shardEntries = 1_000
    static let shardBytes = 256 * 1024

    struct Entry: Encodable {
        var t: String
        var h: String
        var u: String
        var x: String
        var k: String
    }

    struct Index: Encodable {
        var docs: [Entry]
    }

    /// `assets/search-index.js`, and the shards when there are several, by site path.
    static func files(
        pages: [SitePage], articles: [(index: Int, title: String, sections: [SearchSection])],
        navigation: SiteNavigation, maxEntries: Int = shardEntries, maxBytes: Int = shardBytes
    ) -> [(path: String, text: String)] {
        // Sidebar order, so that a section's pages share shards.
        let byPage = Dictionary(articles.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        let ordered =
            navigation.order.compactMap { byPage[$0] }
            + articles.filter { !Set(navigation.order).contains($0.index) }
        var groups: [(key: String, folders: [String], docs: [String])] = []
        for article in ordered {
            let page = pages[article.index]
            let key = navigation.tree.trails[article.index]?.first ?? ""
            // The first folder of the page's path, as the sidebar's data-current names it.
            let folder = String(page.outputPath.split(separator: "/").first ?? "")
            let docs = entries(page: page, title: article.title, sections: article.sections).map(SiteJSON.encode)
            if let last = groups.last, last.key == key {
                groups[groups.count - 1].docs += docs
                if !groups[groups.count - 1].folders.contains(folder) {
                    groups[groups.count - 1].folders.append(folder)
                }
            } else {
                groups.append((key, [folder], docs))
            }
        }
        let all = groups.flatMap(\.docs)
        let total = all.reduce(0) { $0 + $1.utf8.count + 1 }
        guard all.count > maxEntries || total > maxBytes else {
            return [("assets/search-index.js", "window.KBTOOL_SEARCH_INDEX = \(script(all));\n")]
        }
        // Shards: a section starts a new one unless it fits in the last; a
        // section larger than a shard is split.
        var shards: [(docs: [String], bytes: Int, folders: [String])] = []
        func fits(_ count: Int, _ bytes: Int) -> Bool {
            guard let last = shards.last else { return false }
            return last.docs.count + count <= maxEntries && last.bytes + bytes <= maxBytes
        }
        for group in groups {
            let groupBytes = group.docs.reduce(0) { $0 + $1.utf8.count + 1 }
            if !fits(group.docs.count, groupBytes) { shards.append(([], 0, [])) }
            for doc in group.docs {
                let size = doc.utf8.count + 1
                if !fits(1, size), shards[shards.count - 1].docs.count > 0 { shards.append(([], 0, [])) }
                shards[shards.count - 1].docs.append(doc)
                shards[shards.count - 1].bytes += size
                for folder in group.folders where !shards[shards.count - 1].folders.contains(folder) {
                    shards[shards.count - 1].folders.append(folder)
                }
            }
        }
        var files: [(path: String, text: String)] = []
        var manifest: [Shard] = []
        for (number, shard) in shards.enumerated() {
            let path = "search/\(number).js"
            manifest.append(Shard(u: path, f: shard.folders))
            files.append(
                (
                    "assets/" + path,
                    "(window.KBTOOL_SEARCH_SHARDS = window.KBTOOL_SEARCH_SHARDS || {})[\(number)] = \(script(shard.docs));\n"
                ))
        }
        let list = HTML.scriptJSON(SiteJSON.encode(Manifest(shards: manifest)))
        files.insert(("assets/search-index.js", "window.KBTOOL_SEARCH_INDEX = \(list);\n"), at: 0)
        return files
    }

    struct Shard: Encodable {
        /// The shard's path under `assets/`.
        var u: String
        /// The site's top folders whose pages it holds.
        var f: [String]
    }

    struct Manifest: Encodable {
        var shards: [Shard]
    }

    /// `{"docs":[…]}` from encoded entries, safe inside a script.
    static func script(_ docs: [String]) -> String {
        HTML.scriptJSON("{\"docs\":[" + docs.joined(separator: ",") + "]}")
    }

    static func entries(page: SitePage, title: String, sections: [SearchSection]) -> [Entry] {
        sections.map { section in
            var text = section.text
            if text.count > textLimit {
                text = String(text.prefix(textLimit))
                if let space = text.lastIndex(of: " ") { text = String(text[..<space]) }
                text += "…"
            }
            return Entry(
                t: title, h: section.heading,
                u: SitePaths.href(page.outputPath) + (section.anchor.isEmpty ? "" : "#" + section.anchor),
                x: text,
                k: section.keywords.joined(separator: " "))
        }
    }
}
