import Foundation
import KBCLIModel
import KBDiagnostics
import KBShell

/// Scanned shell text and where it is in the guide: a block's text, or a
/// transcript command's (its lines joined, the prompt left out).
public struct CommandText: Sendable {
    public var text: String {
        didSet { bytes = Array(text.utf8) }
    }
    /// The text's UTF-8 bytes, which word ranges index (made once, not per command).
    public private(set) var bytes: [UInt8]
    public var dialect: ShellDialect
    /// The file range of a UTF-8 byte range of `text`.
    public var locate: @Sendable (Range<Int>) -> SourceRange

    public init(text: String, dialect: ShellDialect, locate: @escaping @Sendable (Range<Int>) -> SourceRange) {
        self.text = text
        self.bytes = Array(text.utf8)
        self.dialect = dialect
        self.locate = locate
    }
}

/// Turns what the checker found about one `aws` command into located findings
/// of the command rules.
public struct CommandDiagnostics: Sendable {
    /// Nil when kbtool's CLI model cannot be loaded at all.
    public let checker: CommandChecker?
    /// Why the model cannot be loaded, for the finding on each command.
    public let modelFailure: String?

    public init(checker: CommandChecker?, modelFailure: String? = nil) {
        self.checker = checker
        self.modelFailure = modelFailure
    }

    /// The checker over the model compiled into kbtool.
    public static let shipped: CommandDiagnostics = {
        switch CLIModel.shipped {
        case .success(let model): return CommandDiagnostics(checker: CommandChecker(model: model))
        case .failure(let error): return CommandDiagnostics(checker: nil, modelFailure: "\(error)")
        }
    }()

    /// Commands longer than this are reported, not checked.
    public static let maxCommandBytes = 65_536

    /// The arguments the checker reads: each word after `aws`, expansions as
    /// written and replaced by a stand-in for whole-value checks. PowerShell's
    /// `\"` inside quotes reaches the CLI as `"` (the quoting Windows needs).
    public static func arguments(_ command: FoundCommand, dialect: ShellDialect) -> [CommandArgument] {
        command.words.dropFirst().map { word in
            var text = word.text
            var standIn = word.substituting("0")
            if dialect == .powershell {
                text = text.replacingAll("\\\"", with: "\"")
                standIn = standIn.replacingAll("\\\"", with: "\"")
            }
            return CommandArgument(text, isDynamic: word.isDynamic, standIn: standIn, splits: word.splits)
        }
    }

    /// The findings about one `aws` command, and what checking it found (nil
    /// when it was not checked). Its `file://` values are the caller's to
    /// check: a transcript checks them when it runs.
    public func check(_ command: FoundCommand, in text: CommandText) -> (
        diagnostics: [Diagnostic], result: CommandCheckResult?
    ) {
        let commandRange = text.locate(command.range)
        if let unclosed = command.words.lazy.compactMap(\.unclosed).first {
            let at = text.locate(unclosed..<(unclosed + 1))
            return (
                [
                    Diagnostic(
                        .error, .commandSyntax, "the quote opened here is never closed", at: at,
                        notes: ["everything after it, to the end of the block, reads as one argument"])
                ], nil
            )
        }
        if let found = Self.brokenSpace(command, in: text) { return ([found], nil) }
        if command.range.count > Self.maxCommandBytes {
            return (
                [
                    Diagnostic(
                        .warning, .commandSyntax,
                        "not checked: the command is \(command.range.count) bytes long; kbtool checks commands up to \(Self.maxCommandBytes)",
                        at: text.locate(command.words[0].range))
                ], nil
            )
        }
        guard let checker else {
            return (
                [
                    Diagnostic(
                        .error, .commandModel, "kbtool cannot check `aws` commands: \(modelFailure ?? "no CLI model")",
                        at: commandRange)
                ], nil
            )
        }
        let arguments = Self.arguments(command, dialect: text.dialect)
        let result = checker.check(arguments)
        let diagnostics = result.problems.map { problem in
            diagnostic(problem, command: command, text: text, commandRange: commandRange)
        }
        return (diagnostics, result)
    }

