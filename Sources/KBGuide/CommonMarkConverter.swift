internal import CCmark
import Foundation
import KBDiagnostics

extension Rule {
    public static let markdownNesting = Rule(
        "markdown-nesting", .warning,
        summary:
            "Block containers (lists, block quotes) are nested more than 100 levels deep; deeper content is skipped.",
        why:
            "No guide needs that depth; it comes from generated or malformed markdown, and any link, JSON block or transcript below the limit goes unchecked.",
        fix: "Flatten the nesting: use sections and shorter lists instead of deeply indented containers.",
        example: "markdown nested deeper than 100 levels; the content below is not checked")
}

/// The only place that touches libcmark: parses markdown, walks the C tree once,
/// copies every node into ``Block`` values and frees the tree before returning.
///
/// cmark reports 1-based *byte* columns; they are turned into scalar columns here
/// through the ``SourceText`` the markdown came from.
struct CommonMarkConverter {
    /// Containers nested deeper than this are not descended into.
    static let maxDepth = 100

    let source: SourceText
    private(set) var diagnostics: [Diagnostic] = []
    private var reportedDepth = false

    init(source: SourceText) {
        self.source = source
    }

    /// Parses `markdown`, which must have the same lines as `source` (front matter
    /// blanked out), and returns the top-level blocks.
    mutating func convert(markdown: [UInt8]) -> [Block] {
        let document: OpaquePointer? = markdown.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    cmark_parse_document($0, buffer.count, CMARK_OPT_DEFAULT)
                }
            } ?? cmark_parse_document("", 0, CMARK_OPT_DEFAULT)
        }
        guard let document else { return [] }
        defer { cmark_node_free(document) }
        return blocks(under: document, depth: 0)
    }

    // MARK: - Blocks

    private mutating func blocks(under parent: OpaquePointer, depth: Int) -> [Block] {
        var result: [Block] = []
        var child = cmark_node_first_child(parent)
        while let node = child {
            if let block = block(node, depth: depth) { result.append(block) }
            child = cmark_node_next(node)
        }
        return result
    }

    private mutating func children(of node: OpaquePointer, depth: Int) -> [Block] {
        guard depth < Self.maxDepth else {
            if !reportedDepth {
                reportedDepth = true
                diagnostics.append(
                    Diagnostic(
                        .warning, .markdownNesting,
                        "markdown nested deeper than \(Self.maxDepth) levels; the content below is not checked",
                        at: range(of: node)))
            }
            return []
        }
        return blocks(under: node, depth: depth + 1)
    }

    private mutating func block(_ node: OpaquePointer, depth: Int) -> Block? {
        let nodeRange = range(of: node)
        switch cmark_node_get_type(node) {
        case CMARK_NODE_HEADING:
            let content = inlines(of: node, within: nodeRange)
            let (text, customID) = CustomHeadingID.split(content.text)
            var stripped = content
            stripped.text = text
            if customID != nil,
                let last = stripped.nodes.lastIndex(where: { if case .text = $0 { true } else { false } }),
                case .text(let literal) = stripped.nodes[last]
            {
                stripped.nodes[last] = .text(CustomHeadingID.split(literal).text)
            }
            return .heading(
                Heading(
                    level: Int(cmark_node_get_heading_level(node)), content: stripped, anchor: "", customID: customID,
                    htmlAnchors: content.html.flatMap(HTMLAnchorScanner.anchors(in:)), range: nodeRange))
        case CMARK_NODE_PARAGRAPH:
            return .paragraph(Paragraph(content: inlines(of: node, within: nodeRange), range: nodeRange))
        case CMARK_NODE_CODE_BLOCK:
            return .code(codeBlock(node, range: nodeRange))
        case CMARK_NODE_HTML_BLOCK:
            let literal = string(cmark_node_get_literal(node))
            let start = source.byteOffset(of: nodeRange.start)
            let span = ByteSpan(start: start, end: max(source.byteOffset(of: nodeRange.end), start))
            return .html(
                HTMLBlock(
                    literal: literal, links: htmlLinks(in: literal, searchFrom: start, within: span), range: nodeRange))
        case CMARK_NODE_THEMATIC_BREAK:
            return .thematicBreak(nodeRange)
        case CMARK_NODE_BLOCK_QUOTE:
            return .blockQuote(BlockQuote(blocks: children(of: node, depth: depth), range: nodeRange))
        case CMARK_NODE_LIST:
            var items: [ListItem] = []
            var child = cmark_node_first_child(node)
            while let item = child {
                items.append(ListItem(blocks: children(of: item, depth: depth + 1), range: range(of: item)))
                child = cmark_node_next(item)
            }
            return .list(
                ListBlock(
                    ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                    start: Int(cmark_node_get_list_start(node)), tight: cmark_node_get_list_tight(node) != 0,
                    items: items, range: nodeRange))
        default:
            return nil
        }
    }

    // MARK: - Code blocks

    private func codeBlock(_ node: OpaquePointer, range: SourceRange) -> CodeBlock {
        let literal = string(cmark_node_get_literal(node))
        let info = string(cmark_node_get_fence_info(node)).trimmingCharacters(in: .whitespaces)
        let startLine = Int(cmark_node_get_start_line(node))
        let startByteColumn = Int(cmark_node_get_start_column(node))
        // libcmark 0.30 has no "is fenced" flag: a fenced block's first line is its fence.
        let atStart = source.lineBytes(startLine).dropFirst(max(startByteColumn - 1, 0))
        let firstLine = atStart.drop { $0 == 0x20 }
        let fenceLike = firstLine.starts(with: Array("```".utf8)) || firstLine.starts(with: Array("~~~".utf8))
        // An indented code block starts with its own first line, which may itself
        // look like a fence (a guide showing markdown); a fenced block starts with
        // the fence, and its text begins on the next line.
        let firstText = Array(
            (literal.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").utf8)
        let startsWithText =
            !firstText.isEmpty && Array(atStart) == Array(firstText)
            && !source.lineBytes(startLine + 1).reversed().starts(with: firstText.reversed())
        let isFenced = fenceLike && !startsWithText
        let isClosed =
            !isFenced
            || Self.closesFence(
                opening: firstLine, line: source.lineBytes(range.end.line), sameLine: range.end.line == startLine)
        let (language, attributes) = CodeInfoParser.parse(info)

        var lines: [CodeLine] = []
        var offset = 0
        var texts = literal.split(separator: "\n", omittingEmptySubsequences: false)
        if literal.hasSuffix("\n") { texts.removeLast() }
        for (index, text) in texts.enumerated() {
            let fileLine = startLine + (isFenced ? 1 : 0) + index
            let original = source.lineBytes(fileLine)
            let bytes = Array(text.utf8)
            // The literal line is the file line minus container prefixes and
            // indentation, so it is a suffix of it; cmark only makes up spaces
            // when it splits a tab, and those lie in front of the common suffix.
            let (common, originalCommon) = Self.commonSuffix(bytes, original)
            let virtualSpaces = bytes.count - common
            let byteColumn = original.count - originalCommon + 1
            lines.append(
                CodeLine(
                    text: String(text), literalOffset: offset, line: fileLine,
                    column: source.column(line: fileLine, byteColumn: byteColumn), virtualSpaces: virtualSpaces))
            offset += bytes.count + 1
        }
        return CodeBlock(
            isFenced: isFenced, isClosed: isClosed, info: info, language: language, attributes: attributes,
            literal: literal,
            lines: lines, range: range)
    }

    /// The lengths of the longest common suffix of a literal line and its file
    /// line, in each one's bytes. cmark turns NUL into U+FFFD, so that pair matches.
    static func commonSuffix(_ literal: [UInt8], _ original: ArraySlice<UInt8>) -> (Int, Int) {
        var i = literal.count
        var j = original.endIndex
        while i > 0, j > original.startIndex {
            if literal[i - 1] == original[j - 1] {
                i -= 1
                j -= 1
            } else if original[j - 1] == 0, i >= 3, literal[(i - 3)..<i].elementsEqual([0xEF, 0xBF, 0xBD]) {
                i -= 3
                j -= 1
            } else {
                break
            }
        }
        return (literal.count - i, original.endIndex - j)
    }

    /// Whether the block's last line is a fence that closes the opening one: the
    /// same character, at least as many of it, and nothing else but spaces.
    static func closesFence(opening: ArraySlice<UInt8>, line: ArraySlice<UInt8>, sameLine: Bool) -> Bool {
        guard !sameLine, let fenceByte = opening.first else { return false }
        let openingLength = opening.prefix { $0 == fenceByte }.count
        // The last line may carry container prefixes ("> ", list indentation).
        var content = line
        while let last = content.last, last == 0x20 || last == 0x09 { content.removeLast() }
        let run = content.reversed().prefix { $0 == fenceByte }.count
        guard run >= openingLength else { return false }
        let before = content.dropLast(run)
        return before.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: ">") }
    }

    // MARK: - Inlines

    /// Flattens a block's inline children without recursion (cmark's iterator),
    /// so deeply nested emphasis cannot exhaust the stack.
    private func inlines(of block: OpaquePointer, within blockRange: SourceRange) -> InlineContent {
        var content = InlineContent()
        var openLinks: [(node: OpaquePointer, textStart: String.Index)] = []
        let span = ByteSpan(
            start: source.byteOffset(of: blockRange.start),
            end: max(source.byteOffset(of: blockRange.end), source.byteOffset(of: blockRange.start)))
        guard let iterator = cmark_iter_new(block) else { return content }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator), node != block else { continue }
            let type = cmark_node_get_type(node)
            switch (type, event) {
            case (CMARK_NODE_TEXT, _):
                let literal = string(cmark_node_get_literal(node))
                content.text += literal
                content.nodes.append(.text(literal))
            case (CMARK_NODE_CODE, _):
                let literal = string(cmark_node_get_literal(node))
                content.text += literal
                content.nodes.append(.code(literal))
            case (CMARK_NODE_SOFTBREAK, _), (CMARK_NODE_LINEBREAK, _):
                content.text += " "
                content.nodes.append(type == CMARK_NODE_SOFTBREAK ? .softBreak : .lineBreak)
            case (CMARK_NODE_EMPH, CMARK_EVENT_ENTER): content.nodes.append(.enterEmphasis)
            case (CMARK_NODE_EMPH, CMARK_EVENT_EXIT): content.nodes.append(.exitEmphasis)
            case (CMARK_NODE_STRONG, CMARK_EVENT_ENTER): content.nodes.append(.enterStrong)
            case (CMARK_NODE_STRONG, CMARK_EVENT_EXIT): content.nodes.append(.exitStrong)
            case (CMARK_NODE_HTML_INLINE, _):
                let html = string(cmark_node_get_literal(node))
                content.nodes.append(.html(html))
                content.html.append(html)
                content.links += htmlLinks(
                    in: html, searchFrom: reportedOffset(node, in: span) ?? span.start, within: span)
            case (CMARK_NODE_LINK, CMARK_EVENT_ENTER), (CMARK_NODE_IMAGE, CMARK_EVENT_ENTER):
                openLinks.append((node, content.text.endIndex))
                let destination = string(cmark_node_get_url(node))
                let title = string(cmark_node_get_title(node))
                content.nodes.append(
                    type == CMARK_NODE_LINK
                        ? .enterLink(destination: destination, title: title)
                        : .enterImage(destination: destination, title: title))
            case (CMARK_NODE_LINK, CMARK_EVENT_EXIT), (CMARK_NODE_IMAGE, CMARK_EVENT_EXIT):
                content.nodes.append(type == CMARK_NODE_LINK ? .exitLink : .exitImage)
                guard let open = openLinks.popLast() else { break }
                let destination = string(cmark_node_get_url(node))
                content.links.append(
                    Link(
                        destination: destination, title: string(cmark_node_get_title(node)),
                        text: String(content.text[open.textStart...]), isImage: type == CMARK_NODE_IMAGE,
                        range: linkRange(node, destination: destination, within: span)))
            default:
                break
            }
        }
        return content
    }

    /// A block's extent in bytes of the source.
    struct ByteSpan {
        var start: Int
        var end: Int
    }

    /// Where cmark says an inline node starts, when that lies inside the block.
    private func reportedOffset(_ node: OpaquePointer, in span: ByteSpan) -> Int? {
        let line = Int(cmark_node_get_start_line(node))
        let column = Int(cmark_node_get_start_column(node))
        guard line >= 1, line <= source.lineCount else { return nil }
        let offset = source.lineStarts[line - 1] + max(column - 1, 0)
        return offset >= span.start && offset < span.end ? offset : nil
    }

    /// How far past cmark's reported start a link target is searched for; bounded
    /// so that a line of thousands of links stays linear.
    static let searchWindow = 4096

    /// Where a link's target is written: after `](` (or `](<`), inside `<…>` for an
    /// autolink. cmark 0.30's inline positions are right for most links but not for
    /// autolinks, so the target is searched for near the reported start. Reference
    /// links, whose target is elsewhere, get the link's own position.
    private func linkRange(_ node: OpaquePointer, destination: String, within span: ByteSpan) -> SourceRange {
        let start = reportedOffset(node, in: span) ?? span.start
        let target = Array(destination.utf8)
        if !target.isEmpty {
            let limit = min(span.end, start + Self.searchWindow + target.count + 3)
            for (prefix, suffix) in [("](", ""), ("](<", ""), ("<", ">")] {
                let needle = Array(prefix.utf8) + target + Array(suffix.utf8)
                if let found = find(needle, from: start, before: limit) {
                    let from = found + prefix.utf8.count
                    return source.range(fromByte: from, toByte: from + target.count)
                }
            }
            // An autolink reported at the wrong place: look from the block's start, bounded too.
            let needle = Array("<".utf8) + target + Array(">".utf8)
            if isAutolink(node, destination: destination),
                let found = find(
                    needle, from: span.start, before: min(span.end, span.start + Self.searchWindow + needle.count))
            {
                return source.range(fromByte: found + 1, toByte: found + 1 + target.count)
            }
        }
        return source.range(fromByte: start, toByte: start)
    }

    /// An autolink's text is its destination (minus `mailto:` for addresses).
    private func isAutolink(_ node: OpaquePointer, destination: String) -> Bool {
        guard let child = cmark_node_first_child(node), cmark_node_get_type(child) == CMARK_NODE_TEXT else {
            return false
        }
        let text = string(cmark_node_get_literal(child))
        return text == destination || "mailto:" + text == destination
    }

    /// `href` and `src` targets in a piece of raw HTML, each located by searching
    /// forward from `offset` (so repeated targets get successive positions).
    private func htmlLinks(in html: String, searchFrom offset: Int, within span: ByteSpan) -> [Link] {
        var cursor = offset
        var links: [Link] = []
        for reference in HTMLAnchorScanner.references(in: html) {
            let target = Array(reference.value.utf8)
            var range = source.range(fromByte: cursor, toByte: cursor)
            if !target.isEmpty,
                let found = find(
                    target, from: cursor, before: min(span.end, cursor + Self.searchWindow + html.utf8.count))
            {
                range = source.range(fromByte: found, toByte: found + target.count)
                cursor = found + target.count
            }
            links.append(
                Link(destination: reference.value, title: "", text: "", isImage: reference.isImage, range: range))
        }
        return links
    }

    private func find(_ needle: [UInt8], from start: Int, before end: Int) -> Int? {
        // Spans come from cmark's columns, which can run past the text: cmark reads
        // a NUL byte as U+FFFD, three bytes, and a column past a line's end maps
        // past it (on the last line, past the end of the file).
        let end = min(end, source.bytes.count)
        guard !needle.isEmpty, start >= 0, needle.count <= end - start else { return nil }
        let bytes = source.bytes
        var index = start
        while index + needle.count <= end {
            if bytes[index] == needle[0], bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    // MARK: - Positions and strings

    private func range(of node: OpaquePointer) -> SourceRange {
        let startLine = max(Int(cmark_node_get_start_line(node)), 1)
        let endLine = max(Int(cmark_node_get_end_line(node)), startLine)
        let start = SourcePosition(
            line: startLine, column: source.column(line: startLine, byteColumn: Int(cmark_node_get_start_column(node))))
        // cmark's end column is inclusive; 0 means "the end of the previous line".
        let endByteColumn = Int(cmark_node_get_end_column(node))
        let end = SourcePosition(line: endLine, column: source.column(line: endLine, byteColumn: endByteColumn + 1))
        return SourceRange(file: source.path, start: start, end: end)
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}
