import Foundation
import KBCLIOutput
import KBCloud
import KBJMESPath
import KBJSON
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

/// What `aws …` printed, how it ended, and what the engine did.
public struct CLIResult: Sendable {
    public var stdout = ""
    public var stderr = ""
    /// 0 success, 1 a high-level `s3` command failed, 252 usage, 254 a service
    /// error, 255 other CLI errors: the AWS CLI v2's exit statuses.
    public var status: Int32 = 0
    public var writtenFiles: [String: [UInt8]] = [:]
    public var events: [EngineEvent] = []
    /// The API operation called (`PutObject`), for traces.
    public var operation: String?
    /// The command line is one the real CLI would refuse.
    public var usageError: CLIUsageError?
    /// kbtool does not emulate this command.
    public var unsupported = false
}

/// Why the AWS CLI would refuse a command line, with a close option name if any.
public struct CLIUsageError: Sendable, Hashable {
    public var message: String
    public var argument: String?
    public var suggestion: String?
}

/// The AWS CLI v2, offline: parses a command line as the CLI does, calls the
/// simulated world as the profile's principal, and prints the response the way
/// the CLI prints it (`--output`, `--query`, errors and exit statuses).
public struct AWSCLI: Sendable {
    public var world: World
    public var profiles: [String: CLIProfile]
    public var defaultProfile: String?
    public var defaultRegion: String

