import KBDiagnostics

extension Rule {
    public static let encoding = Rule(
        "encoding", .error,
        summary: "A guide contains bytes that are not valid UTF-8; the first one is reported.",
        why:
            "Docusaurus and editors reject the file or show replacement characters, and an invalid byte inside an ARN, key id or policy makes the copied value differ from the intended one.",
        fix:
            "Re-save the file as UTF-8 (e.g. `iconv -f WINDOWS-1252 -t UTF-8`) and check the reported character; kbtool checks the rest with U+FFFD in its place.",
        example: "invalid UTF-8 byte 0xE9; the file must be UTF-8")

    public static let markdownUnclosedFence = Rule(
        "markdown-unclosed-fence", .warning,
        summary: "A code fence is never closed, so the rest of its container is one code block.",
        why:
            "Headings, prose and later policy blocks or transcripts after it render as code, and kbtool checks none of them as what they are meant to be.",
        fix:
            "Close the block with a line of at least as many backticks (or tildes, matching the opening) as the opening fence.",
        example: "code fence is never closed, so everything after it up to line 212 is code")
}

/// Turns a file's bytes into a ``Guide``: checks the encoding, reads the front
/// matter, hides it from cmark (keeping line numbers), converts the cmark tree and
/// computes heading anchors.
public enum GuideParser {
    /// Parses bytes read from disk. Invalid UTF-8 is reported at its first
    /// occurrence and replaced with U+FFFD, so the rest of the file is still checked.
    public static func parse(path: String, bytes: [UInt8]) -> Guide {
        if looksBinary(bytes) {
            // An image or archive named .md: parsing it would only bury the point.
            let source = SourceText(path: path, text: "")
            return Guide(
                source: source, frontMatter: nil, blocks: [],
                diagnostics: [
                    Diagnostic(
                        .error, .encoding, "the file looks binary (NUL bytes near its start), not a markdown guide",
                        at: SourceRange(file: path, at: SourcePosition(line: 1, column: 1)),
                        notes: ["rename it, or move it out of the checked folders"])
                ])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        var guide = parse(SourceText(path: path, text: text))
        if let nul = bytes.firstIndex(of: 0) {
            let at = position(ofByte: nul, in: bytes, byteOrderMark: guide.source.hadByteOrderMark)
            guide.diagnostics.insert(
                Diagnostic(
                    .warning, .encoding, "NUL byte in the text; it is read as U+FFFD",
                    at: SourceRange(file: path, start: at, end: SourcePosition(line: at.line, column: at.column + 1)),
                    notes: ["a text file never holds NUL; the file was probably damaged or pasted from a binary"]),
                at: 0)
        }
        if let invalid = firstInvalidUTF8(bytes) {
            let at = position(ofByte: invalid, in: bytes, byteOrderMark: guide.source.hadByteOrderMark)
            guide.diagnostics.insert(
                Diagnostic(
                    .error, .encoding,
                    "invalid UTF-8 byte 0x\(String(bytes[invalid], radix: 16, uppercase: true)); the file must be UTF-8",
                    at: SourceRange(file: path, start: at, end: SourcePosition(line: at.line, column: at.column + 1)),
                    notes: ["kbtool read the bad bytes as U+FFFD and checked the rest of the file"]),
                at: 0)
        }
        return guide
    }

    /// Like git: a NUL byte within the first 8,000 bytes suggests binary; here it
    /// must come with invalid UTF-8 or many control bytes too, so a text guide
    /// with a stray NUL is still read (and warned about).
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        let head = Array(bytes.prefix(8000))
        guard head.contains(0) else { return false }
        let controls = head.filter { $0 < 0x09 || (0x0E...0x1F).contains($0) }.count
        let invalid = firstInvalidUTF8(head).map { $0 < head.count - 4 } ?? false
        return invalid || controls * 10 > head.count
    }

