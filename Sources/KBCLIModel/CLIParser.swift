import KBCLIOutput
import KBJMESPath
import KBPolicy

/// Who a `--profile` is: a principal ARN, and optionally its own Region.
public struct CLIProfile: Sendable, Hashable {
    public var principal: String
    public var region: String?

    public init(principal: String, region: String? = nil) {
        self.principal = principal
        self.region = region
    }
}

/// How the CLI is set up, as `~/.aws/config` would set it: the profiles, the
/// one used when a command names none, and the Region when nothing else does.
public struct CLIConfiguration: Sendable {
    public var profiles: [String: CLIProfile]
    public var defaultProfile: String?
    public var defaultRegion: String

    public init(profiles: [String: CLIProfile], defaultProfile: String?, defaultRegion: String) {
        self.profiles = profiles
        self.defaultProfile = defaultProfile
        self.defaultRegion = defaultRegion
    }
}

/// Why the AWS CLI would refuse a command line, with a close option name if any.
public struct CLIUsageError: Sendable, Hashable {
    public var message: String
    public var argument: String?
    public var suggestion: String?
}

/// A command line the CLI accepts, ready to run: the operation, who runs it
/// where, how its response is printed, and its options' values.
public struct ParsedCommand: Sendable {
    public var service: String
    /// The operation's CLI name (`put-object`).
    public var operationName: String
    public var operation: OperationModel
    public var profileName: String
    /// The principal the command acts as: a role's profile acts through a
    /// session named after the profile, as `aws` does after `sts assume-role`;
    /// `anonymous` with `--no-sign-request`.
    public var principal: String
    public var region: String
    public var output: CLIOutputFormat
    public var query: JMESPathExpression?
    /// `--query` as written, for its error messages.
    public var queryText: String?
    public var values: [String: OptionValue]
    public var positionals: [String]
    /// `--cli-binary-format raw-in-base64-out`: blob options take raw text.
    public var rawBinary: Bool
}

/// A command line that ends before anything runs: a usage error, an unknown
/// profile, `--version`, a service or form kbtool does not emulate. What the CLI
/// prints and its exit status.
public struct CLIExit: Error, Sendable {
    public var stdout = ""
    public var stderr = ""
    public var status: Int32
    /// The command line is one the real CLI would refuse.
    public var usageError: CLIUsageError?
    /// kbtool does not emulate this command.
    public var unsupported = false
    /// The API operation the refusal names, when the service refused it (for traces).
    public var operation: String?

    public init(
        stdout: String = "", stderr: String = "", status: Int32, usageError: CLIUsageError? = nil,
        unsupported: Bool = false, operation: String? = nil
    ) {
        self.stdout = stdout
        self.stderr = stderr
        self.status = status
        self.usageError = usageError
        self.unsupported = unsupported
        self.operation = operation
    }

    /// argparse's refusal: the usage banner and the message, exit 252; or for an
    /// error found while reading a value, the message alone, exit 255.
    public static func usage(_ error: UsageError) -> CLIExit {
        guard error.showsUsage else {
            return CLIExit(
                stderr: "\n\(error.message)\n", status: 255,
                usageError: CLIUsageError(
                    message: error.message, argument: error.argument, suggestion: error.suggestion))
        }
        return usage(error.message, argument: error.argument, suggestion: error.suggestion)
    }

    static func usage(_ message: String, argument: String?, suggestion: String? = nil) -> CLIExit {
        var text = """
            usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]
            To see help text, you can run:

              aws help
              aws <command> help
              aws <command> <subcommand> help

            aws: error: \(message)

            """
        if let suggestion { text += "\nDid you mean \(suggestion)?\n" }
        return CLIExit(
            stderr: text, status: 252,
            usageError: CLIUsageError(message: message, argument: argument, suggestion: suggestion))
    }

    /// A CLI error of its own (no credentials, an unknown profile): the message, exit 255.
    static func failure(_ message: String) -> CLIExit {
        CLIExit(stderr: "\n\(message)\n", status: 255)
    }
}

/// The AWS CLI v2's command-line grammar: global options wherever they appear,
/// `SERVICE OPERATION`, the profile and Region, `--output` and `--query`, and
/// the operation's options parsed as the CLI parses them. Needs no engine.
public struct CLIParser: Sendable {
    public var model: any CommandModel
    public var configuration: CLIConfiguration

    public init(model: any CommandModel = CommandTable.emulated, configuration: CLIConfiguration) {
        self.model = model
        self.configuration = configuration
    }

    /// Global options every command takes, wherever they appear on the line.
    static let globalOptions: Set<String> = [
        "--profile", "--region", "--output", "--query", "--endpoint-url", "--cli-binary-format", "--color",
        "--cli-read-timeout", "--cli-connect-timeout", "--ca-bundle",
    ]
    static let globalFlags: Set<String> = [
        "--no-cli-pager", "--no-paginate", "--no-verify-ssl", "--debug", "--no-sign-request", "--cli-auto-prompt",
        "--no-cli-auto-prompt",
    ]

