/// Checks an `aws` command line against the CLI's model, for every service,
/// the way the AWS CLI v2 reads it before calling AWS: global options
/// anywhere, the service and its (sub)commands, each option with its arity
/// (argparse's, abbreviations included), required options and positionals,
/// and each value by its type (enums, numbers, JSON and shorthand against the
/// structure, base64 blobs, JMESPath). Values the shell expands (`$BUCKET`)
/// and placeholders (`<bucket>`, `KEY_ID`) are values, never errors.
///
/// The checker needs no engine and no files: `file://` values are returned
/// for the caller, which knows what the guide shows.
public struct CommandChecker: Sendable {
    public let model: CLIModel

    public init(model: CLIModel) {
        self.model = model
    }

    /// Checks `aws ARGUMENTS…` (the arguments after `aws`).
    public func check(_ arguments: [CommandArgument]) -> CommandCheckResult {
        var run = CommandCheckRun(model: model, arguments: arguments)
        run.check()
        return run.result
    }

    /// Whether a value is a stand-in for a real one (`<bucket>`, `$BUCKET`,
    /// `KEY_ID`, `your-key-arn`): such values are never errors.
    public static func isPlaceholder(_ text: String) -> Bool { CLIScalar.isPlaceholder(text) }

    /// The model's source, for messages about commands it does not know.
    public var modelVersion: String { "botocore \(model.botocoreVersion), awscli \(model.awscliVersion)" }
}

/// One command line being checked.
struct CommandCheckRun {
    let model: CLIModel
    let arguments: [CommandArgument]
    var result = CommandCheckResult()
    /// Indices of the arguments that are not global options or their values.
    var rest: [Int] = []
    /// Global options given, by name.
    var globals: [String: GivenOption] = [:]
    /// Options an unknown option's finding already suggests: a missing
    /// required one among them is not reported twice.
    var suggested: Set<String> = []

    init(model: CLIModel, arguments: [CommandArgument]) {
        self.model = model
        self.arguments = arguments
    }

    mutating func problem(
        _ kind: CommandProblem.Kind, _ message: String, at argument: Int?, notes: [String] = [],
        replacement: String? = nil
    ) {
        result.problems.append(
            CommandProblem(kind, message, argument: argument, notes: notes, replacement: replacement))
    }

    /// Whether an argument is an option name to argparse (`--x`, `-x`), not a value.
    func isOptionLike(_ index: Int) -> Bool {
        let argument = arguments[index]
        guard !argument.isDynamic, argument.text.hasPrefix("-"), argument.text.count > 1 else { return false }
        let number = argument.text.dropFirst()
        return !(number.first.map { $0.isNumber || $0 == "." } ?? false)
    }

    /// The option name of an argument, without an inline `=value`.
    func optionName(_ index: Int) -> String {
        let text = arguments[index].text
        return text.firstIndex(of: "=").map { String(text[..<$0]) } ?? text
    }

    func hasInlineValue(_ index: Int) -> Bool { arguments[index].text.contains("=") }

    mutating func check() {
        readGlobals()
        if globals["--version"] != nil { return }
        guard let first = rest.first else {
            return problem(.missingArgument, "`aws` needs a command, such as `aws s3 ls`", at: nil)
        }
        if isOptionLike(first) {
            let name = optionName(first)
            let close = CLIModel.closest(to: name, in: model.globalOptions.map(\.name))
            return problem(
                .unknownOption, "`aws` has no global option '\(name)'", at: first,
                notes: close.map { ["did you mean '\($0)'?"] } ?? [], replacement: close)
        }
        guard !arguments[first].isDynamic else { return }
        let name = arguments[first].text
        if name == "help" { return }
        let service: CLIService
        do {
            guard let found = try model.service(name) else { return unknownService(name, at: first) }
            service = found
        } catch {
            return problem(
                .modelUnavailable, "kbtool cannot check `aws \(name)`: \(error.description)", at: first)
        }
        result.service = name
        checkCommand(service, from: 1)
        checkGlobalValues()
    }

    mutating func unknownService(_ name: String, at index: Int) {
        if let close = model.closestService(to: name) {
            let unique = CLIModel.unambiguous(name, in: model.serviceNames) == close
            problem(
                .unknownCommand, "`aws` has no command '\(name)'", at: index, notes: ["did you mean '\(close)'?"],
                replacement: unique ? close : nil)
        } else {
            problem(
                .unknownCommand,
                "`aws` has no command '\(name)' in botocore \(model.botocoreVersion), the AWS CLI kbtool's model describes",
                at: index, notes: ["a service newer than botocore \(model.botocoreVersion) is unknown to kbtool"])
        }
    }

    /// Separates the global options (anywhere on the line) from the rest.
    mutating func readGlobals() {
        var index = 0
        while index < arguments.count {
            defer { index += 1 }
            guard isOptionLike(index), let option = model.globalOption(named: optionName(index)) else {
                rest.append(index)
                continue
            }
            var given = GivenOption(option: option, at: index, values: [])
            if option.arity != .none {
                if hasInlineValue(index) {
                    given.values = [GivenValue(index: index, inline: true)]
                } else if index + 1 < arguments.count, !isOptionLike(index + 1) {
                    index += 1
                    given.values = [GivenValue(index: index, inline: false)]
                } else {
                    problem(.missingArgument, "\(option.name) needs a value", at: index)
                }
            }
            globals[option.name] = given
        }
    }

    /// The text of a value: after `=` when given inline (`--output=text`).
    func text(of value: GivenValue) -> CommandArgument {
        var argument = arguments[value.index]
        guard value.inline, let equals = argument.text.firstIndex(of: "=") else { return argument }
        argument.text = String(argument.text[argument.text.index(after: equals)...])
        if let standIn = argument.standIn.firstIndex(of: "=") {
            argument.standIn = String(argument.standIn[argument.standIn.index(after: standIn)...])
        }
        return argument
    }

    /// `--output` and `--query`.
    mutating func checkGlobalValues() {
        if let output = globals["--output"], let value = output.values.first {
            let argument = text(of: value)
            if !argument.isDynamic,
                let message = CLIScalar.problem(argument.text, output.option.type, option: "--output")
            {
                problem(.badValue, message, at: value.index)
            }
        }
        if let query = globals["--query"], let value = query.values.first {
            let argument = text(of: value)
            if !argument.isDynamic, let message = QueryCheck.problem(argument.text) {
                problem(.badQuery, message, at: value.index)
            }
        }
    }
}

/// Where an option's value is: its own argument, or after `=` in the option's.
struct GivenValue: Hashable {
    var index: Int
    var inline: Bool
}

/// An option as given on the line, with its values.
struct GivenOption {
    var option: CLIOption
    /// The index of the option's own argument.
    var at: Int
    var values: [GivenValue]
}
