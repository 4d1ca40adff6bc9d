import Foundation
import KBDiagnostics
import KBGuide

/// `<!-- kbtool-disable RULE … -->` (or the MDX form `{/* kbtool-disable RULE */}`)
/// silences the named rules, or every rule when none is named, in the block that
/// follows it: a code block, a list, a paragraph.
public struct Suppression: Sendable, Hashable, Codable {
    /// Empty means every rule.
    public var rules: Set<String>
    /// The block it applies to.
    public var range: SourceRange
    /// Where the comment is, for reporting unused or unknown rules.
    public var commentRange: SourceRange

    public func covers(_ diagnostic: Diagnostic) -> Bool {
        guard diagnostic.range.file == range.file, rules.isEmpty || rules.contains(diagnostic.rule.rawValue) else {
            return false
        }
        return diagnostic.range.start.line >= range.start.line && diagnostic.range.start.line <= range.end.line
    }

    /// The suppressions written in a guide, at every nesting level.
    public static func find(in guide: Guide) -> [Suppression] {
        var found: [Suppression] = []
        func visit(_ blocks: [Block]) {
            for (index, block) in blocks.enumerated() {
                if let rules = rules(in: block), index + 1 < blocks.count {
                    found.append(Suppression(rules: rules, range: blocks[index + 1].range, commentRange: block.range))
                }
                visit(block.children)
            }
        }
        visit(guide.blocks)
        return found
    }

    /// The rules a block names when it is a disable comment.
    static func rules(in block: Block) -> Set<String>? {
        let text: String
        switch block {
        case .html(let html):
            text = html.literal.trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.hasPrefix("<!--"), text.hasSuffix("-->") else { return nil }
            return parse(String(text.dropFirst(4).dropLast(3)))
        case .paragraph(let paragraph):
            text = paragraph.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.hasPrefix("{/*"), text.hasSuffix("*/}") else { return nil }
            return parse(String(text.dropFirst(3).dropLast(3)))
        default:
            return nil
        }
    }

    static func parse(_ comment: String) -> Set<String>? {
        let words = comment.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "," })
        guard words.first == "kbtool-disable" else { return nil }
        // A former id silences the rule it became.
        return Set(words.dropFirst().map { Rule.currentID(String($0)) })
    }
}