    /// A space the shell does not read as the guide means: a no-break space
    /// (U+00A0, which pasting from a web page brings) inside a word, or a
    /// space after a line's `\`, which escapes the space and ends the command
    /// there instead of continuing it.
    static func brokenSpace(_ command: FoundCommand, in text: CommandText) -> Diagnostic? {
        let bytes = text.bytes
        for word in command.words.dropFirst() {
            let range = word.range.clamped(to: 0..<bytes.count)
            let written = bytes[range]
            if let offset = Self.noBreakSpace(in: written) {
                return Diagnostic(
                    .error, .commandSyntax,
                    "a no-break space (U+00A0) is not a space to the shell: it joins the words around it into one argument",
                    at: text.locate(offset..<(offset + 2)), notes: ["replace it with an ordinary space"])
            }
            let isEscapedSpace =
                written.count >= 2 && written.first == UInt8(ascii: "\\")
                && written.dropFirst().allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            let next = range.upperBound < bytes.count ? bytes[range.upperBound] : UInt8(ascii: "\n")
            if text.dialect == .posix, isEscapedSpace, next == UInt8(ascii: "\n") || next == UInt8(ascii: "\r") {
                return Diagnostic(
                    .error, .commandSyntax,
                    "a space follows the line's '\\': the shell reads an escaped space and ends the command here, so the next line runs as a command of its own",
                    at: text.locate(word.range), notes: ["delete the space after the '\\'"])
            }
        }
        return nil
    }

    /// The offset of the first U+00A0 (UTF-8 C2 A0) in a word's bytes.
    static func noBreakSpace(in bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            if bytes[index] == 0xC2, bytes[index + 1] == 0xA0 { return index }
            index += 1
        }
        return nil
    }

    /// Notes for the `file://` values of a command outside transcripts that
    /// name files the guide does not show.
    public func fileNotes(_ result: CommandCheckResult, command: FoundCommand, in text: CommandText, shown: ShownFiles)
        -> [Diagnostic]
    {
        result.files.filter { !shown.shows($0.path) }.map { reference in
            Diagnostic(
                .note, .commandFile, "\(reference.option) reads '\(reference.path)', a file the guide does not show",
                at: text.locate(command.words[reference.argument + 1].range),
                notes: [
                    "show what it holds: a block titled '\(reference.path)', or a sentence naming the file before the command"
                ])
        }
    }

    /// One problem at the word it is about (the whole command when none).
    func diagnostic(_ problem: CommandProblem, command: FoundCommand, text: CommandText, commandRange: SourceRange)
        -> Diagnostic
    {
        let rule = CommandRules.rule(for: problem.kind)
        guard let argument = problem.argument, argument + 1 < command.words.count else {
            return Diagnostic(.error, rule, problem.message, at: commandRange, notes: problem.notes)
        }
        let word = command.words[argument + 1]
        let range = text.locate(word.range)
        var fix: FixIt?
        if let replacement = problem.replacement, let typed = word.literal, !typed.hasPrefix("-"),
            word.parts.count == 1, word.range.upperBound <= text.bytes.count,
            text.bytes[word.range].elementsEqual(typed.utf8)
        {
            // A misspelt service or subcommand, written plainly: the whole word changes.
            fix = FixIt(range: range, replacement: replacement, message: "write '\(replacement)'", isUnambiguous: true)
        }
        if let replacement = problem.replacement, let typed = word.literal, typed.hasPrefix("-") {
            // Only the option's name changes; an inline `=value` stays.
            let name = typed.firstIndex(of: "=").map { String(typed[..<$0]) } ?? typed
            let nameRange = text.locate(word.range.lowerBound..<(word.range.lowerBound + name.utf8.count))
            if word.parts.count == 1, text.bytes.count >= word.range.upperBound,
                text.bytes[word.range.lowerBound..<(word.range.lowerBound + name.utf8.count)]
                    .elementsEqual(name.utf8)
            {
                fix = FixIt(
                    range: nameRange, replacement: replacement, message: "write '\(replacement)'", isUnambiguous: true)
            }
        }
        return Diagnostic(.error, rule, problem.message, at: range, fix: fix, notes: problem.notes)
    }
}

extension String {
    /// Every occurrence of `target` replaced.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return replacingOccurrences(of: target, with: replacement)
    }
}
