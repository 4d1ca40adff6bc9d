/// Lets a guide's raw HTML through only as an allowlist of inert elements and
/// attributes (used when `kbtool.yml` sets `site.raw_html: true`).
///
/// Scripts, styles, frames, forms and SVG are dropped with their content; any
/// other unknown tag is dropped but its text kept; event handlers, `style` and
/// unsafe URLs never pass. Elements left open are tracked across the HTML
/// fragments of one container (a `<details>` opened in one block and closed in a
/// later one); what a container leaves open is closed when it ends, so a guide's
/// markup can never close the page's own elements. The renderer's own elements
/// around guide content (admonitions, MDX tabs and details) are kept on the same
/// stack (``push(_:)``), so whichever closes first closes what was opened inside
/// it, and a guide's end tag never closes one of them.
public struct HTMLSanitizer {
    static let allowedTags: Set<String> = [
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "div", "dl", "dt",
        "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
        "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
    ]
    /// Dropped together with everything inside them.
    static let droppedWithContent: Set<String> = [
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "template", "noscript",
        "textarea", "title", "svg", "math", "select", "xmp", "noembed", "noframes", "plaintext", "head",
    ]
    static let voidTags: Set<String> = ["br", "hr", "img"]
    /// Ids the page frame uses; a guide's element with one of them is renamed.
    public static let reservedIDs: Set<String> = [
        "content", "sidebar", "search-input", "search-results", "theme-toggle", "request-explorer",
        "cross-account-flow", "page-findings", "top",
    ]
    /// Roles that make an element a landmark, as the frame's header, nav, main,
    /// aside and footer are.
    static let landmarkRoles: Set<String> = [
        "banner", "navigation", "main", "contentinfo", "complementary", "search", "region", "form", "application",
    ]

    /// The id a guide's element or heading gets: its own, unless the page frame uses it.
    public static func pageID(_ id: String) -> String {
        reservedIDs.contains(id) ? "user-content-" + id : id
    }
    static let globalAttributes: Set<String> = ["id", "class", "title", "lang", "dir", "aria-label", "role"]
    static let tagAttributes: [String: Set<String>] = [
        "a": ["href", "name"], "img": ["src", "alt", "width", "height"], "td": ["colspan", "rowspan", "align"],
        "th": ["colspan", "rowspan", "align", "scope"], "ol": ["start", "type"], "details": ["open"],
        "time": ["datetime"], "q": ["cite"], "blockquote": ["cite"],
    ]

    /// Elements opened and not yet closed, innermost last; `raw` when the guide's
    /// markup opened it, not the renderer.
    private var open: [(name: String, raw: Bool)] = []
    /// How many open elements the current run (a container's blocks, a
    /// paragraph's inline content) is nested in: its end tags cannot close
    /// those, since the renderer's `<blockquote>` or `<p>` stands between.
    public var floor = 0
    /// Inside an element dropped with its content: its name.
    private var skipping: String?

    public init() {}

    /// The fragment with only allowed markup; text is kept and escaped.
    /// `resolve` maps a kept `href`/`src` (already checked safe) to its final form.
    public mutating func sanitize(_ html: String, resolve: (String, _ isImage: Bool) -> String? = { u, _ in u })
        -> String
    {
        var output = ""
        let scalars = Array(html.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "<" else {
                var end = index
                while end < scalars.count, scalars[end] != "<" { end += 1 }
                if skipping == nil {
                    var run = ""
                    run.unicodeScalars.append(contentsOf: scalars[index..<end])
                    output += HTMLEntities.escapeKeepingReferences(run)
                }
                index = end
                continue
            }
            guard let tag = HTMLTagScanner.scan(scalars, at: index) else {
                if skipping == nil { output += "&lt;" }
                index += 1
                continue
            }
            index = tag.end
            switch tag.kind {
            case .comment:
                continue
            case .end(let name):
                if let skipped = skipping {
                    if skipped == name { skipping = nil }
                    continue
                }
                // Only the guide's own elements, and none of the renderer's inside them.
                guard let position = open.lastIndex(where: { $0.name == name && $0.raw }), position >= floor,
                    open[position...].allSatisfy(\.raw)
                else { continue }
                for inner in open[position...].reversed() { output += "</\(inner.name)>" }
                open.removeSubrange(position...)
            case .start(let name, let attributes, let selfClosing):
                guard skipping == nil else { continue }
                if Self.droppedWithContent.contains(name) {
                    if !selfClosing { skipping = name }
                    continue
                }
                guard Self.allowedTags.contains(name) else { continue }
                output += "<" + name
                for (attribute, value) in attributes {
                    guard let kept = keep(attribute, value, on: name, resolve: resolve) else { continue }
                    output += " \(attribute)=\"\(HTML.attribute(kept))\""
                }
                if name == "a", attributes.contains(where: { $0.0 == "href" && SafeURL.isRemote($0.1) }) {
                    output += " rel=\"noopener noreferrer\""
                }
                output += ">"
                // `<div/>` is an open `<div>` to a browser; MDX means an empty one.
                if !Self.voidTags.contains(name) {
                    if selfClosing { output += "</\(name)>" } else { open.append((name, true)) }
                }
            }
        }
        return output
    }

