/// Judges a page kbtool built from an untrusted guide against the page of an
/// empty guide (the frame: what the theme alone puts there). A page fails when
///
/// - it runs a script the frame does not (`<script>` not from the theme);
/// - any element has an event handler (`on*`), `srcdoc` or `http-equiv`, or a
///   `style` that runs code;
/// - a URL attribute's scheme is `javascript:`, `vbscript:` or `data:` (a
///   `data:` image excepted), read as a browser reads it;
/// - the article holds an element that loads, embeds or swallows markup
///   (`<iframe>`, `<base>`, `<textarea>`, `<svg>`…), a landmark of the frame's
///   kinds, or an id the frame uses;
/// - the markup does not nest (an end tag that is not the innermost open
///   element's, an element left open), so the elements the guide opens balance
///   inside the article and never close or reopen the theme's;
/// - the landmarks outside the article differ from the frame's.
public struct PageOracle: Sendable {
    public struct Violation: Sendable, CustomStringConvertible, Equatable {
        public var message: String
        /// Byte offset in the page's UTF-8.
        public var offset: Int
        public var description: String { "at \(offset): \(message)" }
    }

    /// Elements that load, embed or execute, or make the parser swallow what follows.
    static let forbiddenInArticle: Set<String> = [
        "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "style", "template",
        "noscript", "xmp", "plaintext", "textarea", "title", "portal", "image", "math", "svg", "noembed",
        "noframes", "html", "head", "body", "isindex", "fencedframe",
    ]
    /// Landmark elements and roles the frame has: a guide may not add one.
    static let landmarkElements: Set<String> = ["header", "nav", "main", "footer", "aside", "search", "article"]
    static let landmarkRoles: Set<String> = [
        "banner", "navigation", "main", "contentinfo", "complementary", "search",
    ]
    static let voidElements: Set<String> = [
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input",
        "keygen", "link", "meta", "param", "source", "track", "wbr",
    ]

    /// The executable scripts of the frame (source without the root, and text).
    let scripts: Set<String>
    /// The landmarks outside the article, in order.
    let landmarks: [String]
    /// Ids outside the article.
    let frameIDs: Set<String>
    /// The open elements around the article (`html body div main`).
    let articlePath: [String]

    /// Learns the frame from the page of an empty guide.
    public init(emptyPage: String) {
        let scan = Scan(HTMLTokenizer.tokenize(emptyPage), frame: nil)
        scripts = scan.scripts
        landmarks = scan.landmarks
        frameIDs = scan.frameIDs
        articlePath = scan.articlePath ?? []
    }

    /// Everything wrong with `page`, in page order; empty when it is safe.
    public func violations(in page: String) -> [Violation] {
        var scan = Scan(HTMLTokenizer.tokenize(page), frame: self)
        if scan.articlePath == nil {
            scan.problems.append(Violation(message: "the page has no article where the frame has one", offset: 0))
        }
        if scan.landmarks != landmarks {
            scan.problems.append(
                Violation(
                    message: "landmarks outside the article are \(scan.landmarks), the frame's are \(landmarks)",
                    offset: 0))
        }
        return scan.problems
    }

    /// One pass over a page's tokens: a stack of open elements, what the page
    /// runs, and its problems.
    struct Scan {
        var problems: [Violation] = []
        var scripts: Set<String> = []
        var landmarks: [String] = []
        var frameIDs: Set<String> = []
        var articlePath: [String]?
        var stack: [String] = []
        /// The article's index in `stack` while it is open.
        var article: Int?
        var foreign = 0

        init(_ tokens: [HTMLToken], frame: PageOracle?) {
            var index = 0
            while index < tokens.count {
                let token = tokens[index]
                index += 1
                switch token.kind {
                case .startTag(let name, let attributes, let selfClosing):
                    var rawText: String?
                    if index < tokens.count, case .rawText(let text) = tokens[index].kind {
                        rawText = text
                        index += 1
                    }
                    start(name, attributes, selfClosing: selfClosing, text: rawText, at: token.offset, frame: frame)
                case .endTag(let name):
                    end(name, at: token.offset, frame: frame)
                case .rawText, .comment, .doctype:
                    continue
                }
            }
            if frame != nil, !stack.isEmpty {
                problems.append(Violation(message: "elements left open at the end: \(stack)", offset: 0))
            }
        }

        func fail(_ message: String, _ offset: Int) -> Violation {
            Violation(message: message, offset: offset)
        }

