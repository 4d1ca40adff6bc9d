import Foundation
import KBDiagnostics
import KBGuide

func parse(_ text: String, path: String = "g.md") -> Guide {
    GuideParser.parse(path: path, bytes: Array(text.utf8))
}

/// The file position of the first occurrence of `needle` inside a code block's text.
func position(of needle: String, in code: CodeBlock) -> SourcePosition? {
    guard let range = code.literal.range(of: needle) else { return nil }
    return code.position(
        ofLiteralOffset: code.literal.utf8.distance(from: code.literal.startIndex, to: range.lowerBound))
}

/// The 1-based line and scalar column of the first occurrence of `needle` in `text`
/// as an editor shows it (a BOM is not a column; CR, LF and CRLF all end lines).
func editorPosition(of needle: String, in text: String) -> SourcePosition? {
    var body = text
    if body.unicodeScalars.first == "\u{FEFF}" { body.unicodeScalars.removeFirst() }
    guard let range = body.range(of: needle) else { return nil }
    var line = 1
    var column = 1
    var previous: Unicode.Scalar?
    for scalar in body[..<range.lowerBound].unicodeScalars {
        if scalar == "\n" && previous == "\r" {
        } else if scalar == "\n" || scalar == "\r" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        previous = scalar
    }
    return SourcePosition(line: line, column: column)
}
