import Foundation
import KBGuide

/// Renders a paragraph's or heading's inline events. Link targets are checked and
/// resolved by the page (a guide's `other.md#x` becomes that page's URL); an unsafe
/// target (`javascript:`) keeps its text and loses the link.
struct InlineRenderer {
    /// A safe link target's final form, or nil to drop the link.
    var resolveLink: (String) -> String?
    /// A local image's URL in the site, or nil when it is remote (shown as a link).
    var resolveImage: (String) -> String?
    /// Raw inline HTML, sanitised, or nil to omit it.
    var rawHTML: (String) -> String?
    /// True while text must be dropped (inside a `<script>` the sanitiser removes).
    var suppressText: () -> Bool = { false }
    /// The renderer opened an element (`em`, `a`…) around inline content…
    var opened: (String) -> Void = { _ in }
    /// …and closes it: its end tag, after whatever raw HTML opened inside it.
    var closed: (String) -> String = { "</\($0)>" }

    func render(_ nodes: [InlineNode]) -> String {
        var html = ""
        // Links whose target was refused: their exit emits nothing.
        var linkOpen: [Bool] = []
        // Inside an image, the text becomes its alt attribute.
        var image: (source: String, title: String, alt: String)?
        var imageDepth = 0
        for node in nodes {
            if image != nil {
                switch node {
                case .text(let text), .code(let text): image?.alt += text
                case .softBreak, .lineBreak: image?.alt += " "
                case .enterImage: imageDepth += 1
                case .exitImage where imageDepth > 0: imageDepth -= 1
                case .exitImage:
                    if let done = image { html += renderImage(done.source, title: done.title, alt: done.alt) }
                    image = nil
                default: break
                }
                continue
            }
            if suppressText() {
                // Text inside a dropped element goes; the structure around it stays.
                switch node {
                case .text, .code, .softBreak, .lineBreak: continue
                case .html(let raw):
                    _ = rawHTML(raw)
                    continue
                default: break
                }
            }
            switch node {
            case .text(let text): html += Strikethrough.render(text, autolinks: linkOpen.isEmpty)
            case .code(let text): html += "<code>\(HTML.escape(text))</code>"
            case .softBreak: html += "\n"
            case .lineBreak: html += "<br>\n"
            case .html(let raw): html += rawHTML(raw) ?? ""
            case .enterEmphasis:
                html += "<em>"
                opened("em")
            case .exitEmphasis: html += closed("em")
            case .enterStrong:
                html += "<strong>"
                opened("strong")
            case .exitStrong: html += closed("strong")
            case .enterLink(let destination, let title):
                guard SafeURL.isSafeLink(destination) else {
                    linkOpen.append(false)
                    html += "<span class=\"link-refused\" title=\"link removed: unsafe target\">"
                    opened("span")
                    continue
                }
                guard let href = resolveLink(destination) else {
                    linkOpen.append(false)
                    html += "<span class=\"link-broken\" title=\"link removed: its target is not in the site\">"
                    opened("span")
                    continue
                }
                linkOpen.append(true)
                var tag = "<a href=\"\(HTML.attribute(href))\""
                if !title.isEmpty { tag += " title=\"\(HTML.attribute(title))\"" }
                if SafeURL.isRemote(destination) { tag += " rel=\"noopener noreferrer\"" }
                html += tag + ">"
                opened("a")
            case .exitLink:
                html += closed(linkOpen.popLast() == true ? "a" : "span")
            case .enterImage(let destination, let title):
                image = (destination, title, "")
                imageDepth = 0
            case .exitImage:
                break
            }
        }
        for open in linkOpen.reversed() { html += closed(open ? "a" : "span") }
        return html
    }

