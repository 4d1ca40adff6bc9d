import Foundation
import KBBlocks
import KBCLIModel
import KBDiagnostics
import KBGuide
import KBShell

/// The `aws` commands a guide shows outside its transcripts (`bash`, `sh`,
/// `shell`, `zsh`, PowerShell and untagged blocks, with or without prompts),
/// each checked against the CLI model. Transcripts' commands are checked by
/// the transcript runner with the same ``CommandDiagnostics``, before they run.
public enum GuideCommands {
    /// Fence languages of PowerShell blocks (backtick continuations).
    public static let powershellLanguages: Set<String> = ["powershell", "ps1", "pwsh", "ps"]

    /// One checked command.
    public struct Checked: Sendable {
        public var range: SourceRange
        /// The line of the fence of the block that shows it.
        public var block: Int
        /// The command's first line as written, for reports.
        public var name: String
        public var diagnostics: [Diagnostic]
        /// The service and command, when the checker could read them.
        public var service: String?
        public var operation: String?
    }

    /// How a block is read for commands, or nil when it holds none kbtool checks.
    public static func dialect(of block: ClassifiedBlock) -> ShellDialect? {
        let language = block.code.language
        if let language, powershellLanguages.contains(language) { return .powershell }
        switch block.kind {
        case .shellCommands: return .posix
        case .other where language == nil:
            // An untagged block with backtick continuations or `PS C:\>` prompts is PowerShell.
            let lines = block.code.lines.map(\.text)
            let powershell =
                lines.contains { $0.hasSuffix(" `") }
                || CommandFinder.showsPrompts(lines, dialect: .powershell)
            return powershell ? .powershell : .posix
        default: return nil
        }
    }

    /// Checks every `aws` command of the guide's blocks but its transcripts.
    public static func check(
        _ guide: ClassifiedGuide, directory: String?, using checker: CommandDiagnostics = .shipped
    ) -> [Checked] {
        var scanned: [(text: CommandText, scan: CommandScan, block: Int)] = []
        var written: [String] = []
        for block in guide.blocks {
            let code = block.code
            // Most blocks never mention aws: skip them before scanning.
            guard code.literal.contains("aws"), let dialect = dialect(of: block) else {
                if block.kind == .transcript, code.literal.contains(">") || code.literal.contains("aws") {
                    written += CommandFinder.scan(code.literal, prompts: .prompted).writtenFiles
                }
                continue
            }
            let prompts: PromptMode =
                CommandFinder.showsPrompts(code.lines.map(\.text), dialect: dialect) ? .prompted : .none
            let scan = CommandFinder.scan(code.literal, dialect: dialect, prompts: prompts)
            written += scan.writtenFiles
            scanned.append(
                (CommandText(text: code.literal, dialect: dialect, locate: code.sourceRange), scan, block.line))
        }
        guard scanned.contains(where: { $0.scan.commands.contains { $0.program == "aws" } }) else { return [] }

        var checked: [(Checked, FoundCommand, CommandText, CommandCheckResult?)] = []
        for (text, scan, block) in scanned {
            for command in scan.commands where command.program == "aws" {
                var (diagnostics, result) = checker.check(command, in: text)
                written += result?.writtenFiles ?? []
                if Self.nextLineIsAnOption(after: command, in: text.bytes) {
                    for index in diagnostics.indices where diagnostics[index].rule == Rule.commandRequired.id {
                        diagnostics[index].notes.append(
                            "the next line starts with an option: a '\\' is probably missing at the end of this line, so the shell runs the command without it"
                        )
                    }
                }
                checked.append(
                    (
                        Checked(
                            range: text.locate(command.range), block: block, name: name(of: command, in: text.bytes),
                            diagnostics: diagnostics, service: result?.service, operation: result?.operation),
                        command, text, result
                    ))
            }
            if let open = scan.openContinuation, let last = scan.commands.last, last.program == "aws",
                let index = checked.lastIndex(where: { $0.1 == last })
            {
                checked[index].0.diagnostics.append(
                    Diagnostic(
                        .error, .commandSyntax,
                        "the command continues past the end of its block: its last line ends with a continuation",
                        at: text.locate(open..<(open + 1))))
            }
        }
        let shown = ShownFiles(
            titles: guide.blocks.compactMap(\.title), written: written, guideText: guide.guide.source.text,
            directory: directory)
        return checked.map { entry in
            var item = entry.0
            let (command, text, result) = (entry.1, entry.2, entry.3)
            if let result { item.diagnostics += checker.fileNotes(result, command: command, in: text, shown: shown) }
            return item
        }
    }

    /// Whether the line after the command's last word starts with `-` (spaces
    /// and a prompt aside): options the author meant to continue the command.
    static func nextLineIsAnOption(after command: FoundCommand, in bytes: [UInt8]) -> Bool {
        var index = command.range.upperBound
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") {
            guard bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") else { return false }
            index += 1
        }
        index += 1
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
            index += 1
        }
        return index < bytes.count && bytes[index] == UInt8(ascii: "-")
    }

    /// `aws s3 cp … --recursive`, from the command's own text, cut to its first line.
    static func name(of command: FoundCommand, in bytes: [UInt8]) -> String {
        let range = command.range.clamped(to: 0..<bytes.count)
        let written = String(decoding: bytes[range], as: UTF8.self)
        let line = written.split(separator: "\n").first.map(String.init) ?? written
        let trimmed = line.hasSuffix("\\") || line.hasSuffix("`") ? String(line.dropLast()) : line
        let short = trimmed.trimmingCharacters(in: .whitespaces)
        return short.count > 80 ? String(short.prefix(77)) + "..." : short
    }
}
