import Foundation
import KBJSON

/// Compares what a command printed with what the guide shows.
///
/// - An `An error occurred (CODE) when calling the OP operation: MESSAGE` line
///   expects that error (MESSAGE may use `...`).
/// - Expected JSON is compared as JSON: the keys shown must be present and equal,
///   other keys are ignored, arrays compare element by element, and a string may
///   use `...` for any text.
/// - Anything else is compared line by line; `...` in a line matches any text,
///   and a line that is only `...` matches any number of lines.
public enum OutputMatcher {
    public enum Outcome: Sendable, Hashable {
        case match
        /// `detail` says what differs first, in words; `diff` is the line diff.
        case mismatch(detail: String, diff: [String])
    }

    public static let wildcard = "..."

    /// `terminal` is what the command line showed, both streams in order;
    /// `stdout` alone is parsed when the guide shows JSON.
    public static func compare(expected: [String], stdout: String, terminal: String, status: Int32) -> Outcome {
        let expectedText = trimBlankLines(expected)
        // A lone error line expects that error; with other lines around it, the
        // whole output is compared line by line.
        if expectedText.count == 1, let wanted = ExpectedError(expectedText[0]) {
            return compareError(wanted, line: expectedText[0], terminal: terminal)
        }
        let actualLines = trimBlankLines(lines(terminal))
        let joined = expectedText.joined(separator: "\n")
        if let first = joined.first(where: { !$0.isWhitespace }), first == "{" || first == "[" {
            let parsedExpected = JSONParser.parse(joined)
            if let wanted = parsedExpected.value, !parsedExpected.issues.contains(where: \.isError) {
                let parsedActual = JSONParser.parse(stdout)
                guard let actual = parsedActual.value, !parsedActual.issues.contains(where: \.isError) else {
                    return .mismatch(
                        detail: "the guide shows JSON, but the command printed something else",
                        diff: lineDiff(expectedText, actualLines))
                }
                if let difference = jsonDifference(wanted, actual, path: "") {
                    return .mismatch(detail: difference, diff: lineDiff(expectedText, actualLines))
                }
                return .match
            }
        }
        if linesMatch(expectedText, actualLines) { return .match }
        let firstDifference = zip(expectedText, actualLines).enumerated().first {
            !lineMatches($0.element.0, $0.element.1)
        }?.offset
        let detail: String
        if let index = firstDifference {
            detail = "line \(index + 1) of the output differs"
        } else if expectedText.count > actualLines.count {
            detail =
                "the command printed \(actualLines.count) line\(actualLines.count == 1 ? "" : "s"), the guide shows \(expectedText.count)"
        } else {
            detail =
                "the command printed \(actualLines.count - expectedText.count) more line\(actualLines.count - expectedText.count == 1 ? "" : "s") than the guide shows"
        }
        return .mismatch(detail: detail, diff: lineDiff(expectedText, actualLines))
    }

    // MARK: - Errors

    struct ExpectedError {
        var code: String
        var operation: String
        var message: String

        /// Parses `An error occurred (CODE) when calling the OP operation: MESSAGE`,
        /// also inside `upload failed: … An error occurred …`.
        init?(_ line: String) {
            guard let start = line.range(of: "An error occurred (") else { return nil }
            let rest = line[start.upperBound...]
            guard let close = rest.firstIndex(of: ")") else { return nil }
            code = String(rest[..<close])
            let after = rest[rest.index(after: close)...]
            guard let calling = after.range(of: " when calling the "), let op = after.range(of: " operation") else {
                return nil
            }
            operation = String(after[calling.upperBound..<op.lowerBound])
            let tail = after[op.upperBound...]
            message = tail.hasPrefix(": ") ? String(tail.dropFirst(2)) : String(tail)
        }
    }

    static func compareError(_ wanted: ExpectedError, line: String, terminal: String) -> Outcome {
        let actualLine = lines(terminal).first { ExpectedError($0) != nil }
        guard let actualLine, let actual = ExpectedError(actualLine) else {
            return .mismatch(
                detail: "the guide shows the error \(wanted.code), but the command printed no error",
                diff: lineDiff([line], trimBlankLines(lines(terminal))))
        }
        if actual.code != wanted.code || actual.operation != wanted.operation {
            return .mismatch(
                detail:
                    "the guide shows the error \(wanted.code) from \(wanted.operation), the command failed with \(actual.code) from \(actual.operation)",
                diff: lineDiff([line], [actualLine]))
        }
        if !textMatches(wanted.message, actual.message) {
            return .mismatch(detail: "the error message differs", diff: lineDiff([line], [actualLine]))
        }
        return .match
    }

    // MARK: - JSON

