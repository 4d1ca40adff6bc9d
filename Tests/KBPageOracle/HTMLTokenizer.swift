/// A tolerant HTML tokenizer for the page oracle: it reads markup the way the
/// WHATWG tokenizer does in the states a page can reach (data, tags and their
/// attributes, comments, bogus comments, doctypes, the raw text of `<script>`,
/// `<style>` and friends, RCDATA, PLAINTEXT), so the oracle sees what a browser
/// would, not what kbtool meant to write. It never fails: malformed input gives
/// the tokens a browser would make of it.
///
/// It is independent of kbtool's own sanitiser on purpose: the oracle must not
/// share the bugs of what it checks.
public struct HTMLToken: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case startTag(name: String, attributes: [Attribute], selfClosing: Bool)
        case endTag(name: String)
        /// The text inside a raw text or RCDATA element (`<script>`, `<textarea>`).
        case rawText(String)
        case text(String)
        case comment
        case doctype
    }

    public struct Attribute: Sendable, Equatable {
        public var name: String
        /// With character references decoded as a browser decodes them.
        public var value: String
        /// Whether a character reference in the value could not be decoded.
        public var undecodedReference: Bool
    }

    public var kind: Kind
    /// Offset of the token's first scalar in the input.
    public var offset: Int
}

public enum HTMLTokenizer {
    /// Elements whose content is raw text (no markup) until their end tag.
    static let rawTextElements: Set<String> = [
        "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript",
    ]
    /// Elements whose content is text with character references until their end tag.
    static let rcdataElements: Set<String> = ["textarea", "title"]