    public init(world: World, profiles: [String: CLIProfile], defaultProfile: String?, defaultRegion: String) {
        self.world = world
        self.profiles = profiles
        self.defaultProfile = defaultProfile
        self.defaultRegion = defaultRegion
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

    /// Runs `aws ARGUMENTS…` (without the leading `aws`).
    public func run(
        _ arguments: [String], environment: [String: String] = [:], input: [UInt8] = [],
        readFile: @escaping (String) -> [UInt8]?
    ) -> CLIResult {
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
                    return usage("argument \(argument): expected one argument", argument: argument)
                }
                if inline == nil { index += 1 }
                globals[argument] = value
                continue
            }
            rest.append(arguments[index - 1])
        }
        guard rest.count >= 2 else {
            if rest.first == "help" || rest.count == 1 && rest[0] != "--version" {
                return usage("the following arguments are required: operation", argument: nil)
            }
            if rest.first == "--version" {
                return CLIResult(stdout: "aws-cli/2 (kbtool offline emulation)\n")
            }
            return usage("the following arguments are required: command", argument: nil)
        }
        let service = rest[0]
        let name = rest[1]
        guard let services = CommandTable.services[service] else {
            // A service kbtool does not emulate is not a usage error: it is real AWS.
            return CLIResult(status: 255, unsupported: true)
        }
        guard let operation = services[name] else {
            if CommandTable.knownUnsupported(service: service, operation: name) {
                return CLIResult(status: 255, unsupported: true)
            }
            let suggestion = OptionParser.closest(name, in: Array(services.keys))
            return usage(
                "argument operation: Found invalid choice '\(name)'", argument: name, suggestion: suggestion)
        }

        // Who and where.
        let profileName = globals["--profile"] ?? environment["AWS_PROFILE"] ?? defaultProfile
        guard let profileName else {
            var result = failure(
                "Unable to locate credentials. You can configure credentials by running \"aws configure\".")
            result.status = 253
            return result
        }
        guard let profile = profiles[profileName] else {
            var result = failure("The config profile (\(profileName)) could not be found")
            result.usageError = CLIUsageError(
                message: "the profile '\(profileName)' is not declared in the guide's front matter",
                argument: profileName,
                suggestion: OptionParser.closest(profileName, in: Array(profiles.keys)))
            return result
        }
        let region =
            globals["--region"] ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? profile.region
            ?? defaultRegion
        let format = globals["--output"] ?? environment["AWS_DEFAULT_OUTPUT"] ?? "json"
        if format == "yaml" || format == "yaml-stream" {
            // Valid in CLI v2, but kbtool does not print YAML.
            return CLIResult(stderr: "kbtool: --output \(format) is not emulated\n", status: 255, unsupported: true)
        }
        guard let outputFormat = CLIOutputFormat(rawValue: format) else {
            return usage(
                "argument --output: Found invalid choice '\(format)'", argument: format,
                suggestion: OptionParser.closest(format, in: CLIOutputFormat.allCases.map(\.rawValue)))
        }
        var query: JMESPathExpression?
        if let text = globals["--query"] {
            do {
                query = try JMESPathExpression(text)
            } catch {
                return usage(
                    UsageError(
                        message: "Bad value for --query \(text): \(error.message)", argument: text, showsUsage: false))
            }
        }
        let caller: Caller
        do {
            caller = unsigned ? try Caller("anonymous") : try Self.caller(for: profile, named: profileName)
        } catch {
            return failure(error.message)
        }
        // Only S3 serves unsigned requests; the other services refuse them unread.
        if unsigned, service != "s3", service != "s3api" {
            let code = service == "kms" ? "MissingAuthenticationTokenException" : "MissingAuthenticationToken"
            return CLIResult(
                stderr:
                    "\nAn error occurred (\(code)) when calling the \(operation.apiName) operation: Missing Authentication Token\n",
                status: 254, operation: operation.apiName)
        }

        // Parse the operation's options, then call the world.
        let reader = ClosureReader(read: readFile)
        var invocation = Invocation(
            world: world, caller: caller, region: region, values: [:], positionals: [], input: input, reader: reader,
            rawBinary: globals["--cli-binary-format"] == "raw-in-base64-out")
        do {
            let parser = OptionParser(
                specs: operation.options, positionals: operation.positionals, reader: reader,
                rawBinary: invocation.rawBinary)
            (invocation.values, invocation.positionals) = try parser.parse(Array(rest.dropFirst(2)))
        } catch {
            return usage(error)
        }
        var result = CLIResult(operation: operation.apiName)
        do {
            let output = try operation.run(invocation)
            result.events = invocation.record.events
            result.writtenFiles = invocation.record.written
            switch output {
            case .none: break
            case .text(let text): result.stdout = text
            case .json(let value):
                var shown = value
                if let query {
                    do {
                        shown = try query.evaluate(value)
                    } catch {
                        return usage(
                            UsageError(
                                message: "Bad value for --query: \(error.message)", argument: globals["--query"],
                                showsUsage: false))
                    }
                }
                // With --query, a null result prints "null" in JSON and nothing else in text.
                result.stdout = CLIOutput.render(shown, format: outputFormat, title: operation.apiName)
            }
            result.stdout = String(decoding: invocation.record.terminalPrefix, as: UTF8.self) + result.stdout
        } catch let failure {
            result.events = invocation.record.events + failure.events
            switch failure {
            case .service(var error):
                if operation.apiName == "HeadObject" { error = Self.headError(error) }
                result.stderr =
                    "\nAn error occurred (\(error.code)) when calling the \(operation.apiName) operation: \(Self.wireMessage(error))\n"
                result.status = 254
            case .message(let text, let status, _):
                result.stderr = text.hasSuffix("\n") ? text : text + "\n"
                result.status = status
            case .usage(let error):
                return usage(error)
            case .unsupported(let what):
                return CLIResult(stderr: "kbtool: \(what) is not emulated\n", status: 255, unsupported: true)
            }
        }
        return result
    }

    /// The message as AWS sends it: KMS sends none with InvalidCiphertextException
    /// (botocore then prints an empty message); the engine's own text is for traces.
    static func wireMessage(_ error: ServiceError) -> String {
        error.code == "InvalidCiphertextException" ? "" : error.message
    }

    /// A HEAD response has no body, so the CLI can only show the HTTP status:
    /// `(403) … Forbidden`, `(404) … Not Found`.
    static func headError(_ error: ServiceError) -> ServiceError {
        let statuses: [String: (String, String)] = [
            "AccessDenied": ("403", "Forbidden"), "NoSuchKey": ("404", "Not Found"),
            "NoSuchBucket": ("404", "Not Found"), "PermanentRedirect": ("301", "Moved Permanently"),
            "MethodNotAllowed": ("405", "Method Not Allowed"),
        ]
        let (code, message) = statuses[error.code] ?? ("400", "Bad Request")
        return ServiceError(code, message, events: error.events)
    }

    /// Roles act through a session named after the profile, as `aws` does after
    /// `sts assume-role`; users and the root act as themselves.
    static func caller(for profile: CLIProfile, named name: String) throws(ServiceError) -> Caller {
        guard let arn = ARN(profile.principal), ARN.isAccountID(arn.account) || arn.resource == "root" else {
            throw ServiceError(
                "InvalidClientTokenId", "the profile's principal '\(profile.principal)' is not an IAM ARN")
        }
        if arn.service == "iam", arn.resource.hasPrefix("role/"),
            let roleName = arn.resource.split(separator: "/").last.map(String.init)
        {
            let session = String(name.map { $0.isLetter || $0.isNumber || "=,.@-_".contains($0) ? $0 : "-" })
            return try Caller("arn:\(arn.partition):sts::\(arn.account):assumed-role/\(roleName)/\(session)")
        }
        return try Caller(profile.principal)
    }

    private func usage(_ error: UsageError) -> CLIResult {
        guard error.showsUsage else {
            // Errors found while reading a value: the message alone, exit 255.
            return CLIResult(
                stderr: "\n\(error.message)\n", status: 255,
                usageError: CLIUsageError(
                    message: error.message, argument: error.argument, suggestion: error.suggestion))
        }
        return usage(error.message, argument: error.argument, suggestion: error.suggestion)
    }

    private func usage(_ message: String, argument: String?, suggestion: String? = nil) -> CLIResult {
        var text = """
            usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]
            To see help text, you can run:

              aws help
              aws <command> help
              aws <command> <subcommand> help

            aws: error: \(message)

            """
        if let suggestion { text += "\nDid you mean \(suggestion)?\n" }
        return CLIResult(
            stderr: text, status: 252,
            usageError: CLIUsageError(message: message, argument: argument, suggestion: suggestion))
    }

    private func failure(_ message: String) -> CLIResult {
        CLIResult(stderr: "\n\(message)\n", status: 255)
    }
}

