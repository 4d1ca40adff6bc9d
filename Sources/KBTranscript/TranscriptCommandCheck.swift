import Foundation
import KBCommandCheck
import KBDiagnostics
import KBGuide
import KBShell

/// A transcript's `aws` commands are checked before they run, by the checker
/// and rules that check every other block (`command-*`): the same mistake gets
/// the same rule, column and message wherever it stands. A command the checker
/// refuses is not run.
extension Session {
    /// What the command rules find on one transcript command line. Each finding
    /// answers to `transcript-command` too (the id these mistakes had before),
    /// so `kbtool.yml` levels and `kbtool-disable` comments naming it still apply.
    func commandFindings(_ command: TranscriptCommand, in code: CodeBlock) -> [Diagnostic] {
        guard command.text.contains("aws") else { return [] }
        let text = CommandText(
            text: command.text, dialect: .posix, locate: Self.locator(of: command, in: code))
        let scan = CommandFinder.scan(command.text, dialect: .posix, prompts: .none)
        var findings: [Diagnostic] = []
        for found in scan.commands where found.program == "aws" {
            findings += runner.commands.check(found, in: text).diagnostics
        }
        return findings.map(Self.formerlyTranscriptCommand)
    }

    /// The finding, answering to `transcript-command` too.
    static func formerlyTranscriptCommand(_ diagnostic: Diagnostic) -> Diagnostic {
        var moved = diagnostic
        moved.formerRule = Rule.transcriptCommand.id
        return moved
    }

    /// Maps byte ranges of the command's text (its lines joined, prompts left
    /// out) to the guide, through the block's own positions, so columns are
    /// counted exactly as for a bare block's text.
    static func locator(of command: TranscriptCommand, in code: CodeBlock) -> @Sendable (Range<Int>) -> SourceRange {
        { range in
            func literalOffset(_ offset: Int) -> Int {
                let (line, byteOffset) = command.location(ofTextOffset: offset)
                return code.lines[line].literalOffset + byteOffset
            }
            return SourceRange(
                file: code.range.file, start: code.position(ofLiteralOffset: literalOffset(range.lowerBound)),
                end: code.position(ofLiteralOffset: literalOffset(range.upperBound)))
        }
    }

    /// Whether the guide shows the CLI refusing the command on purpose: its
    /// output is the CLI's usage banner or one of its own error lines. Such a
    /// command is expected to fail; the checker's findings on it are not errors
    /// of the guide.
    static func showsCLIRefusal(_ expected: [ExpectedLine]) -> Bool {
        expected.contains { line in
            let text = line.text.trimmingCharacters(in: .whitespaces)
            return text.hasPrefix("usage: aws") || text.hasPrefix("aws: error:")
                || text.hasPrefix("Error parsing parameter") || text.hasPrefix("Unknown options:")
                || text.hasPrefix("Bad value for --query")
        }
    }

    /// Whether the guide shows AWS refusing the request (`An error occurred (…)`).
    static func showsServiceError(_ expected: [ExpectedLine]) -> Bool {
        expected.contains { $0.text.contains("An error occurred (") }
    }

    /// Whether the emulation refused a line for its grammar (an option, a
    /// subcommand, a required argument), which the CLI's model, checked
    /// first, had accepted: a gap in the emulation's hand-written table.
    static func isEmulationGap(_ message: String) -> Bool {
        message.hasPrefix("Unknown options:") || message.contains("Found invalid choice")
            || message.hasPrefix("the following arguments are required") || message.hasSuffix("expected one argument")
            || message.contains("ambiguous option")
    }

    /// The rule of a usage error only the run found (the checker let the line
    /// through): a `file://` or body file the guide does not give is the
    /// command rules' `command-file`, an error in a transcript since the
    /// command must run; an undeclared profile and the emulation's own limits
    /// are the transcript's.
    static func runUsageRule(_ message: String) -> (rule: Rule, notes: [String]) {
        if message.contains("Unable to load paramfile") || message.contains("Blob values must be a path to a file") {
            return (
                .commandFile,
                [
                    "give the file: a block titled with its name (```` ```json title=\"policy.json\" ````), or a file beside the guide"
                ]
            )
        }
        return (.transcriptCommand, [])
    }
}