    /// How many elements are open: a container notes it on entry…
    public var depth: Int { open.count }

    /// Whether the sanitizer is inside an element dropped with its content: text
    /// between raw tags (in a paragraph) must be dropped too.
    public var isSkipping: Bool { skipping != nil }

    /// Ends a run of fragments (a paragraph, an HTML block): an element dropped
    /// with its content and never closed does not swallow what follows.
    public mutating func endRun() {
        skipping = nil
    }

    /// …and closes what it opened on exit.
    public mutating func close(downTo depth: Int) -> String {
        skipping = nil
        guard open.count > depth else { return "" }
        defer { open.removeSubrange(depth...) }
        return open[depth...].reversed().map { "</\($0.name)>" }.joined()
    }

    /// Closes what the page's fragments left open.
    public mutating func finish() -> String {
        defer {
            open = []
            skipping = nil
        }
        return open.reversed().map { "</\($0.name)>" }.joined()
    }

    /// An element the renderer opened around guide content (an admonition's
    /// `<aside>`, a tab's `<section>`): closed by ``close(downTo:)`` with what
    /// the guide opened inside it, never by the guide's end tags.
    public mutating func push(_ name: String) {
        open.append((name, false))
    }

    /// Closes the renderer's innermost open `name` and what was opened inside it
    /// (the end tags, innermost first); a dropped element's content is still skipped.
    public mutating func closeElement(_ name: String) -> String {
        guard let position = open.lastIndex(where: { $0.name == name && !$0.raw }) else { return "</\(name)>" }
        defer { open.removeSubrange(position...) }
        return open[position...].reversed().map { "</\($0.name)>" }.joined()
    }

    private func keep(
        _ attribute: String, _ value: String, on tag: String, resolve: (String, Bool) -> String?
    ) -> String? {
        guard Self.globalAttributes.contains(attribute) || Self.tagAttributes[tag]?.contains(attribute) == true else {
            return nil
        }
        switch attribute {
        case "href", "src", "cite":
            guard SafeURL.isSafeLink(value) else { return nil }
            return resolve(value, attribute == "src")
        case "id", "name":
            // A guide keeps its ids (links reach them), but cannot take over the page's own.
            return Self.pageID(value)
        case "role":
            // Landmarks are the frame's: a guide's `role="main"` would be a second one.
            let roles = value.lowercased().split(whereSeparator: \.isWhitespace)
            return roles.contains { Self.landmarkRoles.contains(String($0)) } ? nil : value
        default:
            return value
        }
    }
}

/// Reads one tag, comment or declaration starting at `<`, as an HTML tokenizer
/// would in the data state; nil when the `<` is plain text.
enum HTMLTagScanner {
    enum Kind {
        case start(String, [(String, String)], selfClosing: Bool)
        case end(String)
        case comment
    }

