/// The shell subset that guides' command lines use, as data: lists of pipelines of
/// simple commands whose words are made of literal, variable and command parts.
///
/// It is what a reader's POSIX shell would do with the same line, minus what
/// guides never need (globs, functions, loops, arithmetic).
public struct ShellScript: Sendable, Hashable {
    public var items: [ShellListItem]

    public init(items: [ShellListItem]) {
        self.items = items
    }

    /// Every variable the script reads, in order of first use, command
    /// substitutions included.
    public var variablesRead: [String] {
        var seen: [String] = []
        func visit(_ word: ShellWord) {
            for part in word.parts {
                switch part {
                case .variable(let name, _):
                    if !seen.contains(name) { seen.append(name) }
                case .command(let script, _):
                    for name in script.variablesRead where !seen.contains(name) { seen.append(name) }
                case .literal: break
                }
            }
        }
        for item in items {
            for command in item.pipeline.commands {
                for assignment in command.assignments { visit(assignment.value) }
                for word in command.words { visit(word) }
                for redirection in command.redirections { visit(redirection.target) }
            }
        }
        return seen
    }

    /// Names the script assigns (`NAME=…` and `export NAME=…`), in order.
    public var variablesAssigned: [String] {
        var names: [String] = []
        for item in items {
            for command in item.pipeline.commands {
                names += command.assignments.map(\.name)
                if command.words.first?.literalText == "export" {
                    for word in command.words.dropFirst() {
                        guard let text = word.parts.first, case .literal(let literal, _) = text else { continue }
                        let name = String(literal.prefix { $0 != "=" })
                        if !name.isEmpty { names.append(name) }
                    }
                }
            }
        }
        return names
    }
}

/// How a pipeline joins the one before it.
public enum ShellConnector: Sendable, Hashable {
    /// The first pipeline, or after `;` or a newline: always runs.
    case always
    /// After `&&`: runs when the previous one succeeded.
    case ifSuccess
    /// After `||`: runs when the previous one failed.
    case ifFailure
}

public struct ShellListItem: Sendable, Hashable {
    public var connector: ShellConnector
    public var pipeline: ShellPipeline
}

/// Commands joined by `|`: each one's standard output feeds the next's input.
public struct ShellPipeline: Sendable, Hashable {
    public var commands: [ShellCommand]
}

/// `NAME=value … word word … >file`.
public struct ShellCommand: Sendable, Hashable {
    public var assignments: [ShellAssignment] = []
    public var words: [ShellWord] = []
    public var redirections: [ShellRedirection] = []
    /// UTF-8 offsets of the command's text within the script.
    public var range: Range<Int>
}

public struct ShellAssignment: Sendable, Hashable {
    public var name: String
    public var value: ShellWord
}

public struct ShellRedirection: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `>` or `1>`: standard output to a file.
        case output
        /// `>>`: standard output appended.
        case append
        /// `2>`: standard error to a file (`/dev/null` usually).
        case errorOutput
        /// `&>`: both streams to a file.
        case outputAndError
        /// `2>&1`: standard error joins standard output.
        case errorToOutput
        /// `<`: standard input from a file.
        case input
        /// `<<WORD` … `WORD`: standard input from the lines in between.
        case hereDocument
    }

    public var kind: Kind
    /// The file name, or for a here-document its body (already expanded
    /// unless the delimiter was quoted).
    public var target: ShellWord
}

/// One word after quote removal, as parts that expand separately.
public struct ShellWord: Sendable, Hashable {
    public var parts: [ShellWordPart]
    /// UTF-8 offsets of the word within the script.
    public var range: Range<Int>

    public init(parts: [ShellWordPart], range: Range<Int>) {
        self.parts = parts
        self.range = range
    }

    /// The word's text when it has no expansions.
    public var literalText: String? {
        var text = ""
        for part in parts {
            guard case .literal(let literal, _) = part else { return nil }
            text += literal
        }
        return text
    }
}

public enum ShellWordPart: Sendable, Hashable {
    /// Text; `quoted` text is never split into fields.
    case literal(String, quoted: Bool)
    /// `$NAME` or `${NAME}`.
    case variable(String, quoted: Bool)
    /// `$(…)` or `` `…` ``: the script's standard output, trailing newlines removed.
    indirect case command(ShellScript, quoted: Bool)
}

/// Why a command line could not be parsed, and where (UTF-8 offset).
public struct ShellSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    /// The line ends inside a quote, `$(…)`, or after `|`/`&&`: a shell would
    /// prompt for more, so a transcript reads on.
    public var isIncomplete: Bool
    /// The line ends inside quotes, where a `$ ` line is text, not a prompt.
    public var isInsideQuotes = false
    /// A here-document waits for this delimiter line.
    public var awaitedDelimiter: String?

    public var description: String { message }
}
