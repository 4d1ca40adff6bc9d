import Foundation
import KBDiagnostics
import KBGuide

/// The MDX elements a guide's blocks sit between (``MDXContent/tags``), as HTML:
/// `<Tabs>`/`<TabItem>` become labelled sections in a `div.tabs`, which read
/// top to bottom without scripts and which the theme's script turns into tabs;
/// `<details>`/`<summary>` stay themselves. Any other component drops its tags
/// and keeps what it wraps, as the parser left it. Emitted only between the
/// page's top-level blocks, with every element closed by the end of the
/// article, so the markup always balances.
struct MDXElements {
    /// Block tags in document order, and how many were emitted.
    private let tags: [MDXTag]
    private var next = 0
    /// Open elements: the tag's name and the HTML that closes it.
    private var open: [(name: String, close: String)] = []
    /// Per open `<Tabs>`, its `values` labels by value.
    private var tabLabels: [[String: String]] = []

    init(_ content: MDXContent) {
        tags = content.tags.filter(\.isBlock)
    }

    /// HTML for the tags before `position`.
    mutating func emit(before position: SourcePosition, inline: (String) -> String) -> String {
        var html = ""
        while next < tags.count, tags[next].range.start < position {
            html += element(tags[next], inline: inline)
            next += 1
        }
        return html
    }

    /// The remaining tags, then whatever is still open.
    mutating func finish(inline: (String) -> String) -> String {
        var html = ""
        while next < tags.count {
            html += element(tags[next], inline: inline)
            next += 1
        }
        while let last = open.popLast() { html += last.close }
        return html
    }

    private mutating func element(_ tag: MDXTag, inline: (String) -> String) -> String {
        switch tag.kind {
        case .close:
            guard let index = open.lastIndex(where: { $0.name == tag.name }) else { return "" }
            var html = ""
            while open.count > index {
                let last = open.removeLast()
                if last.name == "Tabs" { tabLabels.removeLast() }
                html += last.close
            }
            return html
        case .open, .selfClosing:
            let (opening, closing) = markup(tag, inline: inline)
            if tag.kind == .open, !closing.isEmpty || !opening.isEmpty {
                open.append((tag.name, closing))
                if tag.name == "Tabs" { tabLabels.append(Self.labels(tag.attribute("values"))) }
                return opening
            }
            return opening + (tag.kind == .selfClosing ? closing : "")
        }
    }

    private func markup(_ tag: MDXTag, inline: (String) -> String) -> (String, String) {
        switch tag.name {
        case "Tabs":
            let selected = tag.attribute("defaultValue")?.text.map { " data-default=\"\(HTML.attribute($0))\"" } ?? ""
            return ("<div class=\"tabs\"\(selected)>\n", "</div>\n")
        case "TabItem":
            let value = tag.attribute("value")?.text ?? ""
            let label = tag.attribute("label")?.text ?? tabLabels.last?[value] ?? (value.isEmpty ? "Tab" : value)
            let isDefault = tag.attribute("default")?.isTrue == true ? " data-default" : ""
            return (
                "<section class=\"tab-panel\" data-value=\"\(HTML.attribute(value))\"\(isDefault)><p class=\"tab-label\">\(HTML.escape(label))</p>\n",
                "</section>\n"
            )
        case "details":
            return ("<details class=\"details\">\n", "</details>\n")
        case "summary":
            if let text = tag.attribute("text")?.text { return ("<summary>\(inline(text))</summary>\n", "") }
            return ("<summary>", "</summary>\n")
        default:
            // A component kbtool does not know: its tags go, its content stays.
            return ("", "")
        }
    }

    /// `values={[{label: 'Login', value: 'login'}, …]}`: labels by value.
    static func labels(_ attribute: MDXAttribute?) -> [String: String] {
        guard case .expression(let code)? = attribute?.value else { return [:] }
        var labels: [String: String] = [:]
        for object in code.split(separator: "{").dropFirst() {
            let body = object.prefix { $0 != "}" }
            var fields: [String: String] = [:]
            for pair in Self.pairs(String(body)) { fields[pair.0] = pair.1 }
            if let value = fields["value"] { labels[value] = fields["label"] ?? value }
        }
        return labels
    }

    /// `label: 'A, b', value: "x"` → [("label", "A, b"), ("value", "x")].
    static func pairs(_ text: String) -> [(String, String)] {
        var result: [(String, String)] = []
        var rest = Substring(text)
        while let colon = rest.firstIndex(of: ":") {
            let key = rest[..<colon].split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\t" })
                .last.map(String.init)?.trimmingCharacters(in: ["'", "\""])
            var after = rest[rest.index(after: colon)...].drop { $0 == " " || $0 == "\t" || $0 == "\n" }
            guard let quote = after.first, quote == "'" || quote == "\"" || quote == "`" else {
                rest = after
                continue
            }
            after = after.dropFirst()
            guard let end = after.firstIndex(of: quote) else { break }
            if let key { result.append((key, String(after[..<end]))) }
            rest = after[after.index(after: end)...]
        }
        return result
    }
}