    /// The line and scalar column of a byte offset. Lines end at LF, CRLF or a
    /// lone CR, as in SourceText.
    static func position(ofByte offset: Int, in bytes: [UInt8], byteOrderMark: Bool) -> SourcePosition {
        var line = 1
        var lineStart = 0
        var index = 0
        while index < offset {
            if bytes[index] == 0x0A || bytes[index] == 0x0D {
                if bytes[index] == 0x0D, index + 1 < offset, bytes[index + 1] == 0x0A { index += 1 }
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        let validPrefix = String(decoding: bytes[lineStart..<offset], as: UTF8.self)
        let column = validPrefix.unicodeScalars.count + 1 - (line == 1 && byteOrderMark ? 1 : 0)
        return SourcePosition(line: line, column: column)
    }

    /// Parses text that is already known to be valid.
    public static func parse(_ source: SourceText) -> Guide {
        let (frontMatter, frontMatterDiagnostics) = FrontMatterReader.read(source)
        var markdown = source.bytes
        if let frontMatter {
            // Blank the front matter but keep its line breaks, so cmark's line
            // numbers are the file's and it never sees the YAML as markdown.
            let end = source.lineEnds[frontMatter.closingLine - 1]
            markdown = markdown[..<end].filter { $0 == 0x0A || $0 == 0x0D } + markdown[end...]
        }
        // MDX module lines and JSX tags are blanked too; the markdown between tags stays.
        let (masked, mdx) = MDXScanner.scan(markdown, source: source)
        var converter = CommonMarkConverter(source: source)
        var blocks = converter.convert(markdown: masked)
        if mdx.isMDX { blocks = IndentedFence.reread(blocks) }
        blocks = assignAnchors(blocks)
        var guide = Guide(
            source: source, frontMatter: frontMatter, blocks: blocks,
            diagnostics: frontMatterDiagnostics + converter.diagnostics, mdx: mdx)
        for code in guide.codeBlocks where !code.isClosed {
            let opening = SourceRange(
                file: source.path, start: code.range.start,
                end: SourcePosition(
                    line: code.range.start.line, column: source.line(code.range.start.line).unicodeScalars.count + 1))
            guide.diagnostics.append(
                Diagnostic(
                    .warning, .markdownUnclosedFence,
                    "code fence is never closed, so everything after it up to line \(code.range.end.line) is code",
                    at: opening, notes: ["close the block with a line of at least as many backticks or tildes"]))
        }
        return guide
    }

    /// Gives each heading its id in document order, as Docusaurus does.
    static func assignAnchors(_ blocks: [Block]) -> [Block] {
        var slugger = HeadingSlugger()
        func visit(_ blocks: [Block]) -> [Block] {
            blocks.map { block in
                switch block {
                case .heading(var heading):
                    heading.anchor = heading.customID ?? slugger.slug(heading.text)
                    return .heading(heading)
                case .blockQuote(var quote):
                    quote.blocks = visit(quote.blocks)
                    return .blockQuote(quote)
                case .list(var list):
                    list.items = list.items.map { item in
                        var item = item
                        item.blocks = visit(item.blocks)
                        return item
                    }
                    return .list(list)
                default:
                    return block
                }
            }
        }
        return visit(blocks)
    }

    /// The index of the first byte that does not start or continue valid UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            var minimum: UInt32 = 0
            switch byte {
            case 0x00...0x7F:
                index += 1
                continue
            case 0xC2...0xDF:
                length = 2
                minimum = 0x80
            case 0xE0...0xEF:
                length = 3
                minimum = 0x800
            case 0xF0...0xF4:
                length = 4
                minimum = 0x10000
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            var value = UInt32(byte) & (0xFF >> (length + 1))
            for offset in 1..<length {
                let next = bytes[index + offset]
                guard next & 0xC0 == 0x80 else { return index }
                value = value << 6 | UInt32(next & 0x3F)
            }
            if value < minimum || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return index }
            index += length
        }
        return nil
    }
}

extension Guide {
    /// Every block in document order, nested ones included.
    public var allBlocks: [Block] {
        var result: [Block] = []
        var stack = Array(blocks.reversed())
        while let block = stack.popLast() {
            result.append(block)
            stack.append(contentsOf: block.children.reversed())
        }
        return result
    }

    public var headings: [Heading] {
        allBlocks.compactMap { if case .heading(let heading) = $0 { return heading } else { return nil } }
    }

    public var codeBlocks: [CodeBlock] {
        allBlocks.compactMap { if case .code(let code) = $0 { return code } else { return nil } }
    }

    public var paragraphs: [Paragraph] {
        allBlocks.compactMap { if case .paragraph(let paragraph) = $0 { return paragraph } else { return nil } }
    }

    public var lists: [ListBlock] {
        allBlocks.compactMap { if case .list(let list) = $0 { return list } else { return nil } }
    }

    /// Links and images from headings and paragraphs, in document order.
    public var links: [Link] {
        allBlocks.flatMap { block -> [Link] in
            switch block {
            case .heading(let heading): return heading.content.links
            case .paragraph(let paragraph): return paragraph.content.links
            case .html(let html): return html.links
            default: return []
            }
        }
    }

    /// Every id a link can reach on this page, with where it is defined: heading
    /// anchors, custom ids, and ids from raw HTML anywhere in the guide.
    public var anchors: [String: SourceRange] {
        var result: [String: SourceRange] = [:]
        for block in allBlocks {
            switch block {
            case .heading(let heading):
                result[heading.anchor] = result[heading.anchor] ?? heading.range
                for id in heading.htmlAnchors { result[id] = result[id] ?? heading.range }
            case .html(let html):
                for id in HTMLAnchorScanner.anchors(in: html.literal) { result[id] = result[id] ?? html.range }
            case .paragraph(let paragraph):
                for id in paragraph.content.html.flatMap(HTMLAnchorScanner.anchors(in:)) {
                    result[id] = result[id] ?? paragraph.range
                }
            default:
                break
            }
        }
        return result
    }
}
