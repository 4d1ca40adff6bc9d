import Foundation
import KBDiagnostics
import KBGuide

/// A statement a guide makes as a fact: a list item under a heading about facts,
/// notes or things to know, or an item tagged `<!-- fact -->` or
/// `<!-- claim: ID -->` (MDX: `{/* claim: ID */}`).
public struct Fact: Sendable, Hashable {
    public var text: String
    public var range: SourceRange
    /// The claim the author named, if any.
    public var reference: String?
    /// Marked as a fact: tagged, or under a heading that says "facts". Such a
    /// fact that matches no claim is a `fact-unverified` warning. An item under
    /// a heading of notes or things to know is a fact too (counted, shown on
    /// the site) but not marked: it is reported only when it is false or
    /// outdated, or about a claim kbtool cannot place, as on AWS's own guides,
    /// whose "Things to know" lists are mostly about other things.
    public var explicit = true
}

/// How a fact fared, for `--format json` and the site.
public struct FactResult: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// Matches a claim that holds and whose probe passed in this run.
        case verified
        /// Matches a claim that holds and rests on its source alone (no probe).
        case documented
        case outdated, `false`, unverified
    }

    public var file: String
    public var line: Int
    public var text: String
    public var status: Status
    public var claim: String?
    /// The claim's source and demonstration, for linking.
    public var source: String?
    public var demonstration: String?
    public var since: String?
    /// What backs the claim in this run: `proved` (its probe passed),
    /// `documented` (its source alone) or `failed` (its probe failed).
    public var proof: String?
    /// Whether the fact states its claim (`asserts`) or contradicts it.
    public var polarity: String?
}

public enum FactExtractor {
    /// Headings that introduce facts; "Note the key ARN" (a verb) and
    /// "Release notes" do not.
    static let sectionWords = ["fact", "facts", "notes", "things to know", "worth knowing", "key points", "gotchas"]
    /// Of those, the headings that mark their items as facts (``Fact/explicit``).
    static let markingWords = ["fact", "facts"]

    /// What a heading makes of the list items under it.
    enum Section { case none, notes, facts }

    static func section(of heading: String) -> Section {
        // Whole words: " facts " in " key facts ", not in " artifacts ".
        let words = " " + FactMatcher.tokens(heading).joined(separator: " ") + " "
        guard !words.contains(" release notes "), sectionWords.contains(where: { words.contains(" \($0) ") }) else {
            return .none
        }
        return markingWords.contains { words.contains(" \($0) ") } ? .facts : .notes
    }

    public static func facts(in guide: Guide) -> [Fact] {
        var facts: [Fact] = []
        func visit(_ blocks: [Block], in outer: Section) {
            var section = outer
            for block in blocks {
                switch block {
                case .heading(let heading):
                    section = Self.section(of: heading.text)
                case .list(let list):
                    for item in list.items {
                        let html = item.blocks.flatMap { block -> [String] in
                            if case .paragraph(let paragraph) = block { return paragraph.content.html }
                            if case .html(let html) = block { return [html.literal] }
                            return []
                        }
                        let text = item.text
                        let (tagged, reference) = tag(html: html, text: text)
                        guard section != .none || tagged, !text.isEmpty, !isReference(text) else { continue }
                        facts.append(
                            Fact(
                                text: clean(text), range: item.range, reference: reference,
                                explicit: tagged || section == .facts))
                    }
                case .blockQuote:
                    visit(block.children, in: section)
                default:
                    break
                }
            }
        }
        visit(guide.blocks, in: .none)
        return facts
    }

    /// Sentences anywhere else: list items under any heading, paragraphs,
    /// block quotes (`> **Note**`) and admonitions (`:::note`), split into
    /// sentences, each at the line it starts on. Not code, not explicit facts.
    public static func candidates(in guide: Guide, excluding facts: [Fact]) -> [Fact] {
        let taken = Set(facts.map(\.range.start.line))
        var found: [Fact] = []
        func visit(_ blocks: [Block]) {
            for block in blocks {
                switch block {
                case .paragraph(let paragraph):
                    guard !taken.contains(paragraph.range.start.line) else { continue }
                    found += sentences(paragraph, in: guide)
                case .list(let list):
                    for item in list.items where !taken.contains(item.range.start.line) { visit(item.blocks) }
                case .blockQuote:
                    visit(block.children)
                default:
                    break
                }
            }
        }
        visit(guide.blocks)
        return found
    }

