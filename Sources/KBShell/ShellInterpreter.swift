/// What a command printed and how it ended.
public struct ShellOutcome: Sendable, Hashable {
    public var stdout: [UInt8]
    public var stderr: String
    public var status: Int32
    /// Files the command wrote (e.g. `aws s3api get-object … out.txt`).
    public var writtenFiles: [String: [UInt8]]
    /// Set when the command is one kbtool cannot run: the line is not executed.
    public var unsupported: String?

    public init(
        stdout: [UInt8] = [], stderr: String = "", status: Int32 = 0, writtenFiles: [String: [UInt8]] = [:],
        unsupported: String? = nil
    ) {
        self.stdout = stdout
        self.stderr = stderr
        self.status = status
        self.writtenFiles = writtenFiles
        self.unsupported = unsupported
    }

    public static func failure(_ message: String, status: Int32 = 1) -> ShellOutcome {
        ShellOutcome(stderr: message.hasSuffix("\n") ? message : message + "\n", status: status)
    }
}

/// One external command to run, fully expanded.
public struct ShellInvocation: Sendable {
    public var arguments: [String]
    /// Exported variables plus the command's own `NAME=value` prefixes.
    public var environment: [String: String]
    public var input: [UInt8]
    /// The files the session's commands wrote, so a command can read them.
    public var files: [String: [UInt8]]
}

/// Runs the commands the shell itself does not know (`aws …`) and finds the
/// files a session did not write itself.
public protocol ShellHost: AnyObject {
    /// Nil when the command is unknown: it is reported as not executed.
    func run(_ invocation: ShellInvocation) -> ShellOutcome?
    /// A file outside the session's scratch space (a titled block, a file next to the guide).
    func readFile(_ path: String) -> [UInt8]?
}

public enum ShellPath {
    /// `./out.txt` and `out.txt` are one file.
    public static func normalize(_ path: String) -> String {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        return path
    }
}

/// Runs parsed command lines with a session's variables and files. Builtins:
/// assignments, `export`, `unset`, `echo`, `printf`, `cat`, `base64`, `true`,
/// `false`; everything else goes to the host.
public final class ShellInterpreter {
    public private(set) var variables: [String: String] = [:]
    public private(set) var exported: Set<String> = []
    /// Files the session's commands wrote (the run's scratch space).
    public private(set) var files: [String: [UInt8]] = [:]
    private unowned let host: any ShellHost
    /// Guards against `$(…)` work that never ends.
    private var substitutionDepth = 0
    /// Status of the last `$(…)` run while expanding the current command.
    private var substitutionStatus: Int32 = 0
    private var substitutionErrors = ""
    private var substitutionUnsupported: String?

    /// `host` must outlive the interpreter (it is not retained, to avoid a cycle).
    public init(host: any ShellHost, variables: [String: String] = [:]) {
        self.host = host
        self.variables = variables
    }

    /// A file the session wrote, else the host's.
    public func readFile(_ path: String) -> [UInt8]? {
        let path = ShellPath.normalize(path)
        return files[path] ?? host.readFile(path)
    }

    public func setVariable(_ name: String, _ value: String) {
        variables[name] = value
    }

    /// Runs a whole command line; output is what the terminal would show.
    public func run(_ script: ShellScript) -> ShellOutcome {
        var last = ShellOutcome()
        var combined = ShellOutcome()
        for item in script.items {
            switch item.connector {
            case .always: break
            case .ifSuccess: if last.status != 0 { continue }
            case .ifFailure: if last.status == 0 { continue }
            }
            last = run(item.pipeline)
            combined.stdout += last.stdout
            combined.stderr += last.stderr
            combined.status = last.status
            if combined.unsupported == nil { combined.unsupported = last.unsupported }
        }
        return combined
    }

    private func run(_ pipeline: ShellPipeline) -> ShellOutcome {
        var input: [UInt8] = []
        var result = ShellOutcome()
        var stderr = ""
        for (position, command) in pipeline.commands.enumerated() {
            result = run(command, input: input)
            stderr += result.stderr
            if position < pipeline.commands.count - 1 {
                input = result.stdout
                result.stdout = []
            }
            if result.unsupported != nil { break }
        }
        result.stderr = stderr
        return result
    }

    private func run(_ command: ShellCommand, input: [UInt8]) -> ShellOutcome {
        substitutionStatus = 0
        substitutionErrors = ""
        substitutionUnsupported = nil
        var outcome = runExpanded(command, input: input)
        // What `$(…)` printed on standard error reaches the terminal too.
        outcome.stderr = substitutionErrors + outcome.stderr
        if outcome.unsupported == nil { outcome.unsupported = substitutionUnsupported }
        return outcome
    }

