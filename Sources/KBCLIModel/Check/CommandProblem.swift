/// One argument of an `aws` command line as the checker reads it: what the
/// program receives, or, where the shell expands part of it (`$BUCKET`,
/// `$(aws …)`), what is known before the line runs.
public struct CommandArgument: Sendable, Hashable {
    /// The argument with any expansion as written (`s3://$BUCKET/key`).
    public var text: String
    /// Part of it is only known when the line runs.
    public var isDynamic: Bool
    /// For checks that read a whole value (JSON, shorthand): the text with
    /// each expansion replaced by a stand-in that keeps it well formed.
    public var standIn: String
    /// An unquoted expansion (`$EXTRA_ARGS`) the shell splits: it may stand
    /// for no argument or for several, options included.
    public var splits: Bool

    /// The text when nothing in it expands.
    public var literal: String? { isDynamic ? nil : text }

    public init(_ text: String, isDynamic: Bool = false, standIn: String? = nil, splits: Bool = false) {
        self.text = text
        self.isDynamic = isDynamic
        self.standIn = standIn ?? text
        self.splits = splits
    }
}

/// What is wrong with a command line, as data: the kind (each kind is a rule
/// of the `command-` family), the message, and the argument at fault.
public struct CommandProblem: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// No such service or subcommand.
        case unknownCommand
        /// No such option, an ambiguous abbreviation, or a stray argument.
        case unknownOption
        /// A required option, positional or option value is missing.
        case missingArgument
        /// A value the CLI or botocore refuses before calling AWS.
        case badValue
        /// `--query` is not JMESPath.
        case badQuery
        /// The service's part of the CLI model cannot be read.
        case modelUnavailable
    }

    public var kind: Kind
    public var message: String
    /// The index of the argument at fault, nil for the command line as a whole.
    public var argument: Int?
    /// Sentences after the message ("did you mean '--key-spec'?").
    public var notes: [String]
    /// The text that should replace the argument's option name, when only one
    /// spelling fits (a typo of one option, the other family's spelling).
    public var replacement: String?

    public init(
        _ kind: Kind, _ message: String, argument: Int?, notes: [String] = [], replacement: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.argument = argument
        self.notes = notes
        self.replacement = replacement
    }
}

/// A `file://` or `fileb://` value, whose file the guide should show.
public struct FileReference: Sendable, Hashable {
    /// The index of the argument holding it.
    public var argument: Int
    /// The path after the prefix, as written.
    public var path: String
    /// The option it is the value of.
    public var option: String
}

/// What checking one command line found.
public struct CommandCheckResult: Sendable {
    public var problems: [CommandProblem] = []
    public var files: [FileReference] = []
    /// The service and command the line names, when they exist (`s3api`, `get-object`).
    public var service: String?
    public var operation: String?
    /// Files the command writes (an outfile positional, an `aws s3 cp` download).
    public var writtenFiles: [String] = []

    public init() {}

    public var isValid: Bool { problems.isEmpty }
}
