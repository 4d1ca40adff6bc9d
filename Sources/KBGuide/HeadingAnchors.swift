import Foundation

/// Computes heading ids the way Docusaurus and GitHub do (github-slugger):
/// lowercase, punctuation and symbols dropped, each space becomes `-`, and a
/// repeated id gets `-1`, `-2`, ... in document order.
public struct HeadingSlugger: Sendable {
    private var occurrences: [String: Int] = [:]

    public init() {}

    /// The id for the next heading with this text, counting earlier duplicates.
    public mutating func slug(_ text: String) -> String {
        let base = Self.baseSlug(text)
        var result = base
        if let count = occurrences[base] {
            var next = count
            repeat {
                next += 1
                result = "\(base)-\(next)"
            } while occurrences[result] != nil
            occurrences[base] = next
        }
        occurrences[result] = 0
        return result
    }

    /// The id of a single heading, ignoring duplicates.
    public static func baseSlug(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in lowercasedLikeJavaScript(text).unicodeScalars {
            if scalar == " " {
                out.append("-")
            } else if keeps(scalar) {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// github-slugger keeps alphabetic characters (letters, and symbols such as Ⓐ
    /// that Unicode counts as alphabetic), marks, decimal digits, connector
    /// punctuation and `-`; it drops other numbers (①, ²), punctuation, symbols
    /// and whitespace other than the space.
    private static func keeps(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "-" { return true }
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
            return true
        default:
            return false
        }
    }

    /// `String.toLowerCase()` as JavaScript does it: like Swift's, plus the Greek
    /// final sigma (ΟΔΟΣ → οδος), which depends on the letters around it.
    static func lowercasedLikeJavaScript(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\u{03A3}" {
                let before = scalars[..<index].last { !$0.properties.isCaseIgnorable }
                let after = scalars[(index + 1)...].first { !$0.properties.isCaseIgnorable }
                let finalSigma = (before?.properties.isCased ?? false) && !(after?.properties.isCased ?? false)
                out.append(finalSigma ? "\u{03C2}" : "\u{03C3}")
            } else {
                out.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            }
        }
        return String(out)
    }
}

/// Reads a heading's explicit `{#custom-id}` suffix, as Docusaurus supports.
enum CustomHeadingID {
    /// Splits "Title {#my-id}" into ("Title", "my-id").
    static func split(_ text: String) -> (text: String, id: String?) {
        var trimmed = Substring(text)
        while trimmed.last == " " || trimmed.last == "\t" { trimmed.removeLast() }
        guard trimmed.hasSuffix("}"), let open = trimmed.range(of: "{#", options: .backwards) else {
            return (text, nil)
        }
        let id = trimmed[open.upperBound..<trimmed.index(before: trimmed.endIndex)]
        guard !id.isEmpty, !id.contains(where: { $0 == " " || $0 == "{" || $0 == "}" }) else { return (text, nil) }
        var rest = trimmed[..<open.lowerBound]
        while rest.last == " " || rest.last == "\t" { rest.removeLast() }
        return (String(rest), String(id))
    }
}

/// Finds the ids that raw HTML defines: `<a name="x">` and any `id="x"`.
public enum HTMLAnchorScanner {
    public static func anchors(in html: String) -> [String] {
        tags(in: html).flatMap { name, attributes in
            attributes.filter { $0.0 == "id" || ($0.0 == "name" && name == "a") }.map(\.1).filter { !$0.isEmpty }
        }
    }

    /// A link target in raw HTML: `<a href="…">` or `<img src="…">`.
    public struct Reference: Sendable, Hashable {
        public var value: String
        public var isImage: Bool
    }

    public static func references(in html: String) -> [Reference] {
        tags(in: html).flatMap { name, attributes in
            attributes.compactMap { attribute, value -> Reference? in
                if name == "a" && attribute == "href" { return Reference(value: value, isImage: false) }
                if name == "img" && attribute == "src" { return Reference(value: value, isImage: true) }
                return nil
            }
        }
    }

    /// Every start tag's lowercased name and attributes, in order.
    static func tags(in html: String) -> [(String, [(String, String)])] {
        var found: [(String, [(String, String)])] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: open)...]
            guard let close = rest.firstIndex(of: ">") else { break }
            let tag = rest[..<close]
            rest = rest[rest.index(after: close)...]
            guard let first = tag.first, first.isLetter else { continue }
            let name = tag.prefix { $0.isLetter || $0.isNumber }.lowercased()
            found.append((name, attributes(of: tag.dropFirst(name.count))))
        }
        return found
    }

    /// `name="value"`, `name='value'` and `name=value` pairs of one tag, names lowercased.
    static func attributes(of text: Substring) -> [(String, String)] {
        var pairs: [(String, String)] = []
        var rest = text
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == "/" }
            let name = rest.prefix { !$0.isWhitespace && $0 != "=" && $0 != ">" && $0 != "/" }
            guard !name.isEmpty else { break }
            rest = rest.dropFirst(name.count).drop { $0.isWhitespace }
            guard rest.first == "=" else {
                pairs.append((name.lowercased(), ""))
                continue
            }
            rest = rest.dropFirst().drop { $0.isWhitespace }
            var value: Substring
            if let quote = rest.first, quote == "\"" || quote == "'" {
                rest = rest.dropFirst()
                value = rest.prefix { $0 != quote }
                rest = rest.dropFirst(value.count + 1)
            } else {
                value = rest.prefix { !$0.isWhitespace }
                rest = rest.dropFirst(value.count)
            }
            pairs.append((name.lowercased(), String(value)))
        }
        return pairs
    }
}
