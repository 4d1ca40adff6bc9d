// libFuzzer target: a code block's text read by CommandFinder as a POSIX or
// PowerShell block, with or without prompts (the first byte chooses), and each
// `aws` command it finds checked against the CLI model by CommandDiagnostics,
// as `kbtool verify` checks a guide's bash and untagged blocks. Checks that
// every word's offsets lie inside the text and every finding inside the block.
import KBCommandCheck
import KBDiagnostics
import KBShell

/// One input; libFuzzer ignores the result.
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let mode = bytes.first ?? 0
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let length = text.utf8.count
    let dialect: ShellDialect = mode & 1 == 1 ? .powershell : .posix
    let prompts: PromptMode = mode & 2 == 2 ? .prompted : .none
    let scan = CommandFinder.scan(text, dialect: dialect, prompts: prompts)
    if let open = scan.openContinuation, open < 0 || open >= max(length, 1) {
        fatalError("open continuation at \(open), outside the text's \(length) bytes")
    }
    // A block of its own file: line 1, column = byte offset + 1 (enough to locate).
    let located = CommandText(text: text, dialect: dialect) { range in
        SourceRange(
            file: "fuzz.md", start: SourcePosition(line: 1, column: range.lowerBound + 1),
            end: SourcePosition(line: 1, column: range.upperBound + 1))
    }
    for command in scan.commands {
        for word in command.words {
            guard word.range.lowerBound >= 0, word.range.lowerBound <= word.range.upperBound,
                word.range.upperBound <= length
            else { fatalError("word \(word.range) outside the text's \(length) bytes") }
            if let unclosed = word.unclosed, unclosed < 0 || unclosed >= length {
                fatalError("unclosed quote at \(unclosed), outside the text's \(length) bytes")
            }
            _ = (word.text, word.substituting("0"))
        }
        guard command.program == "aws" else { continue }
        let (diagnostics, _) = CommandDiagnostics.shipped.check(command, in: located)
        for diagnostic in diagnostics where diagnostic.range.end.column > length + 2 {
            fatalError("finding '\(diagnostic.message)' at \(diagnostic.range) outside the text")
        }
    }
    return 0
}
