import Foundation
import KBDiagnostics

/// Finds MDX syntax in a guide's markdown and blanks it out for cmark (every
/// byte but line breaks becomes a space), so:
/// - `import`/`export` statements never show as prose;
/// - a JSX tag standing on its own line leaves a blank line, which ends the
///   paragraph before it, as MDX's block-level JSX does, and the lines between
///   an opening and a closing tag are parsed as markdown;
/// - a component inside a paragraph drops its tag and keeps its text.
///
/// Only MDX guides have components and module lines; in any guide the HTML
/// `<details>` and `<summary>` tags that begin a line are treated alike, so a
/// GitHub-style collapsible section renders whether or not raw HTML is allowed.
/// Code (fenced blocks, code spans) is never touched.
public enum MDXScanner {
    /// Lines a multi-line tag may span before it is taken as plain text.
    static let maxTagLines = 60

    public static func scan(_ markdown: [UInt8], source: SourceText) -> (masked: [UInt8], content: MDXContent) {
        var bytes = markdown
        var content = MDXContent()
        let lines = lineRanges(bytes)
        content.isMDX = source.path.lowercased().hasSuffix(".mdx") || hasImportLine(bytes, lines: lines)
        var fence: (byte: UInt8, length: Int)?
        var lineIndex = 0
        var inModule = false
        while lineIndex < lines.count {
            let line = lines[lineIndex]
            let indent = bytes[line].prefix { $0 == 0x20 || $0 == 0x09 }.count
            let body = bytes[(line.lowerBound + indent)..<line.upperBound]
            if let open = fence {
                if body.prefix(while: { $0 == open.byte }).count >= open.length,
                    body.drop(while: { $0 == open.byte }).allSatisfy({ $0 == 0x20 || $0 == 0x09 })
                {
                    fence = nil
                }
                lineIndex += 1
                continue
            }
            if let first = body.first, first == 0x60 || first == 0x7E {
                let run = body.prefix { $0 == first }.count
                if run >= 3, !(first == 0x60 && body.dropFirst(run).contains(0x60)) {
                    fence = (first, run)
                    lineIndex += 1
                    continue
                }
            }
            if content.isMDX {
                if inModule, body.isEmpty {
                    inModule = false
                } else if inModule
                    || (indent == 0 && (body.starts(with: Self.importWord) || body.starts(with: Self.exportWord)))
                {
                    // ESM runs to the next blank line, as MDX reads it.
                    if indent == 0, body.starts(with: Self.importWord) {
                        if let statement = parseImport(
                            bytes, from: line.lowerBound, lines: lines, lineIndex: lineIndex, source: source)
                        {
                            content.imports.append(statement)
                        }
                    }
                    inModule = true
                    blank(&bytes, line)
                    lineIndex += 1
                    continue
                }
            }
            lineIndex = scanTags(
                in: &bytes, lines: lines, at: lineIndex, indent: indent, source: source, into: &content)
        }
        return (bytes, content)
    }

    static let importWord = Array("import ".utf8)
    static let exportWord = Array("export ".utf8)