    /// A paragraph's sentences, without an admonition's fences or a `Note:` lead-in.
    static func sentences(_ paragraph: Paragraph, in guide: Guide) -> [Fact] {
        var line = paragraph.range.start.line
        var facts: [Fact] = []
        for piece in split(admonitionBody(paragraph.text)) where piece.split(separator: " ").count >= 4 {
            // The line the sentence starts on: the first of the paragraph's lines holding its first words.
            let start = String(piece.prefix(16))
            for candidate in line...max(line, paragraph.range.end.line)
            where candidate <= guide.source.lineCount && guide.source.line(candidate).contains(start) {
                line = candidate
                break
            }
            facts.append(
                Fact(
                    text: piece, range: SourceRange(file: guide.path, at: .init(line: line, column: 1)),
                    reference: nil, explicit: false))
        }
        return facts
    }

    /// The paragraph on one line, without an admonition's opening `:::kind` and closing `:::`.
    static func admonitionBody(_ text: String) -> Substring {
        var text = Substring(text)
        if text.hasPrefix(":::") {
            text = text.dropFirst(3).drop { $0.isLetter || $0.isNumber || $0 == "_" }.drop(while: \.isWhitespace)
        }
        if text.hasSuffix(":::") {
            text = text.dropLast(3)
            while let last = text.last, last.isWhitespace { text = text.dropLast() }
        }
        return text
    }

    /// Sentences: a `.`, `!` or `?` followed by spaces and a capital, a code
    /// span, emphasis or a link ends one. Line breaks are spaces.
    static func split(_ text: Substring) -> [String] {
        let scalars = Array(text.unicodeScalars)
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII
                ? scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" : scalar.properties.isWhitespace
        }
        func opensSentence(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII
                ? (scalar.value >= 65 && scalar.value <= 90) || scalar == "`" || scalar == "*" || scalar == "["
                : scalar.properties.isUppercase
        }
        func piece(_ range: Range<Int>) -> String {
            var range = range
            while !range.isEmpty, isSpace(scalars[range.lowerBound]) { range = range.dropFirst() }
            while !range.isEmpty, isSpace(scalars[range.upperBound - 1]) { range = range.dropLast() }
            var view = String.UnicodeScalarView()
            for scalar in scalars[range] { view.append(isSpace(scalar) ? " " : scalar) }
            return String(view)
        }
        var pieces: [String] = []
        var start = 0
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "." || scalar == "!" || scalar == "?" else {
                index += 1
                continue
            }
            var next = index + 1
            while next < scalars.count, isSpace(scalars[next]) { next += 1 }
            if next > index + 1, next < scalars.count, opensSentence(scalars[next]) {
                pieces.append(piece(start..<index + 1))
                start = next
            }
            index = next
        }
        if start < scalars.count { pieces.append(piece(start..<scalars.count)) }
        return pieces
    }

    /// `<!-- fact -->`, `<!-- claim: ID -->`, `{/* claim: ID */}`.
    static func tag(html: [String], text: String) -> (tagged: Bool, reference: String?) {
        for piece in html + [text]
        where piece.contains("<!--") || piece.contains("-->") || piece.contains("{/*") || piece.contains("*/}") {
            let stripped = piece.replacingOccurrences(of: "<!--", with: " ").replacingOccurrences(of: "-->", with: " ")
                .replacingOccurrences(of: "{/*", with: " ").replacingOccurrences(of: "*/}", with: " ")
            guard stripped != piece else { continue }
            if let match = stripped.range(of: #"claim:\s*([A-Za-z0-9._-]+)"#, options: .regularExpression) {
                let id = stripped[match].dropFirst("claim:".count).trimmingCharacters(in: .whitespaces)
                return (true, id)
            }
            if stripped.range(of: #"\bfact\b"#, options: .regularExpression) != nil { return (true, nil) }
        }
        return (false, nil)
    }

    /// Lists of sources and cross-references are not facts.
    static func isReference(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return ["source:", "sources:", "see ", "reference:", "references:"].contains { lowered.hasPrefix($0) }
    }

    /// The item's text without its MDX comment.
    static func clean(_ text: String) -> String {
        text.replacingOccurrences(of: #"\{/\*.*?\*/\}"#, with: "", options: .regularExpression)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
