import Foundation

/// The few utilities guides pipe AWS CLI output through, with GNU coreutils'
/// output and messages.
enum ShellBuiltins {
    static func echo(_ arguments: [String]) -> ShellOutcome {
        var arguments = arguments[...]
        var newline = true
        var escapes = false
        while let flag = arguments.first, flag.count > 1, flag.hasPrefix("-"),
            flag.dropFirst().allSatisfy({ "neE".contains($0) })
        {
            if flag.contains("n") { newline = false }
            if flag.contains("e") { escapes = true }
            if flag.contains("E") { escapes = false }
            arguments.removeFirst()
        }
        var text = arguments.joined(separator: " ")
        if escapes { text = unescape(text) }
        return ShellOutcome(stdout: Array((newline ? text + "\n" : text).utf8))
    }

    /// `printf FORMAT [ARG…]`: `%s`, `%d`, `%%` and backslash escapes; the format
    /// is reused while arguments remain, as coreutils does.
    static func printf(_ arguments: [String], limit: Int = .max) -> ShellOutcome {
        guard let format = arguments.first else { return .failure("printf: missing operand") }
        var rest = arguments.dropFirst()[...]
        var output = ""
        let unescaped = unescape(format)
        repeat {
            // The format is reused for every argument: `limit` bounds what that makes.
            guard output.utf8.count <= limit else { return .failure("printf: write error: File too large") }
            let before = rest.count
            defer { if rest.count == before { rest.removeAll() } }
            var characters = unescaped[...]
            while let character = characters.popFirst() {
                guard character == "%", let directive = characters.popFirst() else {
                    output.append(character)
                    continue
                }
                switch directive {
                case "%": output.append("%")
                case "s": output += rest.popFirst() ?? ""
                case "d": output += String(Int(rest.popFirst() ?? "0") ?? 0)
                default: return .failure("printf: %\(directive): invalid directive")
                }
            }
        } while !rest.isEmpty && format.contains("%")
        return ShellOutcome(stdout: Array(output.utf8))
    }

    static func cat(_ arguments: [String], input: [UInt8], read: (String) -> [UInt8]?, limit: Int = .max)
        -> ShellOutcome
    {
        let paths = arguments.filter { $0 != "-" }
        guard !paths.isEmpty else { return ShellOutcome(stdout: input) }
        var output: [UInt8] = []
        for path in paths {
            guard !path.hasPrefix("-") else { return .failure("cat: invalid option -- '\(path.dropFirst())'") }
            guard let bytes = read(path) else { return .failure("cat: \(path): No such file or directory") }
            // `cat f f f …` multiplies a file: `limit` bounds what that makes.
            guard output.count + bytes.count <= limit else { return .failure("cat: write error: File too large") }
            output += bytes
        }
        return ShellOutcome(stdout: output)
    }

    /// `base64 [-d|--decode] [-w COLS|--wrap=COLS] [FILE]`: wraps at 76 columns
    /// by default, as GNU base64 does.
    static func base64(_ arguments: [String], input: [UInt8], read: (String) -> [UInt8]?) -> ShellOutcome {
        var decode = false
        var wrap = 76
        var file: String?
        var arguments = arguments[...]
        while let argument = arguments.popFirst() {
            switch argument {
            case "-d", "--decode", "-D": decode = true
            case "-w", "--wrap":
                guard let value = arguments.popFirst(), let columns = Int(value), columns >= 0 else {
                    return .failure("base64: invalid wrap size")
                }
                wrap = columns
            default:
                if argument.hasPrefix("--wrap="), let columns = Int(argument.dropFirst(7)) {
                    wrap = columns
                } else if argument.hasPrefix("-w"), let columns = Int(argument.dropFirst(2)) {
                    wrap = columns
                } else if argument.hasPrefix("-"), argument != "-" {
                    return .failure("base64: invalid option -- '\(argument.drop { $0 == "-" })'")
                } else {
                    file = argument
                }
            }
        }
        var data = input
        if let file, file != "-" {
            guard let bytes = read(file) else { return .failure("base64: \(file): No such file or directory") }
            data = bytes
        }
        if decode {
            let text = String(decoding: data, as: UTF8.self).filter { !$0.isWhitespace }
            guard let decoded = Data(base64Encoded: text) else { return .failure("base64: invalid input") }
            return ShellOutcome(stdout: Array(decoded))
        }
        let encoded = Data(data).base64EncodedString()
        guard wrap > 0 else { return ShellOutcome(stdout: Array((encoded + "\n").utf8)) }
        var lines: [Substring] = []
        var rest = encoded[...]
        while !rest.isEmpty {
            lines.append(rest.prefix(wrap))
            rest = rest.dropFirst(wrap)
        }
        return ShellOutcome(stdout: Array(lines.map { $0 + "\n" }.joined().utf8))
    }

    /// `\n`, `\t`, `\\` and friends, as `echo -e` and `printf` read them.
    static func unescape(_ text: String) -> String {
        var output = ""
        var characters = text[...]
        while let character = characters.popFirst() {
            guard character == "\\", let next = characters.popFirst() else {
                output.append(character)
                continue
            }
            switch next {
            case "n": output.append("\n")
            case "t": output.append("\t")
            case "r": output.append("\r")
            case "\\": output.append("\\")
            case "0": output.append("\0")
            default:
                output.append("\\")
                output.append(next)
            }
        }
        return output
    }
}