    /// Tags on one line (a tag may run over the next lines); returns the next line to scan.
    private static func scanTags(
        in bytes: inout [UInt8], lines: [Range<Int>], at lineIndex: Int, indent: Int, source: SourceText,
        into content: inout MDXContent
    ) -> Int {
        // Outside MDX only a line's leading details/summary tags count, and not in indented code.
        if !content.isMDX && indent >= 4 { return lineIndex + 1 }
        let limit = lines[min(lineIndex + maxTagLines, lines.count - 1)].upperBound
        var index = lines[lineIndex].lowerBound + indent
        var lineEnd = lines[lineIndex].upperBound
        var lastLine = lineIndex
        var found: [(tag: MDXTag, span: Range<Int>)] = []
        var codeSpan: Int?
        while index < lineEnd {
            let byte = bytes[index]
            if byte == 0x60 {
                let run = bytes[index..<lineEnd].prefix { $0 == 0x60 }.count
                if let open = codeSpan {
                    if open == run { codeSpan = nil }
                } else {
                    codeSpan = run
                }
                index += run
                continue
            }
            guard codeSpan == nil, byte == 0x3C else {
                index += 1
                continue
            }
            if bytes[index..<lineEnd].starts(with: [0x3C, 0x21, 0x2D, 0x2D]) {
                // An HTML comment: its text is not markup.
                var probe = index + 4
                while probe + 2 < lineEnd,
                    !(bytes[probe] == 0x2D && bytes[probe + 1] == 0x2D && bytes[probe + 2] == 0x3E)
                {
                    probe += 1
                }
                index = probe + 3
                continue
            }
            let atLineStart = index == lines[lineIndex].lowerBound + indent
            guard let (name, kind, attributes, end) = parseTag(bytes, at: index, limit: limit),
                (content.isMDX && isComponentName(name))
                    || ((name == "details" || name == "summary") && (atLineStart || !found.isEmpty))
            else {
                index += 1
                continue
            }
            let tag = MDXTag(
                name: name, kind: kind, attributes: attributes,
                range: fileRange(index, end, lines: lines, source: source),
                isBlock: false)
            found.append((tag, index..<end))
            index = end
            if end > lineEnd, let ending = lines[lastLine...].firstIndex(where: { $0.upperBound >= end }) {
                lastLine = ending
                lineEnd = lines[ending].upperBound
            }
        }
        guard !found.isEmpty else { return lineIndex + 1 }
        found = summaryWithText(found, bytes: bytes, line: lines[lineIndex], lastLine: lastLine == lineIndex)
        for (_, span) in found { blank(&bytes, span) }
        for line in lines[lineIndex...lastLine] { unindent(&bytes, line: line, spans: found.map(\.span)) }
        // Block tags: nothing else is left on their lines.
        let span = lines[lineIndex].lowerBound..<lines[lastLine].upperBound
        let isBlock = bytes[span].allSatisfy(isSpace)
        for (tag, _) in found {
            var tag = tag
            tag.isBlock = isBlock
            content.tags.append(tag)
        }
        return lastLine + 1
    }

    /// `<summary>Text</summary>` on one line is kept whole: the text becomes the
    /// tag's `text` attribute and the line a block of its own, so the summary
    /// does not run into the paragraph below it.
    static func summaryWithText(
        _ found: [(tag: MDXTag, span: Range<Int>)], bytes: [UInt8], line: Range<Int>, lastLine: Bool
    )
        -> [(tag: MDXTag, span: Range<Int>)]
    {
        guard lastLine,
            let open = found.firstIndex(where: { $0.tag.name == "summary" && $0.tag.kind == .open }),
            let close = found[(open + 1)...].firstIndex(where: { $0.tag.name == "summary" && $0.tag.kind == .close })
        else { return found }
        let text = String(decoding: bytes[found[open].span.upperBound..<found[close].span.lowerBound], as: UTF8.self)
        guard !text.contains("<") else { return found }
        var merged = found[open]
        merged.tag.kind = .selfClosing
        merged.tag.attributes.append(MDXAttribute(name: "text", value: .string(text.trimmingSpaces)))
        merged.tag.range = SourceRange(
            file: merged.tag.range.file, start: merged.tag.range.start, end: found[close].tag.range.end)
        merged.span = found[open].span.lowerBound..<found[close].span.upperBound
        var result = found
        result.replaceSubrange(open...close, with: [merged])
        return result
    }

    /// Text left after a tag that began its line would start four or more
    /// columns in, which markdown reads as indented code: it moves back to where
    /// the tag began (only that line's columns shift).
    static func unindent(_ bytes: inout [UInt8], line: Range<Int>, spans: [Range<Int>]) {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let text = bytes[line].firstIndex(where: { !isSpace($0) }), text - line.lowerBound >= 4,
            let tagStart = spans.filter({ $0.lowerBound < text && $0.upperBound > line.lowerBound }).map(\.lowerBound)
                .min()
        else { return }
        let target = max(tagStart, line.lowerBound)
        let moved = Array(bytes[text..<line.upperBound])
        bytes.replaceSubrange(target..<line.upperBound, with: moved + Array(repeating: 0x20, count: text - target))
    }

