import Foundation
import KBAWSCLI
import KBCLIModel
import KBCloud
import KBCommandCheck
import KBDiagnostics
import KBGuide
import KBPolicy
import KBShell

extension Rule {
    /// A command printed something other than the output the guide shows.
    public static let transcriptOutput = Rule(
        "transcript-output", .error,
        summary: "A transcript command printed something other than the output the guide shows.",
        why:
            "The guide promises a result (a response, an AccessDenied) that readers will not get; usually a policy, key setting or earlier step has drifted from the text.",
        fix:
            "Read the diff: correct the expected output if the command is right, else the policy or command. JSON compares only the keys shown, and `...` matches any text; for a denial the finding names the denying policy layer.",
        example:
            "the output differs from what the guide shows: [0].ApplyServerSideEncryptionByDefault.SSEAlgorithm: expected \"aws:kms\", the command printed \"AES256\""
    )

    /// A command with no expected output failed.
    public static let transcriptFailed = Rule(
        "transcript-failed", .error,
        summary: "A transcript command shown without expected output exited with a non-zero status.",
        why:
            "A command without output reads as \"this succeeds\"; when it fails, every later step builds on a state the reader does not have.",
        fix:
            "Fix the command or the policies it depends on (the finding names the denying layer), or show the expected error line `An error occurred (CODE) when calling the OP operation: MESSAGE`.",
        example:
            "the command failed (exit status 254): An error occurred (AccessDenied) when calling the ListObjectsV2 operation: Access Denied"
    )

    /// What only running a transcript shows is wrong with a command line: an
    /// undeclared profile, an unset variable, shell syntax the run cannot read,
    /// a refusal of kbtool's emulation. Usage errors of `aws` commands are the
    /// command rules' (`command-*`), in transcripts as everywhere.
    public static let transcriptCommand = Rule(
        "transcript-command", .error,
        summary:
            "A transcript command cannot run as written: the shell cannot parse it, it names a profile the front matter does not declare or a variable nothing sets, or kbtool's emulation refuses it. Usage errors of `aws` commands are reported under the `command-*` rules, as in any block.",
        why:
            "The shell or the AWS CLI would stop or expand it to nothing, so readers who copy it get an error instead of the step's result.",
        fix:
            "Declare the profile under `kbtool: profiles:`, set the variable earlier or under `kbtool: variables:`, or correct the reported text. A `kbtool.yml` level for `transcript-command` still applies to a transcript's `command-*` findings.",
        example: "the profile 'nobody' is not declared in the guide's front matter")

    /// A command kbtool does not emulate, or one skipped because an earlier one failed.
    public static let transcriptNotRun = Rule(
        "transcript-not-run", .note,
        summary:
            "A transcript command was not run: kbtool does not emulate it, or it uses a variable that an earlier command which failed or did not run should have set.",
        why:
            "Its output is not checked, so the guide can be wrong there without an error; with `--strict`, commands kbtool does not emulate are errors.",
        fix:
            "For a skipped command, fix the command on the line the note names, or set the variable under `kbtool: variables:` if that command is in a `kb=skip` block. Mark blocks kbtool does not emulate `kb=skip`.",
        example: "not executed: kbtool does not emulate `aws ec2 describe-vpcs`")
}

/// One guide's run: its shell (variables and files persist across the guide's
/// transcripts, in order) and which variables failed commands left unset.
struct Session {
    let runner: TranscriptRunner
    let guide: Guide
    let host: TranscriptHost
    let shell: ShellInterpreter
    /// Variables the front matter sets.
    let setupVariables: Set<String>
    /// Variable → the file line of the command that should have set it, for
    /// commands that failed or did not run.
    var unsetBy: [String: Int] = [:]
    /// The line a skipped command depended on, so its own variables point there too.
    var rootCause: Int?

    mutating func run(_ code: CodeBlock, into report: inout TranscriptRunner.Report) {
        let (transcript, _) = TranscriptParser.parse(lines: code.lines.map(\.text))
        let skipped = code.attribute("kb") == "skip" || code.hasAttribute("kb=skip")
        for command in transcript.commands {
            var example = ExampleResult(
                file: guide.path, line: code.lines[command.firstLine].line, command: command.text, status: .pass,
                expected: command.expected.map(\.text).joined(separator: "\n"), actual: "", reason: nil, trace: [])
            let assigned = (try? command.script.get())?.variablesAssigned ?? []
            if skipped {
                example.status = .skipped
                example.reason = "kb=skip"
                report.examples.append(example)
                // Its variables were never set: later users are skipped, not wrong.
                for name in assigned { unsetBy[name] = example.line }
                continue
            }
            rootCause = nil
            let diagnostics = run(command, in: code, example: &example)
            example.findings = diagnostics
            if example.status != .pass {
                for name in assigned { unsetBy[name] = rootCause ?? example.line }
            } else {
                for name in assigned { unsetBy[name] = nil }
            }
            report.examples.append(example)
            report.diagnostics += diagnostics
        }
    }