    struct Tag {
        var kind: Kind
        /// Index just past the tag.
        var end: Int
    }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && scalar.properties.isAlphabetic
    }

    static func scan(_ s: [Unicode.Scalar], at start: Int) -> Tag? {
        var i = start + 1
        guard i < s.count else { return nil }
        if s[i] == "!" || s[i] == "?" {
            // Comments, doctypes, CDATA and processing instructions are all dropped.
            if s.count >= i + 3, s[i + 1] == "-", s[i + 2] == "-" {
                var j = i + 3
                while j + 2 < s.count, !(s[j] == "-" && s[j + 1] == "-" && s[j + 2] == ">") { j += 1 }
                return Tag(kind: .comment, end: min(j + 3, s.count))
            }
            while i < s.count, s[i] != ">" { i += 1 }
            return Tag(kind: .comment, end: min(i + 1, s.count))
        }
        var closing = false
        if s[i] == "/" {
            closing = true
            i += 1
        }
        guard i < s.count, isLetter(s[i]) else { return nil }
        var name = ""
        while i < s.count, !s[i].properties.isWhitespace, s[i] != "/", s[i] != ">" {
            name.unicodeScalars.append(s[i])
            i += 1
        }
        name = name.lowercased()
        var attributes: [(String, String)] = []
        var selfClosing = false
        while i < s.count {
            while i < s.count, s[i].properties.isWhitespace || s[i] == "/" {
                if s[i] == "/" { selfClosing = true }
                i += 1
            }
            guard i < s.count else { break }
            if s[i] == ">" {
                i += 1
                return Tag(kind: closing ? .end(name) : .start(name, attributes, selfClosing: selfClosing), end: i)
            }
            selfClosing = false
            var attribute = ""
            while i < s.count, !s[i].properties.isWhitespace, !"/>=".unicodeScalars.contains(s[i]) {
                attribute.unicodeScalars.append(s[i])
                i += 1
            }
            while i < s.count, s[i].properties.isWhitespace { i += 1 }
            var value = ""
            if i < s.count, s[i] == "=" {
                i += 1
                while i < s.count, s[i].properties.isWhitespace { i += 1 }
                if i < s.count, s[i] == "\"" || s[i] == "'" {
                    let quote = s[i]
                    i += 1
                    while i < s.count, s[i] != quote {
                        value.unicodeScalars.append(s[i])
                        i += 1
                    }
                    i += 1
                } else {
                    while i < s.count, !s[i].properties.isWhitespace, s[i] != ">" {
                        value.unicodeScalars.append(s[i])
                        i += 1
                    }
                }
            }
            if attribute.isEmpty {
                // A stray character (e.g. a lone '=' or '"'): skip it rather than loop.
                i += 1
                continue
            }
            attributes.append((attribute.lowercased(), HTMLEntities.decode(value)))
        }
        // An unterminated tag swallows the rest, as a browser's tokenizer would.
        return Tag(kind: .comment, end: s.count)
    }
}

/// Decodes the character references an attribute value may hold, so a
/// `&#106;avascript:` href is seen for what it is.
enum HTMLEntities {
    /// Text for the page: `<` and `>` escaped, a well-formed character reference
    /// (`&mdash;`, `&#8212;`, `&#x2014;`) kept for the browser to decode, any
    /// other `&` escaped.
    static func escapeKeepingReferences(_ text: String) -> String {
        var result = ""
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\u{0}": result += "\u{FFFD}"
            case "&":
                var end = index + 1
                if end < scalars.count, scalars[end] == "#" { end += 1 }
                if end < scalars.count, scalars[index + 1] == "#", scalars[end] == "x" || scalars[end] == "X" {
                    end += 1
                }
                let start = end
                while end < scalars.count, end - start < 32, scalars[end].isASCII,
                    scalars[end].properties.isAlphabetic || ("0"..."9").contains(scalars[end])
                {
                    end += 1
                }
                if end > start, end < scalars.count, scalars[end] == ";" {
                    result.unicodeScalars.append(contentsOf: scalars[index...end])
                    index = end + 1
                    continue
                }
                result += "&amp;"
            default: result.unicodeScalars.append(scalar)
            }
            index += 1
        }
        return result
    }

    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "colon": ":", "tab": "\t",
        "newline": "\n",
    ]

    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var scalars = Substring(text).unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "&" else {
                result.unicodeScalars.append(scalar)
                continue
            }
            var name = ""
            var lookahead = scalars
            while let next = lookahead.first, next != ";", name.unicodeScalars.count < 12,
                next.isASCII,
                next.properties.isAlphabetic || ("0"..."9").contains(next) || next == "#" || next == "x" || next == "X"
            {
                name.unicodeScalars.append(next)
                lookahead.removeFirst()
            }
            var decoded: String?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
            } else if name.hasPrefix("#") {
                decoded = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
            } else {
                decoded = named[name.lowercased()]
            }
            guard let decoded else {
                result.unicodeScalars.append(scalar)
                continue
            }
            result += decoded
            scalars = lookahead
            if scalars.first == ";" { scalars.removeFirst() }
        }
        return result
    }
}
