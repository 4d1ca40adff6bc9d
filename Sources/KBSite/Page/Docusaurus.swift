import Foundation
import KBGuide

/// `:::note Title` … `:::`, Docusaurus's callouts. cmark reads them as
/// paragraphs; the fence lines are found on the paragraph's first and last lines.
struct Admonition {
    static let kinds: [String: String] = [
        "note": "Note", "tip": "Tip", "info": "Info", "caution": "Caution", "warning": "Warning",
        "danger": "Danger", "important": "Important", "success": "Success", "secondary": "Note",
    ]

    struct Opening {
        var kind: String
        /// The default title ("Note") when the fence gives none.
        var label: String
        /// The title written on the fence line, as inline content.
        var title: [InlineNode]
    }

    var opening: Opening?
    /// The paragraph's text between its fence lines.
    var body: [InlineNode]
    var closes: Bool
    /// Lines after the closing fence, in the same paragraph (no blank line between).
    var rest: [InlineNode] = []

    /// Nil when the paragraph is not an admonition fence.
    static func parse(_ paragraph: Paragraph) -> Admonition? {
        let lines = split(paragraph.content.nodes)
        guard let first = lines.first, case .text(let head) = first.first, head.hasPrefix(":::") else {
            // A paragraph that does not open one may still hold a closing fence.
            guard let close = lines.indices.dropFirst().first(where: { isClosing(lines[$0]) }) else { return nil }
            return Admonition(
                opening: nil, body: Array(lines[..<close]).joinedLines(), closes: true,
                rest: Array(lines[(close + 1)...]).joinedLines())
        }
        let rest = head.drop { $0 == ":" }
        let word = String(rest.prefix { $0.isLetter }).lowercased()
        if word.isEmpty {
            // A closing fence, maybe with text after it.
            guard isClosing(first) else { return nil }
            return Admonition(opening: nil, body: [], closes: true, rest: Array(lines.dropFirst()).joinedLines())
        }
        guard let label = kinds[word] else { return nil }
        // The title: the rest of the fence line, with `[…]` (Docusaurus v3) unwrapped.
        var title: [InlineNode] = []
        let afterWord = String(rest.dropFirst(word.count))
        if !afterWord.isEmpty { title.append(.text(afterWord)) }
        title += first.dropFirst()
        title = trimTitle(title)
        let opening = Opening(kind: word == "secondary" ? "note" : word, label: label, title: title)
        guard let close = lines.indices.dropFirst().first(where: { isClosing(lines[$0]) }) else {
            return Admonition(opening: opening, body: Array(lines.dropFirst()).joinedLines(), closes: false)
        }
        return Admonition(
            opening: opening, body: Array(lines[1..<close]).joinedLines(), closes: true,
            rest: Array(lines[(close + 1)...]).joinedLines())
    }

    static func isClosing(_ line: [InlineNode]) -> Bool {
        guard let text = plain(line) else { return false }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.count >= 3 && trimmed.allSatisfy { $0 == ":" }
    }

    /// Drops the spaces and the `[` `]` around a fence line's title.
    static func trimTitle(_ nodes: [InlineNode]) -> [InlineNode] {
        var nodes = nodes
        if case .text(let text) = nodes.first {
            var trimmed = Substring(text).drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("[") { trimmed = trimmed.dropFirst() }
            if trimmed.isEmpty { nodes.removeFirst() } else { nodes[0] = .text(String(trimmed)) }
        }
        if case .text(let text) = nodes.last {
            var trimmed = Substring(text)
            while trimmed.last == " " || trimmed.last == "\t" { trimmed = trimmed.dropLast() }
            if trimmed.hasSuffix("]") { trimmed = trimmed.dropLast() }
            if trimmed.isEmpty { nodes.removeLast() } else { nodes[nodes.count - 1] = .text(String(trimmed)) }
        }
        return nodes
    }

    static func split(_ nodes: [InlineNode]) -> [[InlineNode]] {
        var lines: [[InlineNode]] = [[]]
        for node in nodes {
            if node == .softBreak || node == .lineBreak {
                lines.append([])
            } else {
                lines[lines.count - 1].append(node)
            }
        }
        return lines
    }

    /// A line's text when it is plain text only.
    static func plain(_ line: [InlineNode]) -> String? {
        var text = ""
        for node in line {
            guard case .text(let part) = node else { return nil }
            text += part
        }
        return text
    }
}

/// A paragraph made only of MDX `import`/`export` lines: module code, not prose.
enum MDXModuleLines {
    static func matches(_ paragraph: Paragraph) -> Bool {
        let lines = Admonition.split(paragraph.content.nodes).compactMap(Admonition.plain)
        return !lines.isEmpty
            && lines.allSatisfy { line in
                (line.hasPrefix("import ") && (line.contains(" from ") || line.contains("'") || line.contains("\"")))
                    || line.hasPrefix("export ")
            }
    }
}

/// A task list item (`- [ ] to do`, `- [x] done`), as GitHub and Docusaurus read it.
enum TaskListItem {
    /// The item's blocks without the marker, and whether it is done; nil when
    /// the item is not a task.
    static func parse(_ blocks: [Block]) -> (blocks: [Block], done: Bool)? {
        guard case .paragraph(var first) = blocks.first, case .text(let text) = first.content.nodes.first else {
            return nil
        }
        for (marker, done) in [("[ ] ", false), ("[x] ", true), ("[X] ", true)] where text.hasPrefix(marker) {
            first.content.nodes[0] = .text(String(text.dropFirst(marker.count)))
            var blocks = blocks
            blocks[0] = .paragraph(first)
            return (blocks, done)
        }
        return nil
    }
}

extension Array where Element == [InlineNode] {
    /// Lines joined back with soft breaks.
    func joinedLines() -> [InlineNode] {
        enumerated().flatMap { index, line in index == 0 ? line : [.softBreak] + line }
    }
}
