import Foundation
import KBDiagnostics
import KBGuide

/// GitHub-style pipe tables, which Docusaurus renders and plain cmark reads as a
/// paragraph: a header line, a delimiter line (`| --- | :-: |`), then rows.
/// Cells are split at `|` in text, never inside code spans.
struct PipeTable {
    var header: [[InlineNode]]
    /// `left`, `center`, `right` or nil per column.
    var alignments: [String?]
    var rows: [[[InlineNode]]]

    /// Reads the table from the paragraph's source lines, so a cell boundary is
    /// an unescaped `|` exactly as GitHub sees it (cmark has already turned `\|`
    /// into a plain pipe in the parsed text). Each cell is then parsed as inline
    /// markdown on its own.
    static func parse(_ paragraph: Paragraph, source: SourceText) -> PipeTable? {
        guard paragraph.text.contains("|") else { return nil }
        let nodeLines = Admonition.split(paragraph.content.nodes)
        guard nodeLines.count >= 2, let delimiter = Admonition.plain(nodeLines[1]),
            let alignments = alignments(delimiter)
        else { return nil }
        let first = paragraph.range.start.line
        let last = paragraph.range.end.line
        guard last - first + 1 == nodeLines.count else { return nil }
        // Container prefixes (`> `, list indentation) end where the paragraph starts.
        let indent = max(paragraph.range.start.column - 1, 0)
        let lines = (first...last).map { number -> String in
            let line = source.line(number)
            let prefix = line.unicodeScalars.prefix(indent)
            guard prefix.allSatisfy({ $0 == " " || $0 == "\t" || $0 == ">" }) else { return line }
            return String(String.UnicodeScalarView(line.unicodeScalars.dropFirst(prefix.count)))
        }
        let header = cells(lines[0]).map(inline)
        guard header.count == alignments.count else { return nil }
        let rows = lines.dropFirst(2).map { line -> [[InlineNode]] in
            var row = cells(line).map(inline)
            // A row has exactly the header's number of cells.
            if row.count > header.count { row = Array(row.prefix(header.count)) }
            while row.count < header.count { row.append([]) }
            return row
        }
        return PipeTable(header: header, alignments: alignments, rows: rows)
    }

    /// A row's cell texts: split at `|` not escaped by a backslash; the outer pipes are optional.
    static func cells(_ line: String) -> [String] {
        var cells: [String] = [""]
        var escaped = false
        for character in line {
            if character == "|" && !escaped {
                cells.append("")
            } else {
                cells[cells.count - 1].append(character)
            }
            escaped = character == "\\" && !escaped
        }
        if let first = cells.first, first.allSatisfy(\.isWhitespace), cells.count > 1 { cells.removeFirst() }
        if let last = cells.last, last.allSatisfy(\.isWhitespace), cells.count > 1 { cells.removeLast() }
        return cells.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// A cell's markdown as inline content: cmark parses it as a one-line document.
    static func inline(_ text: String) -> [InlineNode] {
        guard !text.isEmpty else { return [] }
        var blocks = GuideParser.parse(path: "cell", bytes: Array(text.utf8)).blocks
        while let block = blocks.first {
            switch block {
            case .paragraph(let paragraph): return paragraph.content.nodes
            case .heading(let heading):
                return [.text(String(repeating: "#", count: heading.level) + " ")] + heading.content.nodes
            case .list, .blockQuote: blocks = block.children
            default: return [.text(text)]
            }
        }
        return [.text(text)]
    }

    static func alignments(_ line: String) -> [String?]? {
        var trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.contains("-") else { return nil }
        if trimmed.hasPrefix("|") { trimmed.removeFirst() }
        if trimmed.hasSuffix("|") { trimmed.removeLast() }
        var result: [String?] = []
        for cell in trimmed.split(separator: "|", omittingEmptySubsequences: false) {
            let text = cell.trimmingCharacters(in: .whitespaces)
            let core = text.trimmingCharacters(in: CharacterSet(charactersIn: ":"))
            guard !core.isEmpty, core.allSatisfy({ $0 == "-" }) else { return nil }
            switch (text.hasPrefix(":"), text.hasSuffix(":")) {
            case (true, true): result.append("center")
            case (false, true): result.append("right")
            case (true, false): result.append("left")
            default: result.append(nil)
            }
        }
        return result
    }
}