        mutating func start(
            _ name: String, _ attributes: [HTMLToken.Attribute], selfClosing: Bool, text: String?, at offset: Int,
            frame: PageOracle?
        ) {
            let inArticle = article != nil
            func value(_ attribute: String) -> String? { attributes.first { $0.name == attribute }?.value }
            for attribute in attributes {
                check(attribute, on: name, at: offset, inArticle: inArticle)
            }
            // A role attribute lists fallbacks: any landmark among them counts.
            let roles = (value("role") ?? "").lowercased().split { " \t\n\r\u{0C}".contains($0) }
            let role = roles.first { PageOracle.landmarkRoles.contains(String($0)) }.map(String.init)
            if name == "script" {
                let type = (value("type") ?? "").lowercased().trimmingCharacters()
                let executable =
                    [
                        "", "text/javascript", "application/javascript", "module", "text/ecmascript",
                        "application/ecmascript", "text/jscript", "text/livescript", "importmap", "speculationrules",
                    ].contains(type) || type.hasPrefix("text/javascript")
                let key = Self.scriptKey(src: value("src"), text: text ?? "")
                if let frame {
                    if executable, !frame.scripts.contains(key) {
                        problems.append(fail("a script the theme does not have: \(key.prefix(120))", offset))
                    } else if !executable, !inArticle || type != "application/json" {
                        problems.append(fail("a script block of type '\(type)'", offset))
                    }
                } else if executable {
                    scripts.insert(key)
                }
            }
            if inArticle, frame != nil {
                if PageOracle.forbiddenInArticle.contains(name) {
                    problems.append(fail("<\(name)> inside the article", offset))
                }
                if PageOracle.landmarkElements.contains(name) && name != "aside" {
                    problems.append(fail("a <\(name)> landmark inside the article", offset))
                }
                if let role, PageOracle.landmarkRoles.contains(role) {
                    problems.append(fail("role=\"\(role)\" inside the article", offset))
                }
                if let id = value("id"), frame!.frameIDs.contains(id) {
                    problems.append(fail("id \"\(id)\" inside the article is the frame's", offset))
                }
            } else if !inArticle {
                if let id = value("id") { frameIDs.insert(id) }
                if PageOracle.landmarkElements.contains(name) || role.map(PageOracle.landmarkRoles.contains) == true {
                    landmarks.append(
                        "\(name)\(role.map { "[role=\($0)]" } ?? "")\(value("class").map { ".\($0)" } ?? "")")
                }
            }
            if name == "article", article == nil, articlePath == nil,
                frame == nil || stack == frame!.articlePath
            {
                articlePath = stack
                article = stack.count
            }
            if name == "svg" || name == "math" { foreign += 1 }
            let isVoid = PageOracle.voidElements.contains(name) || (foreign > 0 && selfClosing)
            if name == "svg" || name == "math", selfClosing { foreign -= 1 }
            if !isVoid { stack.append(name) }
        }

        mutating func end(_ name: String, at offset: Int, frame: PageOracle?) {
            if PageOracle.voidElements.contains(name) {
                if frame != nil { problems.append(fail("an end tag for the void element <\(name)>", offset)) }
                return
            }
            guard let position = stack.lastIndex(of: name) else {
                if frame != nil { problems.append(fail("</\(name)> closes nothing open", offset)) }
                return
            }
            if position != stack.count - 1, frame != nil {
                let theme = article.map { position < $0 } ?? false
                problems.append(
                    fail(
                        "</\(name)> closes \(theme ? "the theme's " : "")<\(name)> while \(Array(stack[(position + 1)...].reversed())) \(stack.count - position > 2 ? "are" : "is") open inside it",
                        offset))
            }
            if let open = article, position <= open { article = nil }
            if name == "svg" || name == "math" {
                foreign = max(0, foreign - stack[position...].filter { $0 == "svg" || $0 == "math" }.count)
            }
            stack.removeSubrange(position...)
        }

        mutating func check(_ attribute: HTMLToken.Attribute, on element: String, at offset: Int, inArticle: Bool) {
            let name = attribute.name
            if name.hasPrefix("on") {
                problems.append(fail("an event handler \(name)= on <\(element)>", offset))
            }
            if name == "srcdoc" || name == "http-equiv" || name == "formaction" {
                problems.append(fail("a \(name)= attribute on <\(element)>", offset))
            }
            if name == "style" {
                let css = attribute.value.lowercased().filter { !$0.isWhitespace && $0 != "\\" }
                if css.contains("javascript:") || css.contains("vbscript:") || css.contains("expression(")
                    || css.contains("@import") || css.contains("behavior:") || css.contains("-moz-binding")
                {
                    problems.append(
                        fail("a style that runs code on <\(element)>: \(attribute.value.prefix(80))", offset))
                }
            }
            guard URLScheme.attributes.contains(name) else { return }
            if attribute.undecodedReference {
                problems.append(fail("a \(name)= URL with a character reference the oracle cannot read", offset))
            }
            let image = element == "img" && (name == "src" || name == "srcset")
            for url in URLScheme.urls(in: name, value: attribute.value) {
                guard let scheme = URLScheme.of(url), URLScheme.dangerous.contains(scheme) else { continue }
                if image && scheme == "data" { continue }
                problems.append(fail("a \(scheme): URL in \(name)= on <\(element)>: \(url.prefix(80))", offset))
            }
        }

        /// A script by what it runs: its source without the page's root
        /// (`../`, `/`), or its text.
        static func scriptKey(src: String?, text: String) -> String {
            guard var src else { return "inline:" + text }
            while src.hasPrefix("../") { src.removeFirst(3) }
            while src.hasPrefix("/") || src.hasPrefix("./") { src.removeFirst(src.hasPrefix("/") ? 1 : 2) }
            return "src:" + src + (text.isEmpty ? "" : " text:" + text)
        }
    }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, HTMLTokenizer.isWhitespace(first) { scalars.removeFirst() }
        while let last = scalars.last, HTMLTokenizer.isWhitespace(last) { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