    public static func tokenize(_ html: String) -> [HTMLToken] {
        var tokenizer = Machine(Array(html.unicodeScalars))
        return tokenizer.run()
    }

    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\n" || s == "\u{0C}" || s == "\r"
    }

    static func isASCIILetter(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s)
    }

    static func lowered(_ s: Unicode.Scalar) -> Unicode.Scalar {
        ("A"..."Z").contains(s) ? Unicode.Scalar(s.value + 32)! : s
    }

    struct Machine {
        let s: [Unicode.Scalar]
        var i = 0
        var tokens: [HTMLToken] = []
        /// Start tags of `svg`/`math` minus their end tags: inside foreign
        /// content the tree builder does not switch to raw text states.
        var foreignDepth = 0

        init(_ scalars: [Unicode.Scalar]) { s = scalars }

        mutating func run() -> [HTMLToken] {
            var text = ""
            var textStart = 0
            func flush(_ tokens: inout [HTMLToken]) {
                if !text.isEmpty { tokens.append(HTMLToken(kind: .text(text), offset: textStart)) }
                text = ""
            }
            while i < s.count {
                if s[i] != "<" {
                    if text.isEmpty { textStart = i }
                    text.unicodeScalars.append(s[i])
                    i += 1
                    continue
                }
                let start = i
                guard let token = markup() else {
                    if text.isEmpty { textStart = start }
                    text.unicodeScalars.append("<")
                    i = start + 1
                    continue
                }
                flush(&tokens)
                tokens.append(token)
                guard case .startTag(let name, _, let selfClosing) = token.kind else {
                    if case .endTag(let name) = token.kind, name == "svg" || name == "math" {
                        foreignDepth = max(0, foreignDepth - 1)
                    }
                    continue
                }
                if foreignDepth > 0 {
                    if (name == "svg" || name == "math") && !selfClosing { foreignDepth += 1 }
                    continue
                }
                if name == "svg" || name == "math" {
                    if !selfClosing { foreignDepth += 1 }
                } else if name == "plaintext" {
                    var rest = ""
                    rest.unicodeScalars.append(contentsOf: s[i...])
                    tokens.append(HTMLToken(kind: .rawText(rest), offset: i))
                    i = s.count
                } else if name == "script" {
                    rawText(until: name, script: true)
                } else if HTMLTokenizer.rawTextElements.contains(name) || HTMLTokenizer.rcdataElements.contains(name) {
                    rawText(until: name, script: false)
                }
            }
            flush(&tokens)
            return tokens
        }

        /// Whether `</name` followed by whitespace, `/` or `>` starts at `at`.
        func endTag(_ name: String, at: Int) -> Bool {
            let letters = Array(name.unicodeScalars)
            guard at + 2 + letters.count < s.count, s[at] == "<", s[at + 1] == "/" else { return false }
            for (k, letter) in letters.enumerated() where HTMLTokenizer.lowered(s[at + 2 + k]) != letter {
                return false
            }
            let after = s[at + 2 + letters.count]
            return HTMLTokenizer.isWhitespace(after) || after == "/" || after == ">"
        }

        func matches(_ literal: String, at: Int) -> Bool {
            let letters = Array(literal.unicodeScalars)
            guard at + letters.count <= s.count else { return false }
            for (k, letter) in letters.enumerated() where HTMLTokenizer.lowered(s[at + k]) != letter { return false }
            return true
        }

        /// Raw text up to the element's end tag (left for the next round). Script
        /// data follows the escaped and double-escaped states, where `<!--` and a
        /// nested `<script` change which `</script>` ends the element.
        mutating func rawText(until name: String, script: Bool) {
            let start = i
            var escaped = false
            var doubleEscaped = false
            while i < s.count {
                if script {
                    if !escaped, matches("<!--", at: i) {
                        escaped = true
                        i += 4
                        continue
                    }
                    if escaped, matches("-->", at: i) {
                        escaped = false
                        doubleEscaped = false
                        i += 3
                        continue
                    }
                    if escaped, !doubleEscaped, s[i] == "<", matches("script", at: i + 1), i + 7 < s.count,
                        HTMLTokenizer.isWhitespace(s[i + 7]) || s[i + 7] == "/" || s[i + 7] == ">"
                    {
                        doubleEscaped = true
                        i += 7
                        continue
                    }
                    if doubleEscaped, endTag("script", at: i) {
                        doubleEscaped = false
                        i += 8
                        continue
                    }
                }
                if endTag(name, at: i) { break }
                i += 1
            }
            var content = ""
            content.unicodeScalars.append(contentsOf: s[start..<i])
            tokens.append(HTMLToken(kind: .rawText(content), offset: start))
        }

        /// A tag, comment, doctype or bogus comment at `<`; nil when the `<` is text.
        mutating func markup() -> HTMLToken? {
            let start = i
            guard i + 1 < s.count else { return nil }
            let next = s[i + 1]
            if next == "!" {
                if matches("<!--", at: i) {
                    i += 4
                    // `<!-->` and `<!--->` end at once.
                    if i < s.count, s[i] == ">" {
                        i += 1
                        return HTMLToken(kind: .comment, offset: start)
                    }
                    if i + 1 < s.count, s[i] == "-", s[i + 1] == ">" {
                        i += 2
                        return HTMLToken(kind: .comment, offset: start)
                    }
                    while i < s.count {
                        if matches("-->", at: i) {
                            i += 3
                            return HTMLToken(kind: .comment, offset: start)
                        }
                        if matches("--!>", at: i) {
                            i += 4
                            return HTMLToken(kind: .comment, offset: start)
                        }
                        i += 1
                    }
                    return HTMLToken(kind: .comment, offset: start)
                }
                let doctype = matches("<!doctype", at: i)
                bogusComment(from: i + 2)
                return HTMLToken(kind: doctype ? .doctype : .comment, offset: start)
            }
            if next == "?" {
                bogusComment(from: i + 1)
                return HTMLToken(kind: .comment, offset: start)
            }
            if next == "/" {
                guard i + 2 < s.count else { return nil }
                if s[i + 2] == ">" {
                    i += 3
                    return HTMLToken(kind: .comment, offset: start)
                }
                guard HTMLTokenizer.isASCIILetter(s[i + 2]) else {
                    bogusComment(from: i + 2)
                    return HTMLToken(kind: .comment, offset: start)
                }
                i += 2
                let name = tagName()
                // An end tag's attributes are read and thrown away.
                guard attributes() != nil else { return eofInTag(start) }
                return HTMLToken(kind: .endTag(name: name), offset: start)
            }
            guard HTMLTokenizer.isASCIILetter(next) else { return nil }
            i += 1
            let name = tagName()
            guard let (attributes, selfClosing) = attributes() else { return eofInTag(start) }
            return HTMLToken(
                kind: .startTag(name: name, attributes: attributes, selfClosing: selfClosing), offset: start)
        }

        /// End of input inside a tag: the tag is dropped, as a browser drops it.
        mutating func eofInTag(_ start: Int) -> HTMLToken {
            i = s.count
            return HTMLToken(kind: .comment, offset: start)
        }

        mutating func bogusComment(from: Int) {
            i = from
            while i < s.count, s[i] != ">" { i += 1 }
            i = min(i + 1, s.count)
        }

        mutating func tagName() -> String {
            var name = ""
            while i < s.count, !HTMLTokenizer.isWhitespace(s[i]), s[i] != "/", s[i] != ">" {
                name.unicodeScalars.append(s[i] == "\u{0}" ? "\u{FFFD}" : HTMLTokenizer.lowered(s[i]))
                i += 1
            }
            return name
        }

        /// The attributes up to `>`, and whether the tag ended in `/>`; nil at end of input.
        mutating func attributes() -> ([HTMLToken.Attribute], Bool)? {
            var found: [HTMLToken.Attribute] = []
            while true {
                // Before an attribute name.
                while i < s.count, HTMLTokenizer.isWhitespace(s[i]) { i += 1 }
                guard i < s.count else { return nil }
                if s[i] == ">" {
                    i += 1
                    return (found, false)
                }
                if s[i] == "/" {
                    i += 1
                    guard i < s.count else { return nil }
                    if s[i] == ">" {
                        i += 1
                        return (found, true)
                    }
                    continue
                }
                // The name: a leading `=` belongs to it; `"`, `'` and `<` do too.
                var name = ""
                name.unicodeScalars.append(HTMLTokenizer.lowered(s[i]))
                i += 1
                while i < s.count, !HTMLTokenizer.isWhitespace(s[i]), s[i] != "/", s[i] != ">", s[i] != "=" {
                    name.unicodeScalars.append(s[i] == "\u{0}" ? "\u{FFFD}" : HTMLTokenizer.lowered(s[i]))
                    i += 1
                }
                while i < s.count, HTMLTokenizer.isWhitespace(s[i]) { i += 1 }
                guard i < s.count else { return nil }
                var raw = ""
                if s[i] == "=" {
                    i += 1
                    while i < s.count, HTMLTokenizer.isWhitespace(s[i]) { i += 1 }
                    guard i < s.count else { return nil }
                    if s[i] == "\"" || s[i] == "'" {
                        let quote = s[i]
                        i += 1
                        while i < s.count, s[i] != quote {
                            raw.unicodeScalars.append(s[i])
                            i += 1
                        }
                        guard i < s.count else { return nil }
                        i += 1
                    } else if s[i] != ">" {
                        while i < s.count, !HTMLTokenizer.isWhitespace(s[i]), s[i] != ">" {
                            raw.unicodeScalars.append(s[i])
                            i += 1
                        }
                    }
                }
                let (value, undecoded) = CharacterReferences.decodeAttribute(raw)
                found.append(HTMLToken.Attribute(name: name, value: value, undecodedReference: undecoded))
            }
        }
    }
}