    /// A local image is shown from the site's copy; a remote one stays a link to
    /// its source, so the page makes no external request.
    func renderImage(_ source: String, title: String, alt: String) -> String {
        let label = alt.isEmpty ? "image" : alt
        guard SafeURL.isSafeLink(source) else { return HTML.escape(label) }
        if SafeURL.isRemote(source) {
            return "<a class=\"remote-image\" href=\"\(HTML.attribute(source))\" rel=\"noopener noreferrer\">"
                + "\(HTML.escape(label)) <span class=\"remote-image-note\">(image at \(HTML.escape(SafeURL.host(of: source))))</span></a>"
        }
        guard let url = resolveImage(source) else { return HTML.escape(label) }
        var tag = "<img src=\"\(HTML.attribute(url))\" alt=\"\(HTML.attribute(alt))\" loading=\"lazy\""
        if !title.isEmpty { tag += " title=\"\(HTML.attribute(title))\"" }
        return tag + ">"
    }
}

/// `~~text~~` within one run of text, as GitHub and Docusaurus show it struck out.
enum Strikethrough {
    /// `autolinks`: bare URLs become links (not inside a link).
    static func render(_ text: String, autolinks: Bool = false) -> String {
        let plain: (Substring) -> String = { autolinks ? Autolink.render($0) : HTML.escape($0) }
        guard text.contains("~~") else { return plain(Substring(text)) }
        var html = ""
        var rest = Substring(text)
        while let open = rest.range(of: "~~"),
            let close = rest.range(of: "~~", range: open.upperBound..<rest.endIndex),
            close.lowerBound > open.upperBound
        {
            html += plain(rest[..<open.lowerBound])
            html += "<del>\(plain(rest[open.upperBound..<close.lowerBound]))</del>"
            rest = rest[close.upperBound...]
        }
        return html + plain(rest)
    }
}

/// GitHub's extended autolinks, which Docusaurus renders too: `https://…`,
/// `http://…` and `www.…` in text become links. A link starts at the text's
/// start or after a space or `*`, `_`, `~`, `(`; it ends at a space or `<`, and
/// loses trailing `?!.,:*_~'"` and any `)` it does not balance.
enum Autolink {
    static func render(_ text: Substring) -> String {
        guard text.contains("http") || text.contains("www.") else { return HTML.escape(text) }
        var html = ""
        var index = text.startIndex
        var plainStart = index
        while index < text.endIndex {
            let atBoundary =
                index == text.startIndex
                || text[text.index(before: index)].isWhitespace
                || "*_~(".contains(text[text.index(before: index)])
            if atBoundary, let end = linkEnd(text, from: index) {
                let link = text[index..<end]
                let href = link.hasPrefix("www.") ? "http://" + link : String(link)
                html += HTML.escape(text[plainStart..<index])
                html +=
                    "<a href=\"\(HTML.attribute(href))\" rel=\"noopener noreferrer\">\(HTML.escape(link))</a>"
                index = end
                plainStart = end
                continue
            }
            index = text.index(after: index)
        }
        return html + HTML.escape(text[plainStart...])
    }

    /// Where a link starting at `start` ends, or nil when none starts there.
    static func linkEnd(_ text: Substring, from start: Substring.Index) -> Substring.Index? {
        let rest = text[start...]
        let schemes = ["https://", "http://", "www."]
        guard let scheme = schemes.first(where: { rest.lowercased().hasPrefix($0) }) else { return nil }
        var end = rest.firstIndex { $0.isWhitespace || $0 == "<" } ?? rest.endIndex
        // Trailing punctuation is the sentence's, not the link's.
        while end > start {
            let last = text[text.index(before: end)]
            if "?!.,:*_~'\"".contains(last) {
                end = text.index(before: end)
            } else if last == ")",
                text[start..<end].filter({ $0 == ")" }).count > text[start..<end].filter({ $0 == "(" }).count
            {
                end = text.index(before: end)
            } else {
                break
            }
        }
        // The domain: at least one character after the scheme, with a dot for www. and no underscore.
        let hostStart = text.index(start, offsetBy: scheme.count)
        guard hostStart < end else { return nil }
        let host = text[hostStart..<end].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty, host.contains(".") || scheme != "www.",
            host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == ":" })
        else { return nil }
        return end
    }
}
