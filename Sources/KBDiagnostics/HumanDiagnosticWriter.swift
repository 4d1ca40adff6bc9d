import Foundation
import Synchronization

/// Writes diagnostics the way rustc and swiftc do: a `path:line:col: severity:
/// message [rule]` header, the source line with the span underlined, related
/// locations, help notes and the suggested fix applied to the line.
public struct HumanDiagnosticWriter: Sendable {
    public var sources: [String: SourceText]
    public var colors: Bool

    public init(sources: [String: SourceText], colors: Bool) {
        self.sources = sources
        self.colors = colors
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        let sorted = Diagnostic.sortedForOutput(diagnostics)
        // Thousands of findings (a folder of policies) are written on every core, in
        // runs of consecutive findings joined in order: the output is the same.
        let run = 256
        guard sorted.count >= 2 * run else { return sorted.map(render).joined() }
        let runs = (sorted.count + run - 1) / run
        let pieces = Mutex<[Int: String]>([:])
        let writer = self
        DispatchQueue.concurrentPerform(iterations: runs) { index in
            let text = sorted[(index * run)..<min(sorted.count, (index + 1) * run)].map(writer.render).joined()
            pieces.withLock { $0[index] = text }
        }
        return pieces.withLock { all in (0..<runs).map { all[$0] ?? "" }.joined() }
    }

    /// One diagnostic, ending with a blank line.
    public func render(_ diagnostic: Diagnostic) -> String {
        let lineNumbers =
            [diagnostic.range.start.line]
            + diagnostic.related.map(\.range.start.line)
            + (diagnostic.fix.map { [$0.range.start.line] } ?? [])
        let gutter = String(lineNumbers.max() ?? 1).count
        var out = header(diagnostic.range, diagnostic.severity.rawValue, severityStyle(diagnostic.severity))
        out += paint(diagnostic.message, .bold) + " " + paint("[\(diagnostic.rule)]", .dim) + "\n"
        out += excerpt(diagnostic.range, marker: "^", style: severityStyle(diagnostic.severity), gutter: gutter)
        for related in diagnostic.related {
            out += header(related.range, "note", .cyan) + related.message + "\n"
            out += excerpt(related.range, marker: "-", style: .cyan, gutter: gutter)
        }
        for note in diagnostic.notes {
            // Later lines of a note (a diff) line up under its first word.
            let indent = pad(gutter) + String(repeating: " ", count: 9)
            let lines = note.split(separator: "\n", omittingEmptySubsequences: false)
            out += pad(gutter) + " " + paint("=", .blue) + " " + paint("help:", .bold) + " " + lines[0] + "\n"
            for line in lines.dropFirst() { out += indent + line + "\n" }
        }
        if let fix = diagnostic.fix {
            out += pad(gutter) + " " + paint("=", .blue) + " " + paint("fix:", .bold) + " " + fix.message + "\n"
            out += fixPreview(fix, gutter: gutter)
        }
        return out + "\n"
    }

    // MARK: - Pieces

    private func header(_ range: SourceRange, _ label: String, _ style: Style) -> String {
        let location = "\(range.file):\(range.start.line):\(range.start.column):"
        return paint(location, .bold) + " " + paint(label + ":", style) + " "
    }

    private func excerpt(_ range: SourceRange, marker: Character, style: Style, gutter: Int) -> String {
        guard let source = sources[range.file], range.start.line <= source.lineCount else { return "" }
        let line = source.line(range.start.line)
        let lineEnd = range.end.line == range.start.line ? range.end.column : line.unicodeScalars.count + 1
        let (text, start, endColumn) = Self.window(line, from: range.start.column, to: lineEnd)
        return marked(
            text, line: range.start.line, from: start, to: endColumn, marker: marker, style: style, gutter: gutter)
    }

    /// A source line under a gutter with the span `from..<to` (scalar columns)
    /// underlined by `marker`: the block shared by excerpts and fix previews.
    private func marked(
        _ text: String, line: Int, from start: Int, to end: Int, marker: Character, style: Style, gutter: Int
    ) -> String {
        let (shown, startWidth, spanWidth) = Self.layout(text, from: start, to: end)
        let underline = Self.spaces(startWidth) + String(repeating: marker, count: max(spanWidth, 1))
        return pad(gutter) + " " + paint("|", .blue) + "\n"
            + paint(String(line).leftPadded(to: gutter), .blue) + " " + paint("|", .blue) + " " + shown + "\n"
            + pad(gutter) + " " + paint("|", .blue) + " " + paint(underline, style) + "\n"
    }