    /// Runs one command and says how it went.
    mutating func run(_ command: TranscriptCommand, in code: CodeBlock, example: inout ExampleResult) -> [Diagnostic] {
        let commandRange = range(of: command, in: code)
        let script: ShellScript
        switch command.script {
        case .failure(let error):
            example.status = .error
            example.reason = error.message
            // An `aws` command the shell cannot read (an unclosed quote) gets
            // the finding a bare block's would.
            let syntax = commandFindings(command, in: code).filter { $0.rule == Rule.commandSyntax.id }
            if !syntax.isEmpty { return syntax }
            let at = error.isIncomplete ? commandRange : range(ofTextOffset: error.offset, length: 1, command, code)
            let message =
                error.isIncomplete
                ? "the command never ends: \(error.message)" : "cannot parse the command: \(error.message)"
            return [Diagnostic(.error, .transcriptCommand, message, at: at)]
        case .success(let parsed):
            script = parsed
        }

        // Checked as every `aws` command is, before anything runs: a command
        // the CLI refuses is not run. A guide that shows the refusal on purpose
        // is right about it.
        let shownRefusal = Self.showsCLIRefusal(command.expected)
        var checked = commandFindings(command, in: code)
        if let refusal = checked.first(where: { $0.severity == .error }) {
            if shownRefusal {
                example.reason = "the CLI refuses it, as the guide shows: \(refusal.message) (checked, not run)"
                return checked.filter { $0.severity != .error }
            }
            // The CLI sends enum values unchecked and AWS refuses them: a guide
            // that shows the service's error shows what happens, which the run
            // then compares.
            let serverSide = checked.allSatisfy { $0.severity != .error || $0.rule == Rule.commandValue.id }
            guard serverSide, Self.showsServiceError(command.expected) else {
                example.status = .error
                example.reason = refusal.message
                return checked
            }
            checked.removeAll { $0.severity == .error }
        }
        return checked + execute(script, command, in: code, shownRefusal: shownRefusal, example: &example)
    }

    /// Runs a command the checker accepted and compares what it printed.
    mutating func execute(
        _ script: ShellScript, _ command: TranscriptCommand, in code: CodeBlock, shownRefusal: Bool,
        example: inout ExampleResult
    ) -> [Diagnostic] {
        let commandRange = range(of: command, in: code)

        // A variable a failed command should have set: this one cannot run meaningfully.
        // Names the line sets itself (`KEY=$(…) && echo $KEY`) are its own business.
        let assignedHere = Set(script.variablesAssigned)
        for name in script.variablesRead where !assignedHere.contains(name) {
            if let line = unsetBy[name] {
                example.status = .skipped
                example.reason = "depends on line \(line)"
                rootCause = line
                return [
                    Diagnostic(
                        .note, .transcriptNotRun, "skipped: depends on line \(line), which should have set $\(name)",
                        at: commandRange)
                ]
            }
            if shell.variables[name] == nil && !setupVariables.contains(name) {
                example.status = .error
                example.reason = "$\(name) is not set"
                return [
                    Diagnostic(
                        .error, .transcriptCommand, "$\(name) is not set by any earlier command",
                        at: range(ofVariable: name, in: script, command, code) ?? commandRange,
                        notes: [
                            "set it in an earlier transcript (`\(name)=$(aws …)` or `export \(name)=…`), or under `kbtool: variables:` in the front matter"
                        ])
                ]
            }
        }

        host.results = []
        let outcome = shell.run(script)
        let results = host.results
        example.actual = String(decoding: outcome.terminal, as: UTF8.self)
        example.trace = results.flatMap(\.events).map(TraceStep.init)

        if let unsupported = outcome.unsupported {
            example.status = .unsupported
            example.reason = "not executed: unsupported command (\(unsupported))"
            return [
                Diagnostic(
                    runner.strict ? .error : .note, .transcriptNotRun,
                    "not executed: kbtool does not emulate `\(unsupported)`", at: commandRange)
            ]
        }
        // A refusal the guide shows is compared as output, below.
        if !shownRefusal, let bad = results.first(where: { $0.usageError != nil }), let usage = bad.usageError {
            example.status = .error
            example.reason = usage.message
            let at = usage.argument.flatMap { range(ofArgument: $0, in: script, command, code) } ?? commandRange
            if Self.isEmulationGap(usage.message) {
                // The CLI's model accepted the line: the refusal is kbtool's, not the guide's mistake.
                example.status = .unsupported
                example.reason = "not executed: kbtool's emulation refuses it (\(usage.message))"
                return [
                    Diagnostic(
                        runner.strict ? .error : .note, .transcriptCommand,
                        "not executed: the AWS CLI accepts this command, but kbtool's emulation of it does not (\(usage.message))",
                        at: at,
                        notes: ["mark the block `kb=skip` to leave it out, or report the gap in kbtool's emulation"])
                ]
            }
            var (rule, notes) = Self.runUsageRule(usage.message)
            if let suggestion = usage.suggestion { notes.insert("did you mean '\(suggestion)'?", at: 0) }
            let finding = Diagnostic(.error, rule, usage.message, at: at, notes: notes)
            return [rule == .transcriptCommand ? finding : Self.formerlyTranscriptCommand(finding)]
        }

        let stdout = String(decoding: outcome.stdout, as: UTF8.self)
        if command.expected.isEmpty {
            guard outcome.status != 0 else { return [] }
            example.status = .fail
            let firstError = outcome.stderr.split(separator: "\n").first.map(String.init) ?? "no message"
            return [
                Diagnostic(
                    .error, .transcriptFailed, "the command failed (exit status \(outcome.status)): \(firstError)",
                    at: commandRange, notes: denialNotes(results))
            ]
        }
        switch OutputMatcher.compare(
            expected: command.expected.map(\.text), stdout: stdout, terminal: example.actual, status: outcome.status)
        {
        case .match:
            return []
        case .mismatch(let detail, let diff):
            example.status = .fail
            let first = command.expected.first!.line
            let last = command.expected.last!.line
            let expectedRange = SourceRange(
                file: guide.path, start: position(line: first, code),
                end: SourcePosition(
                    line: code.lines[last].line,
                    column: code.lines[last].column + code.lines[last].text.unicodeScalars.count))
            return [
                Diagnostic(
                    .error, .transcriptOutput, "the output differs from what the guide shows: \(detail)",
                    at: expectedRange,
                    related: [RelatedLocation(range: commandRange, message: "the command that printed it")],
                    notes: ["diff (- the guide, + the command):\n" + diff.joined(separator: "\n")]
                        + denialNotes(results))
            ]
        }
    }

