/// A tolerant HTML tokenizer for the page oracle: it reads markup the way the
/// WHATWG tokenizer does in the states a page can reach (data, tags and their
/// attributes, comments, bogus comments, doctypes, the raw text of `<script>`,
/// `<style>` and friends, RCDATA, PLAINTEXT), so the oracle sees what a browser
/// would, not what kbtool meant to write. It never fails: malformed input gives
/// the tokens a browser would make of it.
///
/// It is independent of kbtool's own sanitiser on purpose: the oracle must not
/// share the bugs of what it checks. It reads UTF-8 bytes (all markup syntax is
/// ASCII) and skips text, which the oracle does not judge, so a fuzz target can
/// afford to read whole pages.
public struct HTMLToken: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case startTag(name: String, attributes: [Attribute], selfClosing: Bool)
        case endTag(name: String)
        /// The text inside a raw text or RCDATA element (`<script>`, `<textarea>`).
        case rawText(String)
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
    /// Offset of the token's first byte in the input's UTF-8.
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
        var tokenizer = Machine(Array(html.utf8))
        return tokenizer.run()
    }

    static func isWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D
    }

    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\n" || s == "\u{0C}" || s == "\r"
    }

    static func isASCIILetter(_ b: UInt8) -> Bool {
        (0x61...0x7A).contains(b) || (0x41...0x5A).contains(b)
    }

    static func lowered(_ b: UInt8) -> UInt8 {
        (0x41...0x5A).contains(b) ? b + 32 : b
    }

    static func lowered(_ s: Unicode.Scalar) -> Unicode.Scalar {
        ("A"..."Z").contains(s) ? Unicode.Scalar(s.value + 32)! : s
    }

    static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), slash = UInt8(ascii: "/")
    static let bang = UInt8(ascii: "!"), question = UInt8(ascii: "?"), equals = UInt8(ascii: "=")
    static let dash = UInt8(ascii: "-"), quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'")

    struct Machine {
        let s: [UInt8]
        var i = 0
        var tokens: [HTMLToken] = []
        /// Start tags of `svg`/`math` minus their end tags: inside foreign
        /// content the tree builder does not switch to raw text states.
        var foreignDepth = 0

        init(_ bytes: [UInt8]) { s = bytes }

        func text(_ range: Range<Int>) -> String { String(decoding: s[range], as: UTF8.self) }

        mutating func run() -> [HTMLToken] {
            while i < s.count {
                guard let next = s[i...].firstIndex(of: HTMLTokenizer.lt) else { break }
                i = next
                let start = i
                guard let token = markup() else {
                    i = start + 1
                    continue
                }
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
                    tokens.append(HTMLToken(kind: .rawText(text(i..<s.count)), offset: i))
                    i = s.count
                } else if name == "script" {
                    rawText(until: name, script: true)
                } else if HTMLTokenizer.rawTextElements.contains(name) || HTMLTokenizer.rcdataElements.contains(name) {
                    rawText(until: name, script: false)
                }
            }
            return tokens
        }

        /// Whether `</name` followed by whitespace, `/` or `>` starts at `at`.
        func endTag(_ name: String, at: Int) -> Bool {
            let letters = Array(name.utf8)
            guard at + 2 + letters.count < s.count, s[at] == HTMLTokenizer.lt, s[at + 1] == HTMLTokenizer.slash
            else { return false }
            for (k, letter) in letters.enumerated() where HTMLTokenizer.lowered(s[at + 2 + k]) != letter {
                return false
            }
            let after = s[at + 2 + letters.count]
            return HTMLTokenizer.isWhitespace(after) || after == HTMLTokenizer.slash || after == HTMLTokenizer.gt
        }

        func matches(_ literal: String, at: Int) -> Bool {
            let letters = Array(literal.utf8)
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
                if s[i] != HTMLTokenizer.lt && s[i] != HTMLTokenizer.dash {
                    i += 1
                    continue
                }
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
                    if escaped, !doubleEscaped, s[i] == HTMLTokenizer.lt, matches("script", at: i + 1), i + 7 < s.count,
                        HTMLTokenizer.isWhitespace(s[i + 7]) || s[i + 7] == HTMLTokenizer.slash
                            || s[i + 7] == HTMLTokenizer.gt
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
            tokens.append(HTMLToken(kind: .rawText(text(start..<i)), offset: start))
        }

        /// A tag, comment, doctype or bogus comment at `<`; nil when the `<` is text.
        mutating func markup() -> HTMLToken? {
            let start = i
            guard i + 1 < s.count else { return nil }
            let next = s[i + 1]
            if next == HTMLTokenizer.bang {
                if matches("<!--", at: i) {
                    i += 4
                    // `<!-->` and `<!--->` end at once.
                    if i < s.count, s[i] == HTMLTokenizer.gt {
                        i += 1
                        return HTMLToken(kind: .comment, offset: start)
                    }
                    if i + 1 < s.count, s[i] == HTMLTokenizer.dash, s[i + 1] == HTMLTokenizer.gt {
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
            if next == HTMLTokenizer.question {
                bogusComment(from: i + 1)
                return HTMLToken(kind: .comment, offset: start)
            }
            if next == HTMLTokenizer.slash {
                guard i + 2 < s.count else { return nil }
                if s[i + 2] == HTMLTokenizer.gt {
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
            while i < s.count, s[i] != HTMLTokenizer.gt { i += 1 }
            i = min(i + 1, s.count)
        }

        /// A name up to whitespace, `/` or `>` (or also `=` for an attribute's),
        /// ASCII-lowercased, NUL read as U+FFFD.
        mutating func readName(stoppingAtEquals: Bool) -> String {
            var bytes: [UInt8] = []
            while i < s.count, !HTMLTokenizer.isWhitespace(s[i]), s[i] != HTMLTokenizer.slash,
                s[i] != HTMLTokenizer.gt, !(stoppingAtEquals && s[i] == HTMLTokenizer.equals && !bytes.isEmpty)
            {
                if s[i] == 0 { bytes += [0xEF, 0xBF, 0xBD] } else { bytes.append(HTMLTokenizer.lowered(s[i])) }
                i += 1
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        mutating func tagName() -> String { readName(stoppingAtEquals: false) }

        /// The attributes up to `>`, and whether the tag ended in `/>`; nil at end of input.
        mutating func attributes() -> ([HTMLToken.Attribute], Bool)? {
            var found: [HTMLToken.Attribute] = []
            while true {
                // Before an attribute name.
                while i < s.count, HTMLTokenizer.isWhitespace(s[i]) { i += 1 }
                guard i < s.count else { return nil }
                if s[i] == HTMLTokenizer.gt {
                    i += 1
                    return (found, false)
                }
                if s[i] == HTMLTokenizer.slash {
                    i += 1
                    guard i < s.count else { return nil }
                    if s[i] == HTMLTokenizer.gt {
                        i += 1
                        return (found, true)
                    }
                    continue
                }
                // The name: a leading `=` belongs to it; `"`, `'` and `<` do too.
                let name = readName(stoppingAtEquals: true)
                while i < s.count, HTMLTokenizer.isWhitespace(s[i]) { i += 1 }
                guard i < s.count else { return nil }
                var raw = ""
                if s[i] == HTMLTokenizer.equals {
                    i += 1
                    while i < s.count, HTMLTokenizer.isWhitespace(s[i]) { i += 1 }
                    guard i < s.count else { return nil }
                    if s[i] == HTMLTokenizer.quote || s[i] == HTMLTokenizer.apostrophe {
                        let quote = s[i]
                        i += 1
                        guard let end = s[i...].firstIndex(of: quote) else { return nil }
                        raw = text(i..<end)
                        i = end + 1
                    } else if s[i] != HTMLTokenizer.gt {
                        let start = i
                        while i < s.count, !HTMLTokenizer.isWhitespace(s[i]), s[i] != HTMLTokenizer.gt { i += 1 }
                        raw = text(start..<i)
                    }
                }
                let (value, undecoded) = CharacterReferences.decodeAttribute(raw)
                found.append(HTMLToken.Attribute(name: name, value: value, undecodedReference: undecoded))
            }
        }
    }
}