    private func fixPreview(_ fix: FixIt, gutter: Int) -> String {
        guard fix.range.start.line == fix.range.end.line, !fix.replacement.contains("\n"),
            let source = sources[fix.range.file], fix.range.start.line <= source.lineCount
        else { return "" }
        // Cut a long line down first, so a fix on minified JSON costs a screenful.
        let (cut, cutStart, cutEnd) = Self.window(
            source.line(fix.range.start.line), from: fix.range.start.column, to: fix.range.end.column)
        let original = Array(cut.unicodeScalars)
        let start = min(cutStart - 1, original.count)
        let end = min(max(cutEnd - 1, start), original.count)
        let marker: Character
        let shownLine: String
        let markedEnd: Int
        if fix.replacement.isEmpty {
            // A deletion: show the original line with the removed text marked.
            shownLine = String(String.UnicodeScalarView(original))
            marker = "-"
            markedEnd = end
        } else {
            var edited = original
            edited.replaceSubrange(start..<end, with: Array(fix.replacement.unicodeScalars))
            shownLine = String(String.UnicodeScalarView(edited))
            marker = "+"
            markedEnd = start + fix.replacement.unicodeScalars.count
        }
        return marked(
            shownLine, line: fix.range.start.line, from: start + 1, to: markedEnd + 1, marker: marker, style: .green,
            gutter: gutter)
    }

    /// Columns of context kept around a span on a very long line (minified JSON).
    static let windowRadius = 60

    /// Cuts a long line down to the span and some context, marking the cuts with
    /// `…`, so a diagnostic on a 50 KB line prints one screenful, not the line.
    static func window(_ line: String, from start: Int, to end: Int) -> (String, Int, Int) {
        // No more bytes than the limit means no more scalars: nothing to cut, no copy.
        if line.utf8.count <= windowRadius * 4 { return (line, start, end) }
        let scalars = Array(line.unicodeScalars)
        guard scalars.count > windowRadius * 4 else { return (line, start, end) }
        let from = max(start - 1 - windowRadius, 0)
        let to = min(max(end - 1, start) + windowRadius, scalars.count)
        var text = String(String.UnicodeScalarView(scalars[from..<to]))
        var shift = from
        if from > 0 {
            text = "…" + text
            shift -= 1
        }
        if to < scalars.count { text += "…" }
        return (text, start - shift, end - shift)
    }

    /// Expands tabs and measures display widths so carets line up under wide
    /// (CJK) characters and after tabs. Columns are 1-based scalar columns.
    static func layout(_ line: String, from startColumn: Int, to endColumn: Int) -> (String, Int, Int) {
        // Printable ASCII (nearly every line shown) is shown as it is, a column a byte.
        if line.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            let count = line.utf8.count
            func width(_ column: Int) -> Int {
                column >= 1 && column <= count ? column - 1 : count + max(column - count - 1, 0)
            }
            let start = width(startColumn)
            return (line, start, max(width(endColumn) - start, 0))
        }
        var shown = ""
        var width = 0
        var startWidth: Int?
        var endWidth: Int?
        for (index, scalar) in line.unicodeScalars.enumerated() {
            let column = index + 1
            if column == startColumn { startWidth = width }
            if column == endColumn { endWidth = width }
            if scalar == "\t" {
                let advance = 4 - width % 4
                shown += String(repeating: " ", count: advance)
                width += advance
            } else if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) {
                shown += "\u{FFFD}"
                width += 1
            } else {
                shown.unicodeScalars.append(scalar)
                width += displayWidth(scalar)
            }
        }
        let start = startWidth ?? width + max(startColumn - line.unicodeScalars.count - 1, 0)
        let end = endWidth ?? width + max(endColumn - line.unicodeScalars.count - 1, 0)
        return (shown, start, max(end - start, 0))
    }

    /// Terminal columns a scalar occupies: 0 for combining marks, 2 for East Asian wide.
    static func displayWidth(_ scalar: Unicode.Scalar) -> Int {
        // Printable ASCII, nearly every character shown, is one column.
        if scalar.value >= 0x20 && scalar.value < 0x7F { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    // MARK: - Colour

    enum Style: String {
        case bold = "1"
        case dim = "2"
        case red = "1;31"
        case yellow = "1;33"
        case cyan = "1;36"
        case blue = "1;34"
        case green = "1;32"
    }

    private func severityStyle(_ severity: Severity) -> Style {
        switch severity {
        case .error: return .red
        case .warning: return .yellow
        case .note: return .cyan
        }
    }

    private func paint(_ text: String, _ style: Style) -> String {
        colors ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    private func pad(_ width: Int) -> String { Self.spaces(width) }

    /// Runs of spaces, built once for the widths gutters and underlines use.
    private static let spaceRuns: [String] = (0..<160).map { String(repeating: " ", count: $0) }
    static func spaces(_ count: Int) -> String {
        count >= 0 && count < spaceRuns.count ? spaceRuns[count] : String(repeating: " ", count: max(count, 0))
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
