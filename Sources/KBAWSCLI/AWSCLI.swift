import Foundation
import KBCLIModel
import KBCLIOutput
import KBCloud
import KBJMESPath
import KBJSON
import KBPolicy

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

    /// What a command line that ended before running printed.
    public init(_ exit: CLIExit) {
        stdout = exit.stdout
        stderr = exit.stderr
        status = exit.status
        usageError = exit.usageError
        unsupported = exit.unsupported
        operation = exit.operation
    }

    init(
        stdout: String = "", stderr: String = "", status: Int32 = 0, operation: String? = nil,
        unsupported: Bool = false
    ) {
        self.stdout = stdout
        self.stderr = stderr
        self.status = status
        self.operation = operation
        self.unsupported = unsupported
    }
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

    /// The configuration the parser reads: the profiles and defaults.
    public var configuration: CLIConfiguration {
        CLIConfiguration(profiles: profiles, defaultProfile: defaultProfile, defaultRegion: defaultRegion)
    }

    /// Runs `aws ARGUMENTS…` (without the leading `aws`): parses, then executes.
    public func run(
        _ arguments: [String], environment: [String: String] = [:], input: [UInt8] = [],
        readFile: @escaping (String) -> [UInt8]?
    ) -> CLIResult {
        do {
            let command = try parse(arguments, environment: environment, readFile: readFile)
            return execute(command, input: input, readFile: readFile)
        } catch {
            return CLIResult(error)
        }
    }

    /// The command line as the CLI reads it; no engine involved.
    public func parse(
        _ arguments: [String], environment: [String: String] = [:], readFile: @escaping (String) -> [UInt8]?
    ) throws(CLIExit) -> ParsedCommand {
        try CLIParser(configuration: configuration).parse(arguments, environment: environment, readFile: readFile)
    }

    /// Runs a parsed command against the world as its principal, and prints the
    /// response the way the CLI prints it (`--output`, `--query`, errors).
    public func execute(_ command: ParsedCommand, input: [UInt8] = [], readFile: @escaping (String) -> [UInt8]?)
        -> CLIResult
    {
        guard let handler = Handlers.all[command.service]?[command.operationName] else {
            // An operation the model describes but kbtool does not run.
            return CLIResult(
                stderr: "kbtool: aws \(command.service) \(command.operationName) is not emulated\n", status: 255,
                unsupported: true)
        }
        let operation = command.operation
        let caller: Caller
        do {
            caller = try Caller(command.principal)
        } catch {
            return CLIResult(CLIExit(stderr: "\n\(error.message)\n", status: 255))
        }
        let invocation = Invocation(
            world: world, caller: caller, region: command.region, values: command.values,
            positionals: command.positionals, input: input, reader: ClosureReader(read: readFile),
            rawBinary: command.rawBinary)
        var result = CLIResult(operation: operation.apiName)
        do {
            let output = try handler(invocation)
            result.events = invocation.record.events
            result.writtenFiles = invocation.record.written
            switch output {
            case .none: break
            case .text(let text): result.stdout = text
            case .json(let value):
                var shown = value
                if let query = command.query {
                    do {
                        shown = try query.evaluate(value)
                    } catch {
                        return CLIResult(
                            .usage(
                                UsageError(
                                    message: "Bad value for --query: \(error.message)", argument: command.queryText,
                                    showsUsage: false)))
                    }
                }
                // With --query, a null result prints "null" in JSON and nothing else in text.
                result.stdout = CLIOutput.render(shown, format: command.output, title: operation.apiName)
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
                return CLIResult(.usage(error))
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
