/// A terminal session as a guide shows it: `$ command` lines, each followed by
/// the output the reader should see.
public struct Transcript: Sendable, Hashable {
    public var commands: [TranscriptCommand]
}

public struct TranscriptCommand: Sendable, Hashable {
    /// The command as the shell reads it: lines after the first joined with
    /// newlines (backslash-newline pairs are kept; the shell parser removes them).
    public var text: String
    /// Index of the `$` line in the block's lines.
    public var firstLine: Int
    /// Index in the block's lines of each line of `text`, with the UTF-8 offset
    /// in `text` where it starts and the offset in the block line it maps to.
    public var segments: [Segment]
    /// The lines shown after the command, trailing blank lines removed.
    public var expected: [ExpectedLine]
    /// The parsed command, or why it could not be parsed.
    public var script: Result<ShellScript, ShellSyntaxError>

    public struct Segment: Sendable, Hashable {
        public var line: Int
        public var textOffset: Int
        /// Bytes of the block line before the segment's text (the `$ ` prompt).
        public var lineOffset: Int
    }

    /// The block line and byte offset within it of a UTF-8 offset into `text`.
    public func location(ofTextOffset offset: Int) -> (line: Int, byteOffset: Int) {
        let segment = segments.last { $0.textOffset <= offset } ?? segments[0]
        return (segment.line, segment.lineOffset + offset - segment.textOffset)
    }
}

public struct ExpectedLine: Sendable, Hashable {
    public var text: String
    /// Index in the block's lines.
    public var line: Int
}

public enum TranscriptParser {
    /// The prompt that marks a command line.
    public static let prompt = "$ "

    /// How often, and over how many bytes in all, one command may be parsed. A
    /// command left open by `|`, `&&`, `$(` or a here-document is parsed again
    /// after each line it reads on, which is quadratic in its length; guides'
    /// commands stay far below these, and a hostile block stops at them instead
    /// of taking minutes.
    static let maxParses = 100
    static let parseBudget = 1 << 20

    /// Splits a `console` block's lines into commands. Lines before the first
    /// prompt are returned as `preamble` line indexes: they belong to no command.
    public static func parse(lines: [String]) -> (transcript: Transcript, preamble: [Int]) {
        var commands: [TranscriptCommand] = []
        var preamble: [Int] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard let first = commandText(line) else {
                if commands.isEmpty {
                    if !line.allSatisfy(\.isWhitespace) { preamble.append(index) }
                } else {
                    commands[commands.count - 1].expected.append(ExpectedLine(text: line, line: index))
                }
                index += 1
                continue
            }
            var text = first
            var segments = [
                TranscriptCommand.Segment(line: index, textOffset: 0, lineOffset: line.utf8.count - first.utf8.count)
            ]
            let start = index
            index += 1
            // A shell would prompt for more after an open quote, a trailing `\`,
            // `|` or `&&`, or a here-document: the next lines belong to the command.
            // Quotes and backslashes are tracked line by line, and the command is
            // parsed only when they are closed, so long continuations stay linear.
            var scanner = ContinuationScanner()
            scanner.feed(first)
            func append(_ line: String) {
                segments.append(.init(line: index, textOffset: text.utf8.count + 1, lineOffset: 0))
                text += "\n" + line
                index += 1
                scanner.feed(line)
            }
            while scanner.needsMore, index < lines.count { append(lines[index]) }
            var script = Result<ShellScript, ShellSyntaxError> { () throws(ShellSyntaxError) in
                try ShellParser.parse(text)
            }
            var parsed = text.utf8.count
            var parses = 1
            while case .failure(let error) = script, error.isIncomplete, index < lines.count,
                commandText(lines[index]) == nil || error.isInsideQuotes || error.awaitedDelimiter != nil
            {
                guard parses < maxParses, parsed < parseBudget else {
                    script = .failure(
                        ShellSyntaxError(
                            message:
                                "the command is still open after \(segments.count) lines; kbtool stops reading it here",
                            offset: text.utf8.count, isIncomplete: false))
                    break
                }
                if let delimiter = error.awaitedDelimiter {
                    // Read the here-document's body up to its delimiter, then parse once.
                    while index < lines.count {
                        let line = lines[index]
                        append(line)
                        if line.drop(while: { $0 == "\t" }) == delimiter { break }
                    }
                    scanner = ContinuationScanner()
                } else {
                    append(lines[index])
                }
                while scanner.needsMore, index < lines.count { append(lines[index]) }
                parsed += text.utf8.count
                parses += 1
                script = Result { () throws(ShellSyntaxError) in try ShellParser.parse(text) }
            }
            commands.append(
                TranscriptCommand(text: text, firstLine: start, segments: segments, expected: [], script: script))
        }
        for command in commands.indices {
            while let last = commands[command].expected.last, last.text.allSatisfy(\.isWhitespace) {
                commands[command].expected.removeLast()
            }
        }
        return (Transcript(commands: commands), preamble)
    }

    /// The command after the prompt, or nil for an output line.
    static func commandText(_ line: String) -> String? {
        if line == "$" { return "" }
        guard line.hasPrefix(prompt) else { return nil }
        return String(line.dropFirst(prompt.count))
    }
}

/// Tracks, line by line, whether a command is still inside quotes or ends with a
/// backslash, without parsing it: the cheap test of whether to read on.
struct ContinuationScanner {
    private var inSingle = false
    private var inDouble = false
    private var trailingBackslash = false

    var needsMore: Bool { inSingle || inDouble || trailingBackslash }

    mutating func feed(_ line: String) {
        var escaped = false
        var previous: Character = " "
        for character in line {
            defer { previous = character }
            if escaped {
                escaped = false
                continue
            }
            if inSingle {
                if character == "'" { inSingle = false }
            } else if inDouble {
                if character == "\\" { escaped = true } else if character == "\"" { inDouble = false }
            } else if character == "\\" {
                escaped = true
            } else if character == "'" {
                inSingle = true
            } else if character == "\"" {
                inDouble = true
            } else if character == "#", previous == " " || previous == "\t" {
                break
            }
        }
        // A backslash at the very end joins the next line (inside double quotes too).
        trailingBackslash = escaped && !inSingle
    }
}