    /// Parses `aws ARGUMENTS…` (without the leading `aws`); `readFile` reads
    /// `file://` and `fileb://` values and input files.
    public func parse(
        _ arguments: [String], environment: [String: String] = [:], readFile: @escaping (String) -> [UInt8]?
    ) throws(CLIExit) -> ParsedCommand {
        var globals: [String: String] = [:]
        var rest: [String] = []
        /// `--no-sign-request`: the request goes out unsigned, as an anonymous caller's.
        var unsigned = false
        var index = 0
        while index < arguments.count {
            var argument = arguments[index]
            index += 1
            var inline: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                inline = String(argument[argument.index(after: equals)...])
                argument = String(argument[..<equals])
            }
            if argument == "--no-sign-request" { unsigned = true }
            if Self.globalFlags.contains(argument) { continue }
            if Self.globalOptions.contains(argument) {
                guard let value = inline ?? (index < arguments.count ? arguments[index] : nil) else {
                    throw .usage("argument \(argument): expected one argument", argument: argument)
                }
                if inline == nil { index += 1 }
                globals[argument] = value
                continue
            }
            rest.append(arguments[index - 1])
        }
        guard rest.count >= 2 else {
            if rest.first == "help" || rest.count == 1 && rest[0] != "--version" {
                throw .usage("the following arguments are required: operation", argument: nil)
            }
            if rest.first == "--version" {
                throw CLIExit(stdout: "aws-cli/2 (kbtool offline emulation)\n", status: 0)
            }
            throw .usage("the following arguments are required: command", argument: nil)
        }
        let (service, name) = (rest[0], rest[1])
        let operation: OperationModel
        switch model.lookup(service: service, operation: name) {
        case .operation(let found):
            operation = found
        case .unknownService, .undescribedOperation:
            // A service or operation kbtool does not emulate is not a usage error: it is real AWS.
            throw CLIExit(status: 255, unsupported: true)
        case .invalidOperation(let suggestion):
            throw .usage("argument operation: Found invalid choice '\(name)'", argument: name, suggestion: suggestion)
        }

        // Who and where.
        let profileName = globals["--profile"] ?? environment["AWS_PROFILE"] ?? configuration.defaultProfile
        guard let profileName else {
            var exit = CLIExit.failure(
                "Unable to locate credentials. You can configure credentials by running \"aws configure\".")
            exit.status = 253
            throw exit
        }
        guard let profile = configuration.profiles[profileName] else {
            var exit = CLIExit.failure("The config profile (\(profileName)) could not be found")
            exit.usageError = CLIUsageError(
                message: "the profile '\(profileName)' is not declared in the guide's front matter",
                argument: profileName,
                suggestion: OptionParser.closest(profileName, in: Array(configuration.profiles.keys)))
            throw exit
        }
        let region =
            globals["--region"] ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? profile.region
            ?? configuration.defaultRegion
        let format = globals["--output"] ?? environment["AWS_DEFAULT_OUTPUT"] ?? "json"
        if format == "yaml" || format == "yaml-stream" {
            // Valid in CLI v2, but kbtool does not print YAML.
            throw CLIExit(stderr: "kbtool: --output \(format) is not emulated\n", status: 255, unsupported: true)
        }
        guard let output = CLIOutputFormat(rawValue: format) else {
            throw .usage(
                "argument --output: Found invalid choice '\(format)'", argument: format,
                suggestion: OptionParser.closest(format, in: CLIOutputFormat.allCases.map(\.rawValue)))
        }
        var query: JMESPathExpression?
        if let text = globals["--query"] {
            do {
                query = try JMESPathExpression(text)
            } catch {
                throw .usage(
                    UsageError(
                        message: "Bad value for --query \(text): \(error.message)", argument: text, showsUsage: false))
            }
        }
        let principal = unsigned ? "anonymous" : try Self.principal(for: profile, named: profileName)
        // Only S3 serves unsigned requests; the other services refuse them unread.
        if unsigned, service != "s3", service != "s3api" {
            let code = service == "kms" ? "MissingAuthenticationTokenException" : "MissingAuthenticationToken"
            throw CLIExit(
                stderr:
                    "\nAn error occurred (\(code)) when calling the \(operation.apiName) operation: Missing Authentication Token\n",
                status: 254, operation: operation.apiName)
        }

        // The operation's options.
        let rawBinary = globals["--cli-binary-format"] == "raw-in-base64-out"
        let parser = OptionParser(
            specs: operation.options, positionals: operation.positionals, reader: ClosureReader(read: readFile),
            rawBinary: rawBinary)
        let parsed: (values: [String: OptionValue], positionals: [String])
        do {
            parsed = try parser.parse(Array(rest.dropFirst(2)))
        } catch {
            throw .usage(error)
        }
        return ParsedCommand(
            service: service, operationName: name, operation: operation, profileName: profileName,
            principal: principal, region: region, output: output, query: query, queryText: globals["--query"],
            values: parsed.values, positionals: parsed.positionals, rawBinary: rawBinary)
    }

    /// The principal a profile acts as. Roles act through a session named after
    /// the profile, as `aws` does after `sts assume-role`; users and the root act
    /// as themselves.
    static func principal(for profile: CLIProfile, named name: String) throws(CLIExit) -> String {
        guard let arn = ARN(profile.principal), ARN.isAccountID(arn.account) || arn.resource == "root" else {
            throw .failure("the profile's principal '\(profile.principal)' is not an IAM ARN")
        }
        var principal = profile.principal
        if arn.service == "iam", arn.resource.hasPrefix("role/"),
            let roleName = arn.resource.split(separator: "/").last.map(String.init)
        {
            let session = String(name.map { $0.isLetter || $0.isNumber || "=,.@-_".contains($0) ? $0 : "-" })
            principal = "arn:\(arn.partition):sts::\(arn.account):assumed-role/\(roleName)/\(session)"
        }
        guard RequestPrincipal(principal) != nil else { throw .failure("\(principal) is not a principal") }
        return principal
    }
}

/// Reads `file://` values through a closure.
package struct ClosureReader: ParamFileReader {
    package var read: (String) -> [UInt8]?

    package init(read: @escaping (String) -> [UInt8]?) {
        self.read = read
    }

    package func readFile(_ path: String) -> [UInt8]? { read(path) }
}
