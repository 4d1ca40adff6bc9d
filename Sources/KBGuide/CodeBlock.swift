import KBDiagnostics

/// A fenced or indented code block, with enough position data to map any byte of
/// its text back to the line and column of the original file.
public struct CodeBlock: Sendable, Hashable {
    public var isFenced: Bool
    /// False for a fence never closed, which swallows the rest of its container.
    public var isClosed: Bool
    /// The info string after the opening fence, trimmed.
    public var info: String
    /// The first word of the info string, lowercased; nil when there is none.
    public var language: String?
    /// `key=value`, `key="value"` and bare-word attributes after the language.
    public var attributes: [CodeAttribute]
    /// The block's text exactly as cmark hands it to renderers.
    public var literal: String
    /// One entry per line of `literal`.
    public var lines: [CodeLine]
    /// The whole block, fences included.
    public var range: SourceRange

    /// The value of the first attribute named `name` (e.g. `title`, `kind`).
    public func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// Whether a bare-word or valued attribute named `name` is present.
    public func hasAttribute(_ name: String) -> Bool {
        attributes.contains { $0.name == name }
    }

    /// The file position of a UTF-8 byte offset into `literal`. Offsets past a
    /// line's end stay at that line's end.
    public func position(ofLiteralOffset offset: Int) -> SourcePosition {
        guard !lines.isEmpty else { return range.start }
        // Binary search: lines are in offset order, and a block may have thousands.
        var low = 0
        var high = lines.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lines[middle].literalOffset <= offset { low = middle } else { high = middle - 1 }
        }
        let line = lines[low]
        let bytes = Array(line.text.utf8)
        let within = min(max(offset - line.literalOffset, 0), bytes.count)
        if within < line.virtualSpaces { return SourcePosition(line: line.line, column: max(line.column - 1, 1)) }
        let scalars = bytes[line.virtualSpaces..<within].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        return SourcePosition(line: line.line, column: line.column + scalars)
    }

    /// Maps byte ranges of the block's text to the guide file.
    public var locator: SourceLocator {
        let code = self
        return SourceLocator { code.sourceRange(ofLiteral: $0) }
    }

    /// The file range of a byte range of `literal`.
    public func sourceRange(ofLiteral range: Range<Int>) -> SourceRange {
        SourceRange(
            file: self.range.file, start: position(ofLiteralOffset: range.lowerBound),
            end: position(ofLiteralOffset: range.upperBound))
    }
}

/// One line of a code block and where it sits in the file.
public struct CodeLine: Sendable, Hashable {
    /// The line's text in `literal`, without its newline.
    public var text: String
    /// Byte offset of the line's first byte within `literal`.
    public var literalOffset: Int
    /// 1-based line in the file.
    public var line: Int
    /// 1-based scalar column in the file of the first character after any virtual spaces.
    public var column: Int
    /// Leading spaces cmark made up from a partly used tab; they map to the tab.
    public var virtualSpaces: Int
}

/// One attribute of a code block's info string.
public struct CodeAttribute: Sendable, Hashable {
    public var name: String
    /// Nil for bare words such as `showLineNumbers` or `{1,3}`.
    public var value: String?

    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}

/// Splits an info string such as `json title="bucket policy.json" kind=key-policy`.
public enum CodeInfoParser {
    public static func parse(_ info: String) -> (language: String?, attributes: [CodeAttribute]) {
        var tokens: [(String, String?)] = []
        var scalars = Array(info.unicodeScalars)[...]
        while true {
            while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
            guard !scalars.isEmpty else { break }
            var name = ""
            var value: String?
            if scalars.first == "{" {
                // A Docusaurus line-highlight range such as {1,3-4}: one bare word up to '}'.
                while let scalar = scalars.popFirst() {
                    name.unicodeScalars.append(scalar)
                    if scalar == "}" { break }
                }
                tokens.append((name, nil))
                continue
            }
            while let first = scalars.first, !first.properties.isWhitespace, first != "=" {
                name.unicodeScalars.append(scalars.removeFirst())
            }
            if scalars.first == "=" {
                scalars.removeFirst()
                var text = ""
                if let quote = scalars.first, quote == "\"" || quote == "'" {
                    scalars.removeFirst()
                    while let scalar = scalars.popFirst() {
                        if scalar == "\\", let next = scalars.first, next == quote || next == "\\" {
                            text.unicodeScalars.append(scalars.removeFirst())
                        } else if scalar == quote {
                            break
                        } else {
                            text.unicodeScalars.append(scalar)
                        }
                    }
                } else {
                    while let first = scalars.first, !first.properties.isWhitespace {
                        text.unicodeScalars.append(scalars.removeFirst())
                    }
                }
                value = text
            }
            tokens.append((name, value))
        }
        var language: String?
        if let (first, value) = tokens.first, value == nil, !first.hasPrefix("{") {
            // Pandoc-style `{.json}` and `.json` are not Docusaurus; take the word as is.
            language = first.lowercased()
            tokens.removeFirst()
        }
        return (language, tokens.map { CodeAttribute(name: $0.0, value: $0.1) })
    }
}