struct ClosureReader: ParamFileReader {
    var read: (String) -> [UInt8]?
    func readFile(_ path: String) -> [UInt8]? { read(path) }
}

/// Why an operation failed: a service error (exit 254), a message of the CLI's
/// own (`upload failed: …`), or a bad parameter found while running.
enum CommandFailure: Error {
    case service(ServiceError)
    case message(String, status: Int32, events: [EngineEvent])
    case usage(UsageError)
    /// A form of the command kbtool does not emulate (`aws s3 cp --recursive`).
    case unsupported(String)

    var events: [EngineEvent] {
        switch self {
        case .service(let error): return error.events
        case .message(_, _, let events): return events
        case .usage, .unsupported: return []
        }
    }
}

/// What an operation prints: a response (formatted by `--output` and `--query`),
/// text of its own (`aws s3 ls`), or nothing.
enum CommandOutput {
    case none
    case json(JSONValue)
    case text(String)
}

/// The events and files of one command.
final class InvocationRecord {
    var events: [EngineEvent] = []
    var written: [String: [UInt8]] = [:]
    /// Printed before the response (`get-object … /dev/stdout`).
    var terminalPrefix: [UInt8] = []
}

/// One command being run: its caller, Region, options, and what it produced.
struct Invocation {
    let world: World
    let caller: Caller
    let region: String
    var values: [String: OptionValue]
    var positionals: [String]
    let input: [UInt8]
    let reader: any ParamFileReader
    /// `--cli-binary-format raw-in-base64-out`: blob options take raw text.
    let rawBinary: Bool
    /// What the run produced so far, shared so handlers need not be `mutating`.
    let record = InvocationRecord()

    var kms: KMS.Origin { KMS.Origin(caller, region: region, grantTokens: list("grant-tokens") ?? []) }
    var s3: S3.Origin {
        if case .anonymous = caller.principal.kind { return S3.Origin(caller, region: region, signature: .anonymous) }
        return S3.Origin(caller, region: region)
    }

    func string(_ name: String) -> String? {
        if case .string(let value) = values[name] { return value }
        return nil
    }

    func integer(_ name: String) -> Int? {
        if case .integer(let value) = values[name] { return value }
        return nil
    }

    func flag(_ name: String) -> Bool? {
        if case .boolean(let value) = values[name] { return value }
        return nil
    }

    func bytes(_ name: String) -> [UInt8]? {
        if case .bytes(let value) = values[name] { return value }
        return nil
    }

    func json(_ name: String) -> JSONValue? {
        if case .json(let value) = values[name] { return value }
        return nil
    }

    func list(_ name: String) -> [String]? {
        if case .list(let value) = values[name] { return value }
        return nil
    }

    /// Runs an engine call, keeping its events for the trace.
    func call<Value>(_ body: () throws(ServiceError) -> Traced<Value>) throws(CommandFailure) -> Value {
        do {
            let traced = try body()
            record.events += traced.events
            return traced.value
        } catch {
            throw .service(error)
        }
    }
}
