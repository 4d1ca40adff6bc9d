import CCmark
import Foundation
import KBDiagnostics

extension RuleID {
    public static let markdownNesting = RuleID("markdown-nesting")
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
            return .heading(
                Heading(
                    level: Int(cmark_node_get_heading_level(node)), content: stripped, anchor: "", customID: customID,
                    htmlAnchors: content.html.flatMap(HTMLAnchorScanner.anchors(in:)), range: nodeRange))
        case CMARK_NODE_PARAGRAPH:
            return .paragraph(Paragraph(content: inlines(of: node, within: nodeRange), range: nodeRange))
        case CMARK_NODE_CODE_BLOCK:
            return .code(codeBlock(node, range: nodeRange))
        case CMARK_NODE_HTML_BLOCK:
            return .html(HTMLBlock(literal: string(cmark_node_get_literal(node)), range: nodeRange))
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
        let firstLine = source.lineBytes(startLine).dropFirst(max(startByteColumn - 1, 0)).drop { $0 == 0x20 }
        let isFenced = firstLine.starts(with: Array("```".utf8)) || firstLine.starts(with: Array("~~~".utf8))
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
            var common = 0
            while common < bytes.count, common < original.count,
                bytes[bytes.count - 1 - common] == original[original.endIndex - 1 - common]
            {
                common += 1
            }
            let virtualSpaces = bytes.count - common
            let byteColumn = original.count - common + 1
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
        guard let iterator = cmark_iter_new(block) else { return content }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator), node != block else { continue }
            let type = cmark_node_get_type(node)
            switch (type, event) {
            case (CMARK_NODE_TEXT, _), (CMARK_NODE_CODE, _):
                content.text += string(cmark_node_get_literal(node))
            case (CMARK_NODE_SOFTBREAK, _), (CMARK_NODE_LINEBREAK, _):
                content.text += " "
            case (CMARK_NODE_HTML_INLINE, _):
                content.html.append(string(cmark_node_get_literal(node)))
            case (CMARK_NODE_LINK, CMARK_EVENT_ENTER), (CMARK_NODE_IMAGE, CMARK_EVENT_ENTER):
                openLinks.append((node, content.text.endIndex))
            case (CMARK_NODE_LINK, CMARK_EVENT_EXIT), (CMARK_NODE_IMAGE, CMARK_EVENT_EXIT):
                guard let open = openLinks.popLast() else { break }
                let destination = string(cmark_node_get_url(node))
                content.links.append(
                    Link(
                        destination: destination, title: string(cmark_node_get_title(node)),
                        text: String(content.text[open.textStart...]), isImage: type == CMARK_NODE_IMAGE,
                        range: linkRange(node, destination: destination, within: blockRange)))
            default:
                break
            }
        }
        return content
    }

    /// Where a link's target is written. cmark 0.30's inline positions are right
    /// for most links but not for autolinks, so the target text is searched for,
    /// first from the link's reported start, then from the block's start.
    private func linkRange(_ node: OpaquePointer, destination: String, within blockRange: SourceRange) -> SourceRange {
        let blockStart = source.byteOffset(of: blockRange.start)
        let blockEnd = max(source.byteOffset(of: blockRange.end), blockStart)
        let line = Int(cmark_node_get_start_line(node))
        let column = Int(cmark_node_get_start_column(node))
        var starts = [blockStart]
        if line >= 1, line <= source.lineCount {
            let reported = source.lineStarts[line - 1] + max(column - 1, 0)
            if reported >= blockStart, reported < blockEnd { starts.insert(reported, at: 0) }
        }
        let needle = Array(destination.utf8)
        if !needle.isEmpty {
            for start in starts {
                if let found = find(needle, from: start, before: blockEnd) {
                    return source.range(fromByte: found, toByte: found + needle.count)
                }
            }
        }
        return source.range(fromByte: starts[0], toByte: starts[0])
    }

    private func find(_ needle: [UInt8], from start: Int, before end: Int) -> Int? {
        guard needle.count <= end - start else { return nil }
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
