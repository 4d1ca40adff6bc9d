/// Finds the simple commands in shell text the way a shell splits them, and
/// the files the text writes. Unlike ``ShellParser`` it never refuses a line:
/// loops, subshells, functions and arithmetic are read past, so the `aws`
/// commands inside a `for` loop or a `$(…)` are still found. One pass over the
/// text, so its time is linear in the text's length.
public enum CommandFinder {
    /// `$(…)` nested deeper than this is skipped over, not read.
    static let maxNesting = 32

    public static func scan(_ text: String, dialect: ShellDialect = .posix, prompts: PromptMode = .none)
        -> CommandScan
    {
        var scanner = CommandScanner(bytes: Array(text.utf8), dialect: dialect, prompts: prompts)
        scanner.readList(closing: nil)
        return scanner.scan
    }

    /// Whether a block shows prompts: then only its prompted lines are commands.
    public static func showsPrompts(_ lines: [String], dialect: ShellDialect) -> Bool {
        lines.contains { promptLength(Array($0.utf8)[...], dialect: dialect) != nil }
    }

    /// The length of the prompt a line starts with (`$ `, `PS C:\> `), spaces before it included.
    static func promptLength(_ line: ArraySlice<UInt8>, dialect: ShellDialect) -> Int? {
        let start = line.startIndex
        var index = start
        while index < line.endIndex, line[index] == UInt8(ascii: " ") { index += 1 }
        if dialect == .posix {
            guard index < line.endIndex, line[index] == UInt8(ascii: "$") else { return nil }
            let next = index + 1
            if next == line.endIndex || line[next] == UInt8(ascii: "\n") { return next - start }
            return line[next] == UInt8(ascii: " ") ? next + 1 - start : nil
        }
        // `PS C:\> `, `PS> `, `C:\> `: up to the first `> ` of the line.
        let rest = line[index...]
        let startsLikePrompt =
            rest.starts(with: Array("PS ".utf8)) || rest.starts(with: Array("PS>".utf8))
            || (rest.count > 2 && rest[index + 1] == UInt8(ascii: ":") && rest[index + 2] == UInt8(ascii: "\\"))
        guard startsLikePrompt else { return nil }
        var probe = index
        while probe < line.endIndex, line[probe] != UInt8(ascii: "\n") {
            if line[probe] == UInt8(ascii: ">") {
                let after = probe + 1
                if after == line.endIndex || line[after] == UInt8(ascii: " ") || line[after] == UInt8(ascii: "\n") {
                    return min(after + 1, line.endIndex) - start
                }
            }
            probe += 1
        }
        return nil
    }

    /// Words before the program that do not name it: `sudo`, `time`, `env`,
    /// `xargs` (and their options), shell keywords, `NAME=value`.
    static let prefixes: Set<String> = [
        "sudo", "time", "exec", "nohup", "command", "builtin", "env", "xargs", "watch", "noglob", "then", "do",
        "else", "elif", "if", "while", "until", "!", "{", "}",
    ]
    /// Options of those prefixes that take the next word as their value.
    static let prefixOptionsWithValue: Set<String> = ["-I", "-n", "-P", "-L", "-d", "-u", "-s", "-g", "-E"]
    /// Words that start compound commands whose words are not a program's.
    static let compoundKeywords: Set<String> = ["for", "case", "select", "function", "in", "esac", "done", "fi"]

    /// The command's words from its program on, or nil when it runs no program.
    static func command(_ words: [CommandWord], dialect: ShellDialect) -> FoundCommand? {
        var index = 0
        while index < words.count {
            let word = words[index]
            if dialect == .powershell, index + 1 < words.count, words[index + 1].literal == "=",
                word.text.hasPrefix("$")
            {
                index += 2
                continue
            }
            if case .text(let first)? = word.parts.first, isAssignment(first) {
                index += 1
                continue
            }
            guard let literal = word.literal, prefixes.contains(literal) else { break }
            index += 1
            guard ["sudo", "env", "xargs", "watch"].contains(literal) else { continue }
            while index < words.count, let option = words[index].literal,
                option.hasPrefix("-") || (literal == "env" && isAssignment(option))
            {
                index += prefixOptionsWithValue.contains(option) ? 2 : 1
            }
        }
        guard index < words.count else { return nil }
        if let name = words[index].literal, compoundKeywords.contains(name) { return nil }
        return FoundCommand(words: Array(words[index...]))
    }

    /// `NAME=` at the start of a word.
    static func isAssignment(_ text: String) -> Bool {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return false }
        let name = text[..<equals]
        return name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }
}