    /// PascalCase names (`Tabs`, `TabItem`, `Screenshot`, `Foo.Bar`): not
    /// placeholders written in capitals such as `<ACCOUNT_ID>` or `<EOF>`.
    static func isComponentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("A"..."Z").contains(first) else { return false }
        return name.unicodeScalars.contains { ("a"..."z").contains($0) }
            && name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "." }
    }

    // MARK: - Tags

    /// A tag at `start` (which holds `<`): its name, kind, attributes and the
    /// index past its `>`; nil when it is not a well-formed JSX tag.
    static func parseTag(_ bytes: [UInt8], at start: Int, limit: Int)
        -> (String, MDXTag.Kind, [MDXAttribute], Int)?
    {
        var index = start + 1
        let end = min(limit, bytes.count)
        var closing = false
        if index < end, bytes[index] == 0x2F {
            closing = true
            index += 1
        }
        guard index < end, isNameStart(bytes[index]) else { return nil }
        let nameStart = index
        while index < end, isNameByte(bytes[index]) { index += 1 }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        var attributes: [MDXAttribute] = []
        while true {
            while index < end, isSpace(bytes[index]) { index += 1 }
            guard index < end else { return nil }
            let byte = bytes[index]
            if byte == 0x3E {
                return (name, closing ? .close : .open, attributes, index + 1)
            }
            if byte == 0x2F, index + 1 < end, bytes[index + 1] == 0x3E, !closing {
                return (name, .selfClosing, attributes, index + 2)
            }
            guard !closing else { return nil }
            if byte == 0x7B {
                // A spread (`{...props}`): kept as an unnamed expression.
                guard let close = skipExpression(bytes, at: index, limit: end) else { return nil }
                attributes.append(
                    MDXAttribute(
                        name: "", value: .expression(String(decoding: bytes[(index + 1)..<(close - 1)], as: UTF8.self)))
                )
                index = close
                continue
            }
            guard isNameStart(byte) else { return nil }
            let attributeStart = index
            while index < end, isNameByte(bytes[index]) || bytes[index] == 0x3A { index += 1 }
            let attributeName = String(decoding: bytes[attributeStart..<index], as: UTF8.self)
            var probe = index
            while probe < end, isSpace(bytes[probe]) { probe += 1 }
            guard probe < end, bytes[probe] == 0x3D else {
                attributes.append(MDXAttribute(name: attributeName, value: .none))
                continue
            }
            index = probe + 1
            while index < end, isSpace(bytes[index]) { index += 1 }
            guard index < end else { return nil }
            let quote = bytes[index]
            if quote == 0x22 || quote == 0x27 {
                guard let close = bytes[(index + 1)..<end].firstIndex(of: quote) else { return nil }
                attributes.append(
                    MDXAttribute(
                        name: attributeName,
                        value: .string(decodeEntities(String(decoding: bytes[(index + 1)..<close], as: UTF8.self)))))
                index = close + 1
            } else if quote == 0x7B {
                guard let close = skipExpression(bytes, at: index, limit: end) else { return nil }
                attributes.append(
                    MDXAttribute(
                        name: attributeName,
                        value: .expression(String(decoding: bytes[(index + 1)..<(close - 1)], as: UTF8.self))))
                index = close
            } else {
                return nil
            }
        }
    }

    /// Past the `}` matching the `{` at `start`, skipping strings, template
    /// literals and comments; nil when it does not close within `limit`.
    static func skipExpression(_ bytes: [UInt8], at start: Int, limit: Int) -> Int? {
        var depth = 0
        var index = start
        while index < limit {
            let byte = bytes[index]
            switch byte {
            case 0x7B, 0x28, 0x5B: depth += 1
            case 0x7D, 0x29, 0x5D:
                depth -= 1
                if depth == 0 { return byte == 0x7D ? index + 1 : nil }
            case 0x22, 0x27, 0x60:
                var probe = index + 1
                while probe < limit, bytes[probe] != byte {
                    if bytes[probe] == 0x5C { probe += 1 }
                    probe += 1
                }
                guard probe < limit else { return nil }
                index = probe
            case 0x2F where index + 1 < limit && bytes[index + 1] == 0x2A:
                var probe = index + 2
                while probe + 1 < limit, !(bytes[probe] == 0x2A && bytes[probe + 1] == 0x2F) { probe += 1 }
                guard probe + 1 < limit else { return nil }
                index = probe + 1
            default: break
            }
            index += 1
        }
        return nil
    }

    static func isNameStart(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte == 0x24
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x2E
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingAll("&quot;", "\"").replacingAll("&apos;", "'").replacingAll("&lt;", "<")
            .replacingAll("&gt;", ">").replacingAll("&amp;", "&")
    }

    /// The text of a JavaScript string literal (`'a\_b'` → `a_b`), or nil.
    public static func stringLiteral(_ code: String) -> String? {
        let scalars = Array(code.unicodeScalars)
        guard scalars.count >= 2, let quote = scalars.first, quote == "'" || quote == "\"" || quote == "`",
            scalars.last == quote
        else { return nil }
        var text = ""
        var index = 1
        while index < scalars.count - 1 {
            var scalar = scalars[index]
            if scalar == quote { return nil }
            if scalar == "\\", index + 1 < scalars.count - 1 {
                index += 1
                scalar = scalars[index]
                switch scalar {
                case "n": scalar = "\n"
                case "t": scalar = "\t"
                default: break
                }
            }
            text.unicodeScalars.append(scalar)
            index += 1
        }
        return text
    }

    // MARK: - Module lines

    /// Whether a top-level line imports a module (`import X from '…'`, `import '…'`).
    static func hasImportLine(_ bytes: [UInt8], lines: [Range<Int>]) -> Bool {
        var fence: UInt8?
        for line in lines {
            let body = bytes[line]
            let trimmed = body.drop { $0 == 0x20 }
            if let first = trimmed.first, first == 0x60 || first == 0x7E, trimmed.prefix(3).allSatisfy({ $0 == first })
            {
                fence = fence == nil ? first : (fence == first ? nil : fence)
                continue
            }
            guard fence == nil, body.starts(with: importWord) else { continue }
            let text = String(decoding: body, as: UTF8.self)
            if text.contains(" from '") || text.contains(" from \"") || text.hasPrefix("import '")
                || text.hasPrefix("import \"")
            {
                return true
            }
        }
        return false
    }

    /// `import A, {B as C} from 'x'` starting on `lineIndex`, possibly over several lines.
    static func parseImport(
        _ bytes: [UInt8], from start: Int, lines: [Range<Int>], lineIndex: Int, source: SourceText
    ) -> MDXImport? {
        var endLine = lineIndex
        while endLine + 1 < lines.count, !bytes[lines[endLine]].contains(0x3B),
            !String(decoding: bytes[lines[endLine]], as: UTF8.self).contains(" from "),
            !bytes[lines[endLine + 1]].allSatisfy({ $0 == 0x20 || $0 == 0x09 }), endLine - lineIndex < 20
        {
            endLine += 1
        }
        let end = lines[endLine].upperBound
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        guard let from = text.range(of: " from ") ?? text.range(of: "\nfrom ") else { return nil }
        let clause = text[text.index(text.startIndex, offsetBy: 7)..<from.lowerBound]
        var rest = String(text[from.upperBound...]).trimming([" ", "\t", "\n", "\r", ";"])
        if let semicolon = rest.firstIndex(of: ";") { rest = String(rest[..<semicolon]) }
        guard let module = stringLiteral(rest.trimmingSpaces) else { return nil }
        // Each binding is the last word of its piece: `A`, `B as C`, `* as D`.
        let names = clause.split(whereSeparator: { $0 == "," || $0 == "{" || $0 == "}" || $0 == "\n" }).compactMap {
            $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).last.map(String.init)
        }
        return MDXImport(
            names: names.filter { !$0.isEmpty && $0 != "type" }, source: module,
            range: fileRange(start, end, lines: lines, source: source))
    }

    /// The file's range for bytes of the scanned text. The text has the file's
    /// lines, but front matter lines are emptied, so offsets differ: each is
    /// taken as a column of its line.
    static func fileRange(_ start: Int, _ end: Int, lines: [Range<Int>], source: SourceText) -> SourceRange {
        func offset(_ byte: Int) -> Int {
            var low = 0
            var high = lines.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if lines[middle].lowerBound <= byte { low = middle } else { high = middle - 1 }
            }
            guard low < source.lineStarts.count else { return source.bytes.count }
            return min(source.lineStarts[low] + (byte - lines[low].lowerBound), source.bytes.count)
        }
        return source.range(fromByte: offset(start), toByte: offset(end))
    }

    // MARK: - Lines

    /// Each line's byte range, terminator excluded.
    static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0A || bytes[index] == 0x0D {
                ranges.append(start..<index)
                if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                start = index + 1
            }
            index += 1
        }
        ranges.append(start..<bytes.count)
        return ranges
    }

    static func blank(_ bytes: inout [UInt8], _ range: Range<Int>) {
        for index in range where bytes[index] != 0x0A && bytes[index] != 0x0D { bytes[index] = 0x20 }
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        guard contains(target) else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }

    func trimming(_ set: Set<Character>) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
