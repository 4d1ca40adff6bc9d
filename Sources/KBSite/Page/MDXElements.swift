import Foundation
import KBDiagnostics
import KBGuide

/// The MDX elements a guide's blocks sit between (``MDXContent/tags``), as HTML:
/// `<Tabs>`/`<TabItem>` become labelled sections in a `div.tabs`, which read
/// top to bottom without scripts and which the theme's script turns into tabs;
/// `<details>`/`<summary>` stay themselves. Any other component drops its tags
/// and keeps what it wraps, as the parser left it. Emitted only between the
/// page's top-level blocks, with every element closed by the end of the
/// article. Each element opened is pushed on the sanitiser's stack, so closing
/// it closes the raw HTML and admonitions opened inside it first, and the
/// markup always balances.
struct MDXElements {
    /// Block tags in document order, and how many were emitted.
    private let tags: [MDXTag]
    private var next = 0
    /// Open elements: the tag's name and the sanitiser's depth below it.
    private var open: [(name: String, depth: Int)] = []
    /// Per open `<Tabs>`, its `values` labels by value.
    private var tabLabels: [[String: String]] = []
    private let box: SanitizerBox

    init(_ content: MDXContent, sanitizer: SanitizerBox) {
        tags = content.tags.filter(\.isBlock)
        box = sanitizer
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
        if let outermost = open.first {
            html += box.sanitizer.close(downTo: outermost.depth) + "\n"
            open = []
            tabLabels = []
        }
        return html
    }

    private mutating func element(_ tag: MDXTag, inline: (String) -> String) -> String {
        switch tag.kind {
        case .close:
            guard let index = open.lastIndex(where: { $0.name == tag.name }) else { return "" }
            let html = box.sanitizer.close(downTo: open[index].depth) + "\n"
            while open.count > index {
                if open.removeLast().name == "Tabs" { tabLabels.removeLast() }
            }
            return html
        case .open, .selfClosing:
            let (opening, element) = markup(tag, inline: inline)
            guard let element else { return opening }
            if tag.kind == .selfClosing { return opening + "</\(element)>\n" }
            open.append((tag.name, box.sanitizer.depth))
            box.sanitizer.push(element)
            if tag.name == "Tabs" { tabLabels.append(Self.labels(tag.attribute("values"))) }
            return opening
        }
    }

    /// The HTML that opens the tag's element, and the element's name when it
    /// stays open; unknown components have neither.
    private func markup(_ tag: MDXTag, inline: (String) -> String) -> (String, String?) {
        switch tag.name {
        case "Tabs":
            let selected = tag.attribute("defaultValue")?.text.map { " data-default=\"\(HTML.attribute($0))\"" } ?? ""
            return ("<div class=\"tabs\"\(selected)>\n", "div")
        case "TabItem":
            let value = tag.attribute("value")?.text ?? ""
            let label = tag.attribute("label")?.text ?? tabLabels.last?[value] ?? (value.isEmpty ? "Tab" : value)
            let isDefault = tag.attribute("default")?.isTrue == true ? " data-default" : ""
            return (
                "<section class=\"tab-panel\" data-value=\"\(HTML.attribute(value))\"\(isDefault)><p class=\"tab-label\">\(HTML.escape(label))</p>\n",
                "section"
            )
        case "details":
            return ("<details class=\"details\">\n", "details")
        case "summary":
            if let text = tag.attribute("text")?.text { return ("<summary>\(inline(text))</summary>\n", nil) }
            return ("<summary>", "summary")
        default:
            // A component kbtool does not know: its tags go, its content stays.
            return ("", nil)
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