    /// The first difference, as "`Path`: …", or nil when `actual` has everything `expected` shows.
    static func jsonDifference(_ expected: JSONValue, _ actual: JSONValue, path: String) -> String? {
        let shownPath = path.isEmpty ? "the output" : path
        switch (expected.kind, actual.kind) {
        case (.object(let wantedMembers), .object):
            for member in wantedMembers {
                let childPath = path.isEmpty ? member.key : "\(path).\(member.key)"
                guard let value = actual[member.key] else {
                    return "\(childPath): the guide shows this field, the command's output has none"
                }
                if let difference = jsonDifference(member.value, value, path: childPath) { return difference }
            }
            return nil
        case (.array(let wanted), .array(let found)):
            guard wanted.count == found.count else {
                return
                    "\(shownPath): the guide shows \(wanted.count) element\(wanted.count == 1 ? "" : "s"), the command printed \(found.count)"
            }
            for (index, pair) in zip(wanted, found).enumerated() {
                if let difference = jsonDifference(pair.0, pair.1, path: "\(path)[\(index)]") { return difference }
            }
            return nil
        case (.string(let wanted), .string(let found)):
            return textMatches(wanted, found)
                ? nil : "\(shownPath): expected \(quoted(wanted)), the command printed \(quoted(found))"
        case (.number(let wanted), .number(let found)):
            if wanted.literal == found.literal || (wanted.double != nil && wanted.double == found.double) { return nil }
            return "\(shownPath): expected \(wanted.literal), the command printed \(found.literal)"
        case (.bool(let wanted), .bool(let found)):
            return wanted == found ? nil : "\(shownPath): expected \(wanted), the command printed \(found)"
        case (.null, .null):
            return nil
        default:
            return "\(shownPath): expected \(expected.typeName), the command printed \(actual.typeName)"
        }
    }

    static func quoted(_ text: String) -> String {
        "\"" + (text.count > 80 ? text.prefix(77) + "..." : text) + "\""
    }

    // MARK: - Lines

    static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if result.last == "" { result.removeLast() }
        return result
    }

    static func trimBlankLines(_ lines: [String]) -> [String] {
        var lines = lines[...]
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return Array(lines)
    }

    /// Lines match in order; an expected line that is only `...` takes any run of lines.
    static func linesMatch(_ expected: [String], _ actual: [String]) -> Bool {
        // Glob matching with `...` lines as stars: iterative, backtracking only to
        // the last star, so it is linear-ish and never deep.
        func isStar(_ index: Int) -> Bool { expected[index].trimmingCharacters() == wildcard }
        var (e, a) = (0, 0)
        var star: (expected: Int, actual: Int)?
        while a < actual.count {
            if e < expected.count, isStar(e) {
                star = (e, a)
                e += 1
            } else if e < expected.count, lineMatches(expected[e], actual[a]) {
                e += 1
                a += 1
            } else if let last = star {
                star = (last.expected, last.actual + 1)
                e = last.expected + 1
                a = last.actual + 1
            } else {
                return false
            }
        }
        while e < expected.count, isStar(e) { e += 1 }
        return e == expected.count
    }

    static func lineMatches(_ expected: String, _ actual: String) -> Bool {
        expected.trimmingCharacters() == wildcard || textMatches(trailingTrimmed(expected), trailingTrimmed(actual))
    }

    static func trailingTrimmed(_ text: String) -> String {
        var text = text
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }

    /// `...` in `pattern` matches any text (greedy search over the pieces).
    static func textMatches(_ pattern: String, _ text: String) -> Bool {
        let pieces = pattern.components(separatedBy: wildcard)
        guard pieces.count > 1 else { return pattern == text }
        var rest = text[...]
        guard rest.hasPrefix(pieces[0]) else { return false }
        rest = rest.dropFirst(pieces[0].count)
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let found = rest.range(of: piece) else { return false }
            rest = rest[found.upperBound...]
        }
        let last = pieces.last!
        return last.isEmpty || (rest.hasSuffix(last) && rest.count >= last.count)
    }

    /// A minimal line diff (longest common subsequence), `-` for the guide's
    /// lines and `+` for the command's, at most 40 lines shown.
    static func lineDiff(_ expected: [String], _ actual: [String]) -> [String] {
        let a = Array(expected.prefix(400))
        let b = Array(actual.prefix(400))
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = lineMatches(a[i], b[j]) ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var diff: [String] = []
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, lineMatches(a[i], b[j]) {
                diff.append("  " + b[j])
                i += 1
                j += 1
            } else if i < a.count, j == b.count || table[i + 1][j] >= table[i][j + 1] {
                // The guide's line first, then the command's: read as "was, is".
                diff.append("- " + a[i])
                i += 1
            } else {
                diff.append("+ " + b[j])
                j += 1
            }
        }
        if diff.count > 40 { diff = Array(diff.prefix(40)) + ["  … \(diff.count - 40) more lines"] }
        return diff
    }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        var text = self[...]
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
