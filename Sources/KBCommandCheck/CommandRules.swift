import KBCLIModel
import KBDiagnostics

/// The command rules: one family for what is wrong with an `aws` command line,
/// wherever it stands (a transcript, a `bash` block, an untagged block), so the
/// same mistake reads the same everywhere: a transcript checks each command
/// with ``CommandDiagnostics`` before it runs. `transcript-command`
/// (KBTranscript) keeps what only a run can tell: an undeclared profile, an
/// unset variable, the emulation's own refusals.
extension Rule {
    public static let commandSyntax = Rule(
        "command-syntax", .error,
        summary:
            "An `aws` command cannot be read as a shell reads it: a quote is never closed, or the line continues past the end of its block.",
        why: "A reader who pastes it gets a shell waiting for more input, or a command cut short.",
        fix: "Close the quote, or drop the trailing `\\` (a backtick in PowerShell) from the command's last line.",
        example: "the quote opened here is never closed")

    public static let commandUnknown = Rule(
        "command-unknown", .error,
        summary:
            "An `aws` command names a service or subcommand the AWS CLI does not have (the message names the botocore version kbtool's model comes from).",
        why: "The CLI refuses it with a usage error before calling AWS, so the step does nothing.",
        fix:
            "Take the suggested name, or move the command to the family that has it (`aws s3api put-object`, not `aws s3 put-object`).",
        example: "`aws s3api` has no command 'get-objects'")

    public static let commandOption = Rule(
        "command-option", .error,
        summary:
            "An `aws` command has an option its command does not take (the other S3 family's spelling included), an ambiguous abbreviation, or a stray argument.",
        why:
            "The CLI refuses the whole command (`Unknown options`), so readers who copy it get an error instead of the step's result.",
        fix:
            "Use the suggested option; `kbtool verify --fix` applies it when only one spelling fits. `aws s3` and `aws s3api` spell some options differently (`--sse-kms-key-id`, `--ssekms-key-id`).",
        example: "`aws kms create-key` has no option '--key-specs'")

    public static let commandRequired = Rule(
        "command-required", .error,
        summary: "An `aws` command lacks a required option or positional argument, or an option lacks its value.",
        why: "The CLI refuses it (`the following arguments are required`) before calling AWS.",
        fix: "Add the missing option with a value (a placeholder such as `<bucket>` is fine in a guide).",
        example: "`aws s3api put-bucket-encryption` needs '--server-side-encryption-configuration'")

    public static let commandValue = Rule(
        "command-value", .error,
        summary:
            "An `aws` option's value cannot be what the CLI or botocore accepts: invalid JSON or shorthand, an unknown or missing member, an enum value not in the list, a non-integer, text where CLI v2 expects base64.",
        why: "The CLI or botocore refuses the request before it reaches AWS, or AWS rejects the enum value.",
        fix:
            "Correct the value: the finding names the member or the accepted values. Placeholders (`<bucket>`, `$BUCKET`, `KEY_SPEC`) are always accepted.",
        example: "'RSA_9999' is not a valid value for --key-spec")

    public static let commandQuery = Rule(
        "command-query", .error,
        summary: "An `aws` command's `--query` is not valid JMESPath.",
        why: "The CLI stops with `Bad value for --query` and prints nothing the guide promises.",
        fix: "Correct the expression (quote it so the shell leaves its brackets and backquotes alone).",
        example: "--query is not valid JMESPath: unexpected end of expression")

    public static let commandFile = Rule(
        "command-file", .note,
        summary:
            "A `file://`, `fileb://` or `--cli-input-json` value names a file the guide does not show (an error in a transcript, which must run).",
        why: "A reader cannot run the step without knowing what the file holds.",
        fix:
            "Show the file: a code block titled with its name (```` ```json title=\"policy.json\" ````), or mention the name where the text says what to save.",
        example: "file://key-policy.json names a file the guide does not show")

    public static let commandModel = Rule(
        "command-model", .error,
        summary: "kbtool's CLI model of a service cannot be read, so that service's commands are not checked.",
        why: "Commands of the service go unchecked; the rest of the guide is still checked.",
        fix: "Report it: the model is compiled into kbtool (`scripts/generate-cli-model` regenerates it).",
        example: "kbtool cannot check `aws s3api`: the CLI model of 's3api' is broken (line 12)")
}

/// The module's one registration list.
public enum CommandRules {
    public static let all: [Rule] = [
        .commandSyntax, .commandUnknown, .commandOption, .commandRequired, .commandValue, .commandQuery,
        .commandFile, .commandModel,
    ]

    /// The rule a problem the checker found belongs to.
    public static func rule(for kind: CommandProblem.Kind) -> Rule {
        switch kind {
        case .unknownCommand: .commandUnknown
        case .unknownOption: .commandOption
        case .missingArgument: .commandRequired
        case .badValue: .commandValue
        case .badQuery: .commandQuery
        case .modelUnavailable: .commandModel
        }
    }
}
