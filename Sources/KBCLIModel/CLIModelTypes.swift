/// The kind of value an option takes, as botocore models it. Structures are
/// numbered within their service (they can be recursive): look them up with
/// `CLIService.structure(_:)`.
public indirect enum CLIValueType: Sendable, Equatable {
    case string
    case integer
    case long
    case float
    case double
    /// A flag when the option takes no value (`--dry-run`, `--no-dry-run`).
    case boolean
    case blob
    case timestamp
    /// Any JSON value (botocore's document type).
    case document
    /// A string limited to these values.
    case enumeration([String])
    case list(CLIValueType)
    case map(key: CLIValueType, value: CLIValueType)
    case structure(id: Int)

    /// The name the AWS documentation uses: `string`, `list`, `structure`…
    public var name: String {
        switch self {
        case .string, .enumeration: "string"
        case .integer: "integer"
        case .long: "long"
        case .float: "float"
        case .double: "double"
        case .boolean: "boolean"
        case .blob: "blob"
        case .timestamp: "timestamp"
        case .document: "document"
        case .list: "list"
        case .map: "map"
        case .structure: "structure"
        }
    }

    /// The allowed values of an enumeration, else empty.
    public var enumValues: [String] {
        if case .enumeration(let values) = self { return values }
        return []
    }
}

/// How many values follow an option on the command line (argparse's nargs).
public enum CLIArity: Sendable, Equatable {
    /// A flag: `--recursive`, `--dry-run`.
    case none
    case one
    /// `--sse` alone or `--sse aws:kms`.
    case optional
    case zeroOrMore
    case oneOrMore
    case exactly(Int)
}

/// One option or positional argument of a command.
public struct CLIOption: Sendable, Equatable {
    /// `--key-spec`, or a positional's name without dashes (`outfile`, `paths`).
    public var name: String
    public var type: CLIValueType
    public var arity: CLIArity
    public var isRequired: Bool
    /// Accepted but left out of the CLI's help (awscli's `_UNDOCUMENTED`): the
    /// pagination members awscli replaces with `--starting-token`, renamed
    /// members kept for compatibility.
    public var isHidden: Bool
    public var isPositional: Bool
    /// `--no-dry-run` for a boolean member that has the negative form.
    public var negation: String?
    /// The API member the option sets (`KeySpec`), when it maps to one.
    public var member: String?

    public var enumValues: [String] { type.enumValues }
}

/// The same setting spelt in another command family: `aws s3 cp --sse-kms-key-id`
/// sets what `aws s3api put-object --ssekms-key-id` sets.
public struct CLIEquivalent: Sendable, Equatable {
    /// This command's option.
    public var option: String
    /// The other command, as typed after `aws` (`s3api put-object`).
    public var otherCommand: String
    public var otherOption: String
}

/// A command below a top-level command: an API operation (`kms create-key`), a
/// waiter (`ec2 wait instance-running`), or a customisation awscli adds
/// (`cloudformation deploy`, `s3 cp`). The top-level customisations that run
/// by themselves (`aws configure`, `aws login`) have an empty path.
public struct CLIOperation: Sendable {
    /// The words after the top-level command: `["wait", "instance-running"]`.
    public var path: [String]
    /// The API operation it calls (`CreateKey`), when it calls one.
    public var apiName: String?
    public var isCustomisation: Bool
    /// It has subcommands (`aws ec2 wait`, `aws configure`).
    public var hasSubcommands: Bool
    public var isHidden: Bool
    /// Only CLI v2 has it (`aws configure sso`, `aws logs tail`).
    public var isV2Only: Bool
    /// It paginates, so it takes `--starting-token`, `--max-items` and (when
    /// the API has a page size) `--page-size`.
    public var paginates: Bool
    /// It writes its streaming output to a file named by the `outfile` positional.
    public var hasOutfile: Bool
    /// Every option it accepts, the generated `--cli-input-json`,
    /// `--cli-input-yaml`, `--generate-cli-skeleton` and paging options included;
    /// global options not.
    public var options: [CLIOption]
    public var equivalents: [CLIEquivalent]

    public var name: String { path.joined(separator: " ") }
    public var requiredOptions: [CLIOption] { options.filter(\.isRequired) }
    public var positionals: [CLIOption] { options.filter(\.isPositional) }

    /// The option a command-line word names: `--key-spec`, or `--no-dry-run`
    /// (answering the boolean it negates).
    public func option(named name: String) -> CLIOption? {
        options.first { !$0.isPositional && ($0.name == name || $0.negation == name) }
    }
}

/// A structure's members, for values given as JSON or shorthand.
public struct CLIStructure: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var name: String
        public var type: CLIValueType
        public var isRequired: Bool
    }

    public var members: [Member]
    /// Exactly one member may be set.
    public var isUnion: Bool

    public func member(named name: String) -> Member? { members.first { $0.name == name } }
}

/// One top-level command (`kms`, `s3api`, `s3`, `configure`) with its commands.
public struct CLIService: Sendable {
    public var name: String
    /// botocore's name for the service (`s3` for `s3api`, `codedeploy` for
    /// `deploy`); nil for the CLI's own commands (`s3`, `configure`).
    public var botocoreName: String?
    public var isCustomisation: Bool
    public var isHidden: Bool
    public var isV2Only: Bool
    /// By name (`create-key`, `wait instance-running`; "" for the command itself).
    public var operations: [String: CLIOperation]
    public var structures: [CLIStructure]

    /// The operation names, sorted.
    public var operationNames: [String] { operations.keys.sorted() }

    public func operation(_ name: String) -> CLIOperation? { operations[name] }

    public func structure(_ id: Int) -> CLIStructure? {
        structures.indices.contains(id) ? structures[id] : nil
    }
}

/// The data could not be read: located, and naming the service when the fault
/// is in one service's section (the other services still load).
public struct CLIModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The top-level command whose section is broken; nil for the header.
    public var service: String?
    /// 1-based line in the data.
    public var line: Int
    public var message: String

    public var description: String {
        if let service { return "the CLI model of '\(service)' is broken (line \(line)): \(message)" }
        return "the CLI model is broken (line \(line)): \(message)"
    }
}
