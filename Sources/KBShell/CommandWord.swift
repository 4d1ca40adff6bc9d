/// How a block's text is read as commands: a POSIX shell (`bash`, `sh`, `zsh`,
/// terminal sessions), or PowerShell (backtick continuations and escapes,
/// `'…'` with `''` for a quote, `& program` to call a program).
public enum ShellDialect: Sendable, Hashable {
    case posix
    case powershell
}

/// Where commands start in a block that mixes them with their output: after a
/// prompt (`$ `, `PS C:\> `) when the block shows prompts, else on any line.
public enum PromptMode: Sendable, Hashable {
    /// Every line is a command line (a `bash` block, a transcript's command text).
    case none
    /// Only lines with a prompt start commands; the others are output.
    case prompted
}

/// One part of a word: text as typed (quotes removed), or an expansion the
/// shell replaces when it runs the line (`$NAME`, `${NAME}`, `$(…)`, `` `…` ``),
/// kept as written.
public enum CommandWordPart: Sendable, Hashable {
    case text(String)
    case expansion(String)
}

/// A word of a command as a shell would pass it to the program, with where it
/// is written.
public struct CommandWord: Sendable, Hashable {
    public var parts: [CommandWordPart]
    /// UTF-8 offsets of the word in the scanned text, quotes included.
    public var range: Range<Int>
    /// The offset of a quote (or `$(`) the word opens and the text never
    /// closes: the word runs to the end of the text.
    public var unclosed: Int?
    /// An expansion outside double quotes (`$ARGS`): the shell splits its
    /// value, so the word may become no argument or several.
    public var splits: Bool

    public init(parts: [CommandWordPart], range: Range<Int>, unclosed: Int? = nil, splits: Bool = false) {
        self.parts = parts
        self.range = range
        self.unclosed = unclosed
        self.splits = splits
    }

    /// The word with expansions as written (`s3://$BUCKET/key`).
    public var text: String {
        parts.map {
            switch $0 {
            case .text(let text), .expansion(let text): text
            }
        }.joined()
    }

    /// Whether the shell would replace part of it when running the line.
    public var isDynamic: Bool {
        parts.contains {
            if case .expansion = $0 { return true }
            return false
        }
    }

    /// The word's text when nothing in it expands.
    public var literal: String? { isDynamic ? nil : text }

    /// The word with each expansion replaced by `value`: a stand-in of the
    /// right shape for checks that read the whole value (`0` keeps JSON valid
    /// both inside and outside a string).
    public func substituting(_ value: String) -> String {
        parts.map {
            switch $0 {
            case .text(let text): text
            case .expansion: value
            }
        }.joined()
    }
}

/// A simple command found in shell text: its program and arguments, before
/// any redirection or operator.
public struct FoundCommand: Sendable, Hashable {
    /// The words from the program's name on (`aws`, `s3`, `cp`, …), prefixes
    /// such as `sudo`, `time` and `NAME=value` left out.
    public var words: [CommandWord]

    public init(words: [CommandWord]) {
        self.words = words
    }

    /// From the program's name to the end of its last word.
    public var range: Range<Int> {
        guard let first = words.first, let last = words.last else { return 0..<0 }
        return first.range.lowerBound..<last.range.upperBound
    }

    /// The program's name as typed, without a folder (`/usr/local/bin/aws` is
    /// `aws`). A folder must be a path a shell runs from (`/…`, `./…`, `~/…`):
    /// `github.com/aws/aws-sdk-go-v2/aws` in a code listing names no program.
    public var program: String? {
        guard let name = words.first?.literal else { return nil }
        if name.contains("/"),
            !(name.hasPrefix("/") || name.hasPrefix("./") || name.hasPrefix("../") || name.hasPrefix("~/"))
        {
            return nil
        }
        let base = name.split(separator: "/").last.map(String.init) ?? name
        return base.hasSuffix(".exe") || base.hasSuffix(".cmd") ? String(base.dropLast(4)) : base
    }
}

/// What scanning a block's text found: its simple commands in order (those
/// inside `$(…)` and backquotes too), and the files it writes.
public struct CommandScan: Sendable, Hashable {
    public var commands: [FoundCommand] = []
    /// Files the text writes: targets of `>`, `>>`, `tee`, as written.
    public var writtenFiles: [String] = []
    /// The text ends inside a continuation: a trailing `\` (or backtick), or a
    /// line ending in `|`, `&&` or `||`. The offset of that continuation.
    public var openContinuation: Int?

    public init() {}
}
