/// The client-side search index: one entry per section of each page (title,
/// heading, the first words of its text, the actions and ARNs it names), written
/// as a script that sets a global, so it loads lazily from `file://` too.
enum SearchIndex {
    /// Text kept per section: enough to match and to show a snippet.
    static let textLimit = 280

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

    static func script(pages: [SitePage], articles: [(index: Int, title: String, sections: [SearchSection])])
        -> String
    {
        var docs: [Entry] = []
        for article in articles {
            let page = pages[article.index]
            for section in article.sections {
                var text = section.text
                if text.count > textLimit {
                    text = String(text.prefix(textLimit))
                    if let space = text.lastIndex(of: " ") { text = String(text[..<space]) }
                    text += "…"
                }
                docs.append(
                    Entry(
                        t: article.title, h: section.heading,
                        u: SitePaths.href(page.outputPath) + (section.anchor.isEmpty ? "" : "#" + section.anchor),
                        x: text,
                        k: section.keywords.joined(separator: " ")))
            }
        }
        return "window.KBTOOL_SEARCH_INDEX = \(HTML.scriptJSON(SiteJSON.encode(Index(docs: docs))));\n"
    }
}
