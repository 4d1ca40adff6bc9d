/// One defect repeated through a block is one finding: the first, with the
/// count of the others, a few of their places, and one fix for all. A block with
/// a comment after every member, or the same misspelt option in each of its
/// commands, shows its reader one mistake, not a dozen.
public enum RepeatedFindings {
    /// Merges findings of one rule and one message into the first of them; each
    /// result carries the owners (checked items) of every finding merged into it.
    /// Order is the order of first appearance.
    public static func merge<Owner>(
        _ findings: [(diagnostic: Diagnostic, owner: Owner)], source: SourceText?
    ) -> [(diagnostic: Diagnostic, owners: [Owner])] {
        var groups: [(key: String, members: [(diagnostic: Diagnostic, owner: Owner)])] = []
        for finding in findings {
            let key = finding.diagnostic.rule.rawValue + "\u{0}" + finding.diagnostic.message
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].members.append(finding)
            } else {
                groups.append((key, [finding]))
            }
        }
        return groups.map { group in
            let diagnostics = group.members.map(\.diagnostic)
            return (merged(diagnostics, source: source), group.members.map(\.owner))
        }
    }

    /// The first of `diagnostics` (one defect repeated), saying how many more
    /// there are, with the next few lines that have it as related places and
    /// the fixes of all combined, when every one has a fix.
    public static func merged(_ diagnostics: [Diagnostic], source: SourceText?) -> Diagnostic {
        guard var found = diagnostics.first else { preconditionFailure("merging no findings") }
        guard diagnostics.count > 1 else { return found }
        found.message += " (and \(diagnostics.count - 1) more like it in this block)"
        // The next few lines with the defect, one place per line.
        var lines: Set<Int> = [found.range.start.line]
        for other in diagnostics.dropFirst() where lines.count <= 3 {
            guard lines.insert(other.range.start.line).inserted else { continue }
            found.related.append(RelatedLocation(range: other.range, message: "the same here"))
        }
        let fixes = diagnostics.compactMap(\.fix)
        found.fix = fixes.count == diagnostics.count ? source.flatMap { combined(fixes, in: $0) } : nil
        return found
    }

    /// One edit for several: the text from the first edit to the last with each
    /// applied, so `--fix` and the reader apply them together. Nil when edits
    /// overlap or fall outside the text.
    public static func combined(_ fixes: [FixIt], in source: SourceText) -> FixIt? {
        guard let first = fixes.first else { return nil }
        let ranges = fixes.map { fix in
            (start: source.byteOffset(of: fix.range.start), end: source.byteOffset(of: fix.range.end), fix: fix)
        }.sorted { $0.start < $1.start }
        guard let low = ranges.first?.start, let high = ranges.map(\.end).max(), low <= high,
            high <= source.bytes.count
        else { return nil }
        var replacement: [UInt8] = []
        var position = low
        for range in ranges {
            guard range.start >= position else { return nil }  // overlapping edits: no safe combination
            replacement += source.bytes[position..<range.start]
            replacement += Array(range.fix.replacement.utf8)
            position = range.end
        }
        replacement += source.bytes[position..<high]
        return FixIt(
            range: SourceRange(
                file: first.range.file, start: source.position(ofByteOffset: low),
                end: source.position(ofByteOffset: high)),
            replacement: String(decoding: replacement, as: UTF8.self),
            message: "\(first.message) (all \(fixes.count))", isUnambiguous: fixes.allSatisfy(\.isUnambiguous))
    }
}
