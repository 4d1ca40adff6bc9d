import Foundation
import KBGuide

/// GitHub-style pipe tables, which Docusaurus renders and plain cmark reads as a
/// paragraph: a header line, a delimiter line (`| --- | :-: |`), then rows.
/// Cells are split at `|` in text, never inside code spans.
struct PipeTable {
    var header: [[InlineNode]]
    /// `left`, `center`, `right` or nil per column.
    var alignments: [String?]
    var rows: [[[InlineNode]]]

    static func parse(_ paragraph: Paragraph) -> PipeTable? {
        guard paragraph.text.contains("|") else { return nil }
        let lines = Admonition.split(paragraph.content.nodes)
        guard lines.count >= 2, let delimiter = Admonition.plain(lines[1]),
            let alignments = alignments(delimiter)
        else { return nil }
        let header = cells(lines[0])
        guard header.count == alignments.count else { return nil }
        let rows = lines.dropFirst(2).map { line -> [[InlineNode]] in
            var row = cells(line)
            // A row has exactly the header's number of cells.
            if row.count > header.count { row = Array(row.prefix(header.count)) }
            while row.count < header.count { row.append([]) }
            return row
        }
        return PipeTable(header: header, alignments: alignments, rows: rows)
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

    /// A line's cells: split at `|` in text nodes; the outer pipes are optional.
    static func cells(_ line: [InlineNode]) -> [[InlineNode]] {
        var cells: [[InlineNode]] = [[]]
        for node in line {
            guard case .text(let text) = node, text.contains("|") else {
                cells[cells.count - 1].append(node)
                continue
            }
            let parts = text.split(separator: "|", omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() {
                if index > 0 { cells.append([]) }
                if !part.isEmpty { cells[cells.count - 1].append(.text(String(part))) }
            }
        }
        func isBlank(_ cell: [InlineNode]) -> Bool {
            cell.allSatisfy {
                if case .text(let text) = $0 { return text.allSatisfy(\.isWhitespace) } else { return false }
            }
        }
        if let first = cells.first, isBlank(first), cells.count > 1 { cells.removeFirst() }
        if let last = cells.last, isBlank(last), cells.count > 1 { cells.removeLast() }
        return cells.map(trim)
    }

    /// Removes the spaces around a cell's content.
    static func trim(_ cell: [InlineNode]) -> [InlineNode] {
        var cell = cell
        if case .text(let text) = cell.first {
            let trimmed = String(text.drop { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty { cell.removeFirst() } else { cell[0] = .text(trimmed) }
        }
        if case .text(let text) = cell.last {
            var trimmed = text
            while trimmed.last == " " || trimmed.last == "\t" { trimmed.removeLast() }
            if trimmed.isEmpty { cell.removeLast() } else { cell[cell.count - 1] = .text(trimmed) }
        }
        return cell
    }
}
