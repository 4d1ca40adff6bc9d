/// What a command printed and how it ended.
public struct ShellOutcome: Sendable, Hashable {
    public var stdout: [UInt8]
    public var stderr: String
    public var status: Int32
    /// Files the command wrote (e.g. `aws s3api get-object … out.txt`).
    public var writtenFiles: [String: [UInt8]]
    /// Set when the command is one kbtool cannot run: the line is not executed.
    public var unsupported: String?
    /// What reached the terminal, standard output and standard error in the
    /// order they were written (set by the interpreter for whole command lines).
    public var terminal: [UInt8] = []

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
    /// Bytes the session's expansions and command output may still add up to.
    private var budget = ShellInterpreter.byteBudget
    /// Status of the last `$(…)` run while expanding the current command.
    private var substitutionStatus: Int32 = 0
    private var substitutionErrors = ""
    private var substitutionUnsupported: String?

    /// What a session's expansions and commands' output may add up to. Guides
    /// stay far below it; without it a line such as `A=$A$A$A$A` repeated, or
    /// `cat f f f f > g` repeated, grows the text geometrically until memory runs out.
    public static let byteBudget = 16 << 20

    static let budgetMessage =
        "kbtool: the session's commands have expanded to more than \(byteBudget >> 20) MiB of text; it stops running them"

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

    /// Runs a whole command line; `terminal` is what the terminal would show,
    /// standard output and standard error in the order they were written.
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
            combined.terminal += last.terminal
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
        // Errors reach the terminal as each command writes them, the last
        // command's output after them.
        result.terminal = Array(stderr.utf8) + result.stdout
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

    /// Where a stream goes after the redirections, applied left to right.
    private enum Destination: Equatable {
        /// Standard output: the pipe or the terminal. Standard error: the terminal.
        case inherited
        /// Standard error sent where standard output was inherited (`2>&1`).
        case standardOutput
        case file(String, append: Bool)
        case discarded
    }

    private func runExpanded(_ command: ShellCommand, input: [UInt8]) -> ShellOutcome {
        // Assignments are expanded and made left to right: `A=1 B=$A` sees A.
        var local: [String: String] = [:]
        for assignment in command.assignments {
            local[assignment.name] = expand(assignment.value, split: false, overlay: local).joined(separator: " ")
        }
        // `export NAME=$(…)` takes its value whole, as assignments do.
        let declares = command.words.first?.literalText == "export"
        let arguments = command.words.enumerated().flatMap { index, word in
            expand(word, split: !(declares && index > 0), overlay: local)
        }
        guard budget >= 0 else { return .failure(Self.budgetMessage) }
        var input = input
        var output = Destination.inherited
        var errors = Destination.inherited
        for redirection in command.redirections {
            let target = expand(redirection.target, split: false, overlay: local).joined(separator: " ")
            let path = ShellPath.normalize(target)
            let destination: Destination = path == "/dev/null" ? .discarded : .file(path, append: false)
            switch redirection.kind {
            case .input:
                guard let bytes = readFile(target) else {
                    return .failure("bash: \(target): No such file or directory")
                }
                input = bytes
            case .hereDocument: input = Array(target.utf8)
            case .output: output = destination
            case .append: output = path == "/dev/null" ? .discarded : .file(path, append: true)
            case .errorOutput: errors = destination
            case .outputAndError:
                output = destination
                errors = destination
            case .errorToOutput: errors = output == .inherited ? .standardOutput : output
            }
        }
        guard let name = arguments.first else {
            // `NAME=value` alone sets shell variables; its status is that of
            // the last `$(…)` in it, as in the shell.
            for assignment in command.assignments { variables[assignment.name] = local[assignment.name] }
            return ShellOutcome(status: substitutionStatus)
        }
        let produced = runCommand(name, Array(arguments.dropFirst()), local: local, input: input)
        budget -= produced.stdout.count + produced.stderr.utf8.count
        guard budget >= 0 else { return .failure(Self.budgetMessage) }
        for (path, bytes) in produced.writtenFiles { files[ShellPath.normalize(path)] = bytes }
        var outcome = produced
        outcome.stdout = []
        outcome.stderr = ""
        var truncated: Set<String> = []
        func deliver(_ bytes: [UInt8], to destination: Destination, isError: Bool) {
            switch destination {
            case .inherited:
                if isError { outcome.stderr += String(decoding: bytes, as: UTF8.self) } else { outcome.stdout += bytes }
            case .standardOutput: outcome.stdout += bytes
            case .discarded: break
            case .file(let path, let append):
                // A file opened twice by one command (`&>f`) is written once, in order.
                let keep = append || truncated.contains(path)
                files[path] = (keep ? readFile(path) ?? [] : []) + bytes
                truncated.insert(path)
            }
        }
        deliver(produced.stdout, to: output, isError: false)
        deliver(Array(produced.stderr.utf8), to: errors, isError: true)
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
        case "printf": return ShellBuiltins.printf(arguments, limit: budget)
        case "cat": return ShellBuiltins.cat(arguments, input: input, read: readFile, limit: budget)
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
    func expand(_ word: ShellWord, split: Bool, overlay: [String: String] = [:]) -> [String] {
        var fields: [String] = []
        var current = ""
        var hasCurrent = false
        func appendExpansion(_ value: String, quoted: Bool) {
            budget -= value.utf8.count
            guard budget >= 0 else { return }
            guard split, !quoted else {
                current += value
                hasCurrent = true
                return
            }
            let pieces = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            guard !pieces.isEmpty else {
                // Only blanks: they still end the field before them (`x${SP}y`).
                if !value.isEmpty, hasCurrent {
                    fields.append(current)
                    current = ""
                    hasCurrent = false
                }
                return
            }
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
            // Past the budget the command fails (runExpanded), so its words need not be whole.
            guard budget >= 0 else { return [] }
            switch part {
            case .literal(let text, _):
                budget -= text.utf8.count
                current += text
                hasCurrent = true
            case .variable(let name, let quoted):
                appendExpansion(overlay[name] ?? variables[name] ?? "", quoted: quoted)
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
