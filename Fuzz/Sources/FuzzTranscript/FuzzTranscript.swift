// libFuzzer target: a `console` block's lines split into commands (prompts,
// continuation lines, here-documents), each command line parsed by the shell
// parser, and each parsed command run by the shell interpreter against a host
// that echoes its arguments, as `kbtool verify` runs a guide's transcripts.
// Checks that every offset the parser reports maps back into the block.
import KBShell

/// Answers every external command with its arguments; knows no files.
final class EchoHost: ShellHost {
    func run(_ invocation: ShellInvocation) -> ShellOutcome? {
        if invocation.arguments.first == "unknown-command" { return nil }
        var output = Array(invocation.arguments.joined(separator: " ").utf8) + [0x0A]
        output += invocation.input.prefix(256)
        return ShellOutcome(stdout: output, status: invocation.arguments.count % 3 == 0 ? 1 : 0)
    }

    func readFile(_ path: String) -> [UInt8]? { path == "given.txt" ? Array("given\n".utf8) : nil }
}

/// One input; libFuzzer ignores the result.
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

    let (transcript, preamble) = TranscriptParser.parse(lines: lines)
    for index in preamble where !lines.indices.contains(index) { fatalError("preamble line \(index) out of range") }
    let host = EchoHost()
    // The interpreter does not retain its host.
    defer { withExtendedLifetime(host) {} }
    let shell = ShellInterpreter(host: host, variables: ["BUCKET": "amzn-s3-demo-bucket"])
    for command in transcript.commands {
        guard lines.indices.contains(command.firstLine), !command.segments.isEmpty else {
            fatalError("command at line \(command.firstLine) has no place in the block")
        }
        for line in command.expected where !lines.indices.contains(line.line) {
            fatalError("expected output line \(line.line) out of range")
        }
        let length = command.text.utf8.count
        func check(_ offset: Int) {
            let (line, byte) = command.location(ofTextOffset: offset)
            guard lines.indices.contains(line), byte >= 0, byte <= lines[line].utf8.count else {
                fatalError("offset \(offset) of \(command.text.debugDescription) maps to line \(line) byte \(byte)")
            }
        }
        check(0)
        check(length)
        switch command.script {
        case .failure(let error):
            guard error.offset >= 0, error.offset <= length else {
                fatalError("error '\(error.message)' at \(error.offset), past the command's \(length) bytes")
            }
            check(error.offset)
        case .success(let script):
            _ = (script.variablesRead, script.variablesAssigned)
            var words: [ShellWord] = []
            for item in script.items {
                for command in item.pipeline.commands {
                    words += command.words + command.assignments.map(\.value) + command.redirections.map(\.target)
                }
            }
            for word in words {
                guard word.range.lowerBound >= 0, word.range.upperBound <= length else {
                    fatalError("word \(word.range) outside the command's \(length) bytes")
                }
                check(word.range.lowerBound)
                check(word.range.upperBound)
                _ = word.literalText
            }
            _ = shell.run(script)
        }
    }
    // The whole block as one script, as a shell reading a file would.
    _ = try? ShellParser.parse(text)
    return 0
}