    /// Which authorization denied, in words: the layer to fix.
    func denialNotes(_ results: [CLIResult]) -> [String] {
        for result in results.reversed() {
            for event in result.events.reversed() {
                guard case .authorization(let service, let action, let resource, let evaluation) = event,
                    evaluation.decision != .allowed
                else { continue }
                return ["denied by the policy model: \(service) \(action) on \(resource): \(evaluation.reason)"]
            }
        }
        return []
    }

    // MARK: - Locations

    func position(line index: Int, _ code: CodeBlock) -> SourcePosition {
        SourcePosition(line: code.lines[index].line, column: code.lines[index].column)
    }

    /// From the `$` to the end of the command's last line.
    func range(of command: TranscriptCommand, in code: CodeBlock) -> SourceRange {
        let lastLine = code.lines[command.segments.last!.line]
        return SourceRange(
            file: guide.path, start: position(line: command.firstLine, code),
            end: SourcePosition(line: lastLine.line, column: lastLine.column + lastLine.text.unicodeScalars.count))
    }

    func range(ofTextOffset offset: Int, length: Int, _ command: TranscriptCommand, _ code: CodeBlock) -> SourceRange {
        let (lineIndex, byteOffset) = command.location(ofTextOffset: offset)
        let line = code.lines[lineIndex]
        let prefix = line.text.utf8.prefix(byteOffset)
        let column = line.column + String(decoding: prefix, as: UTF8.self).unicodeScalars.count
        return SourceRange(
            file: guide.path, start: SourcePosition(line: line.line, column: column),
            end: SourcePosition(line: line.line, column: column + max(length, 1)))
    }

    /// Every word of the command line, command substitutions included, in order.
    func words(_ script: ShellScript) -> [ShellWord] {
        script.items.flatMap { item in
            item.pipeline.commands.flatMap { command -> [ShellWord] in
                let own = command.assignments.map(\.value) + command.words + command.redirections.map(\.target)
                return own.flatMap { word -> [ShellWord] in
                    [word]
                        + word.parts.flatMap { part -> [ShellWord] in
                            if case .command(let inner, _) = part { return words(inner) }
                            return []
                        }
                }
            }
        }
    }

    /// The word the CLI complained about: one whose text is the argument (an option,
    /// a `file://` value), else one containing it.
    func range(ofArgument argument: String, in script: ShellScript, _ command: TranscriptCommand, _ code: CodeBlock)
        -> SourceRange?
    {
        let all = words(script)
        let word =
            all.first { $0.literalText == argument }
            ?? all.first { ($0.literalText ?? "").hasPrefix(argument + "=") }
            ?? all.first { ($0.literalText ?? "").contains(argument) }
        guard let word else { return nil }
        return range(ofWord: word, command, code)
    }

    /// The first word that reads `$name`.
    func range(ofVariable name: String, in script: ShellScript, _ command: TranscriptCommand, _ code: CodeBlock)
        -> SourceRange?
    {
        let word = words(script).first { word in
            word.parts.contains { part in
                if case .variable(let variable, _) = part { return variable == name }
                return false
            }
        }
        return word.map { range(ofWord: $0, command, code) }
    }

    func range(ofWord word: ShellWord, _ command: TranscriptCommand, _ code: CodeBlock) -> SourceRange {
        let bytes = Array(command.text.utf8)
        let slice = bytes[min(word.range.lowerBound, bytes.count)..<min(word.range.upperBound, bytes.count)]
        let length = String(decoding: slice, as: UTF8.self).unicodeScalars.count
        return range(ofTextOffset: word.range.lowerBound, length: length, command, code)
    }
}