    private func runExpanded(_ command: ShellCommand, input: [UInt8]) -> ShellOutcome {
        var local: [String: String] = [:]
        for assignment in command.assignments {
            let value = expand(assignment.value, split: false).joined(separator: " ")
            local[assignment.name] = value
        }
        let arguments = command.words.flatMap { expand($0, split: true) }
        var input = input
        var outputTarget: (path: String, append: Bool)?
        var errorsToOutput = false
        for redirection in command.redirections {
            let target = expand(redirection.target, split: false).joined(separator: " ")
            switch redirection.kind {
            case .input:
                guard let bytes = readFile(target) else {
                    return .failure("bash: \(target): No such file or directory")
                }
                input = bytes
            case .hereDocument: input = Array(target.utf8)
            case .output: outputTarget = (ShellPath.normalize(target), false)
            case .append: outputTarget = (ShellPath.normalize(target), true)
            case .errorToOutput: errorsToOutput = true
            case .errorOutput: break
            }
        }
        guard let name = arguments.first else {
            // `NAME=value` alone sets a shell variable; its status is that of
            // the last `$(…)` in it, as in the shell.
            for (name, value) in local { variables[name] = value }
            return ShellOutcome(status: substitutionStatus)
        }
        var outcome = runCommand(name, Array(arguments.dropFirst()), local: local, input: input)
        for (path, bytes) in outcome.writtenFiles { files[ShellPath.normalize(path)] = bytes }
        if errorsToOutput {
            outcome.stdout += Array(outcome.stderr.utf8)
            outcome.stderr = ""
        }
        if let (path, append) = outputTarget {
            if path == "/dev/null" {
                outcome.stdout = []
            } else {
                files[path] = (append ? readFile(path) ?? [] : []) + outcome.stdout
                outcome.stdout = []
            }
        }
        if command.redirections.contains(where: { $0.kind == .errorOutput }) { outcome.stderr = "" }
        return outcome
    }

    private func runCommand(_ name: String, _ arguments: [String], local: [String: String], input: [UInt8])
        -> ShellOutcome
    {
        switch name {
        case "export":
            for argument in arguments {
                let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let variable = String(parts[0])
                if parts.count == 2 { variables[variable] = String(parts[1]) }
                exported.insert(variable)
            }
            return ShellOutcome()
        case "unset":
            for variable in arguments {
                variables[variable] = nil
                exported.remove(variable)
            }
            return ShellOutcome()
        case "true": return ShellOutcome()
        case "false": return ShellOutcome(status: 1)
        case "echo": return ShellBuiltins.echo(arguments)
        case "printf": return ShellBuiltins.printf(arguments)
        case "cat": return ShellBuiltins.cat(arguments, input: input, read: readFile)
        case "base64": return ShellBuiltins.base64(arguments, input: input, read: readFile)
        default:
            var environment: [String: String] = [:]
            for variable in exported { environment[variable] = variables[variable] }
            environment.merge(local) { $1 }
            let invocation = ShellInvocation(
                arguments: [name] + arguments, environment: environment, input: input, files: files)
            return host.run(invocation) ?? ShellOutcome(status: 127, unsupported: name)
        }
    }

    // MARK: - Expansion

    /// A word's fields: unquoted expansions split on blanks, as the shell does.
    func expand(_ word: ShellWord, split: Bool) -> [String] {
        var fields: [String] = []
        var current = ""
        var hasCurrent = false
        func appendExpansion(_ value: String, quoted: Bool) {
            guard split, !quoted else {
                current += value
                hasCurrent = true
                return
            }
            let pieces = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            guard !pieces.isEmpty else { return }
            if value.first.map({ $0 == " " || $0 == "\t" || $0 == "\n" }) == true, hasCurrent {
                fields.append(current)
                current = ""
                hasCurrent = false
            }
            for (index, piece) in pieces.enumerated() {
                if index > 0 {
                    fields.append(current)
                    current = ""
                }
                current += piece
                hasCurrent = true
            }
            if value.last.map({ $0 == " " || $0 == "\t" || $0 == "\n" }) == true {
                fields.append(current)
                current = ""
                hasCurrent = false
            }
        }
        for part in word.parts {
            switch part {
            case .literal(let text, _):
                current += text
                hasCurrent = true
            case .variable(let name, let quoted):
                appendExpansion(variables[name] ?? "", quoted: quoted)
            case .command(let script, let quoted):
                appendExpansion(substitute(script), quoted: quoted)
            }
        }
        if hasCurrent { fields.append(current) }
        return fields
    }

    /// `$(…)`: the standard output with trailing newlines removed.
    private func substitute(_ script: ShellScript) -> String {
        substitutionDepth += 1
        defer { substitutionDepth -= 1 }
        guard substitutionDepth <= ShellParser.maxNesting else { return "" }
        let saved = (substitutionStatus, substitutionErrors, substitutionUnsupported)
        let outcome = run(script)
        substitutionStatus = outcome.status
        substitutionErrors = saved.1 + outcome.stderr
        substitutionUnsupported = saved.2 ?? outcome.unsupported
        var text = String(decoding: outcome.stdout, as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
