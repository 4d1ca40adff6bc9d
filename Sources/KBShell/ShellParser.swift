/// Parses a command line with POSIX shell quoting: single and double quotes,
/// backslash escapes, `$NAME`, `${NAME}`, `$(…)`, backticks, `|`, `&&`, `||`, `;`,
/// redirections and here-documents. Works on UTF-8 bytes so every error and word
/// carries an exact offset.
public struct ShellParser {
    /// Deeper `$(…)` nesting than this is refused rather than recursed into.
    public static let maxNesting = 32

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    /// Here-documents whose bodies start after the current line.
    private var pendingHereDocuments: [(delimiter: String, quoted: Bool, stripTabs: Bool)] = []
    /// Bodies read so far, in the order of their `<<` operators.
    private var hereBodies: [ShellWord] = []

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public static func parse(_ text: String) throws(ShellSyntaxError) -> ShellScript {
        var parser = ShellParser(bytes: Array(text.utf8))
        var script = try parser.parseList(closing: nil)
        if parser.index < parser.bytes.count {
            throw parser.error("unexpected '\(parser.character(parser.index))'", at: parser.index)
        }
        // Bodies follow their operators' order: give each `<<` the next one.
        var bodies = parser.hereBodies[...]
        for item in script.items.indices {
            for command in script.items[item].pipeline.commands.indices {
                for slot in script.items[item].pipeline.commands[command].redirections.indices
                where script.items[item].pipeline.commands[command].redirections[slot].kind == .hereDocument {
                    if let body = bodies.popFirst() {
                        script.items[item].pipeline.commands[command].redirections[slot].target = body
                    }
                }
            }
        }
        return script
    }

    // MARK: - Lists and pipelines

    private mutating func parseList(closing: UInt8?) throws(ShellSyntaxError) -> ShellScript {
        var items: [ShellListItem] = []
        var connector = ShellConnector.always
        var expectingMore = false
        while true {
            skipBlanks()
            if index >= bytes.count {
                if expectingMore { throw incomplete("the line ends after '|', '&&' or '||'") }
                if closing != nil { throw incomplete("'$(' is not closed") }
                break
            }
            let byte = bytes[index]
            if let closing, byte == closing {
                if expectingMore { throw error("a command is missing before ')'", at: index) }
                break
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: ";") {
                if byte == UInt8(ascii: ";") && expectingMore { throw error("unexpected ';'", at: index) }
                index += 1
                if byte == UInt8(ascii: "\n") { try readHereDocumentBodies() }
                if !expectingMore { connector = .always }
                continue
            }
            if byte == UInt8(ascii: "#") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            }
            let pipeline = try parsePipeline(closing: closing)
            items.append(ShellListItem(connector: connector, pipeline: pipeline))
            expectingMore = false
            skipBlanks()
            if matches("&&") {
                index += 2
                connector = .ifSuccess
                expectingMore = true
            } else if matches("||") {
                index += 2
                connector = .ifFailure
                expectingMore = true
            } else if index < bytes.count, bytes[index] == UInt8(ascii: "&") {
                throw error("background jobs ('&') are not supported", at: index)
            } else {
                connector = .always
            }
        }
        if closing == nil, !pendingHereDocuments.isEmpty {
            // The body lines follow the command line; without them the shell waits.
            try readHereDocumentBodies()
        }
        return ShellScript(items: items)
    }

    private mutating func parsePipeline(closing: UInt8?) throws(ShellSyntaxError) -> ShellPipeline {
        var commands = [try parseCommand(closing: closing)]
        while true {
            skipBlanks()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "|"), !matches("||") else { break }
            index += 1
            skipBlanks()
            while index < bytes.count, bytes[index] == UInt8(ascii: "\n") {
                index += 1
                try readHereDocumentBodies()
            }
            if index >= bytes.count { throw incomplete("the line ends after '|'") }
            commands.append(try parseCommand(closing: closing))
        }
        return ShellPipeline(commands: commands)
    }

    private mutating func parseCommand(closing: UInt8?) throws(ShellSyntaxError) -> ShellCommand {
        let start = index
        var command = ShellCommand(range: start..<start)
        while true {
            skipBlanks()
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "|")
                || byte == UInt8(ascii: "&") && !matches("&>")
                || byte == closing
            {
                break
            }
            if byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") {
                throw error("unexpected '\(character(index))': subshells are not supported", at: index)
            }
            if byte == UInt8(ascii: "#") && (index == start || isBlank(bytes[index - 1])) {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                break
            }
            if let redirection = try parseRedirection(closing: closing, command: &command) {
                command.redirections.append(redirection)
                continue
            }
            if command.words.isEmpty, let assignment = try parseAssignment(closing: closing) {
                command.assignments.append(assignment)
                continue
            }
            command.words.append(try parseWord(closing: closing))
        }
        if command.words.isEmpty && command.assignments.isEmpty && command.redirections.isEmpty {
            throw error(index < bytes.count ? "unexpected '\(character(index))'" : "a command is missing", at: index)
        }
        command.range = start..<index
        return command
    }

    private mutating func parseAssignment(closing: UInt8?) throws(ShellSyntaxError) -> ShellAssignment? {
        var end = index
        guard end < bytes.count, isNameStart(bytes[end]) else { return nil }
        while end < bytes.count, isNameCharacter(bytes[end]) { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "=") else { return nil }
        let name = String(decoding: bytes[index..<end], as: UTF8.self)
        index = end + 1
        let valueStart = index
        if index >= bytes.count || isBlank(bytes[index]) || isOperator(bytes[index]) || bytes[index] == closing {
            return ShellAssignment(name: name, value: ShellWord(parts: [], range: valueStart..<valueStart))
        }
        return ShellAssignment(name: name, value: try parseWord(closing: closing))
    }

    private mutating func parseRedirection(closing: UInt8?, command: inout ShellCommand) throws(ShellSyntaxError)
        -> ShellRedirection?
    {
        let start = index
        var kind: ShellRedirection.Kind
        if matches("2>&1") {
            index += 4
            return ShellRedirection(kind: .errorToOutput, target: ShellWord(parts: [], range: start..<index))
        } else if matches("&>") || matches("2>") {
            kind = matches("&>") ? .outputAndError : .errorOutput
            index += 2
        } else if matches(">>") || matches("1>>") {
            kind = .append
            index += matches("1>>") ? 3 : 2
        } else if matches(">") || matches("1>") {
            kind = .output
            index += matches("1>") ? 2 : 1
        } else if matches("<<") {
            index += 2
            let stripTabs = matches("-")
            if stripTabs { index += 1 }
            skipBlanks()
            let word = try parseWord(closing: closing)
            guard let delimiter = word.literalText, !delimiter.isEmpty else {
                throw error("a here-document needs a delimiter word", at: word.range.lowerBound)
            }
            let quoted = word.parts.contains {
                if case .literal(_, quoted: true) = $0 { return true }
                return false
            }
            pendingHereDocuments.append((delimiter, quoted, stripTabs))
            return ShellRedirection(kind: .hereDocument, target: ShellWord(parts: [], range: start..<index))
        } else if matches("<") {
            kind = .input
            index += 1
        } else {
            return nil
        }
        skipBlanks()
        guard index < bytes.count, !isOperator(bytes[index]), bytes[index] != UInt8(ascii: "\n") else {
            throw index < bytes.count
                ? error("a file name is missing after the redirection", at: index)
                : incomplete("a file name is missing after the redirection")
        }
        return ShellRedirection(kind: kind, target: try parseWord(closing: closing))
    }

    // MARK: - Here-documents

    /// Reads the bodies of the here-documents opened on the line just ended.
    private mutating func readHereDocumentBodies() throws(ShellSyntaxError) {
        let pending = pendingHereDocuments
        pendingHereDocuments = []
        for document in pending {
            var body: [String] = []
            let bodyStart = index
            var closed = false
            while index < bytes.count {
                var end = index
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                var line = String(decoding: bytes[index..<end], as: UTF8.self)
                index = min(end + 1, bytes.count)
                if document.stripTabs { line = String(line.drop { $0 == "\t" }) }
                if line == document.delimiter {
                    closed = true
                    break
                }
                body.append(line)
            }
            guard closed else {
                var error = incomplete("the here-document is not closed by '\(document.delimiter)'")
                error.awaitedDelimiter = document.delimiter
                throw error
            }
            let text = body.map { $0 + "\n" }.joined()
            let word: ShellWord
            if document.quoted {
                word = ShellWord(parts: [.literal(text, quoted: true)], range: bodyStart..<index)
            } else {
                var inner = ShellParser(bytes: Array(text.utf8))
                inner.depth = depth + 1
                do {
                    word = ShellWord(parts: try inner.parseDoubleQuotedBody(), range: bodyStart..<index)
                } catch {
                    // Offsets in the body are offsets after its start in the line.
                    throw ShellSyntaxError(
                        message: error.message, offset: bodyStart + error.offset, isIncomplete: false)
                }
            }
            hereBodies.append(word)
        }
    }

    // MARK: - Words

    private mutating func parseWord(closing: UInt8?) throws(ShellSyntaxError) -> ShellWord {
        let start = index
        var parts: [ShellWordPart] = []
        var literal: [UInt8] = []
        func flush() {
            if !literal.isEmpty { parts.append(.literal(String(decoding: literal, as: UTF8.self), quoted: false)) }
            literal = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            if isBlank(byte) || byte == UInt8(ascii: "\n") || isOperator(byte) || byte == closing { break }
            switch byte {
            case UInt8(ascii: "'"):
                flush()
                let open = index
                index += 1
                let bodyStart = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "'") { index += 1 }
                guard index < bytes.count else {
                    throw incomplete("the single quote at offset \(open) is not closed", insideQuotes: true)
                }
                parts.append(.literal(String(decoding: bytes[bodyStart..<index], as: UTF8.self), quoted: true))
                index += 1
            case UInt8(ascii: "\""):
                flush()
                index += 1
                parts += try parseDoubleQuoted()
            case UInt8(ascii: "\\"):
                index += 1
                if index >= bytes.count { throw incomplete("the line ends with '\\'") }
                if bytes[index] == UInt8(ascii: "\n") {
                    index += 1
                } else {
                    flush()
                    let end = scalarEnd(index)
                    parts.append(.literal(String(decoding: bytes[index..<end], as: UTF8.self), quoted: true))
                    index = end
                }
            case UInt8(ascii: "$"):
                if let part = try parseDollar(quoted: false) {
                    flush()
                    parts.append(part)
                } else {
                    literal.append(byte)
                    index += 1
                }
            case UInt8(ascii: "`"):
                flush()
                parts.append(try parseBackticks(quoted: false))
            default:
                literal.append(byte)
                index += 1
            }
        }
        flush()
        return ShellWord(parts: parts, range: start..<index)
    }

    /// After an opening `"`: up to and including the closing one.
    private mutating func parseDoubleQuoted() throws(ShellSyntaxError) -> [ShellWordPart] {
        let open = index - 1
        var parts: [ShellWordPart] = []
        var literal: [UInt8] = []
        func flush() {
            parts.append(.literal(String(decoding: literal, as: UTF8.self), quoted: true))
            literal = []
        }
        while true {
            guard index < bytes.count else {
                throw incomplete("the double quote at offset \(open) is not closed", insideQuotes: true)
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                break
            }
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                let next = bytes[index + 1]
                if next == UInt8(ascii: "\n") {
                    index += 2
                    continue
                }
                if [UInt8(ascii: "$"), UInt8(ascii: "`"), UInt8(ascii: "\""), UInt8(ascii: "\\")].contains(next) {
                    literal.append(next)
                    index += 2
                    continue
                }
            }
            if byte == UInt8(ascii: "$"), let part = try parseDollar(quoted: true) {
                if !literal.isEmpty { flush() }
                parts.append(part)
                continue
            }
            if byte == UInt8(ascii: "`") {
                if !literal.isEmpty { flush() }
                parts.append(try parseBackticks(quoted: true))
                continue
            }
            literal.append(byte)
            index += 1
        }
        // `""` is an empty argument, not nothing.
        if !literal.isEmpty || parts.isEmpty { flush() }
        return parts
    }

    /// A here-document body: expansions as in double quotes, but `"` is literal.
    private mutating func parseDoubleQuotedBody() throws(ShellSyntaxError) -> [ShellWordPart] {
        var parts: [ShellWordPart] = []
        var literal: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "`") {
                parts.append(.literal(String(decoding: literal, as: UTF8.self), quoted: true))
                literal = []
                parts.append(try parseBackticks(quoted: true))
                continue
            }
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count,
                [UInt8(ascii: "$"), UInt8(ascii: "`"), UInt8(ascii: "\\")].contains(bytes[index + 1])
            {
                literal.append(bytes[index + 1])
                index += 2
                continue
            }
            if byte == UInt8(ascii: "$"), let part = try parseDollar(quoted: true) {
                parts.append(.literal(String(decoding: literal, as: UTF8.self), quoted: true))
                literal = []
                parts.append(part)
                continue
            }
            literal.append(byte)
            index += 1
        }
        parts.append(.literal(String(decoding: literal, as: UTF8.self), quoted: true))
        return parts
    }

    /// `$NAME`, `${NAME}` or `$(…)`; nil when the `$` is literal.
    private mutating func parseDollar(quoted: Bool) throws(ShellSyntaxError) -> ShellWordPart? {
        let dollar = index
        guard index + 1 < bytes.count else { return nil }
        let next = bytes[index + 1]
        if next == UInt8(ascii: "(") {
            if index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: "(") {
                throw error("arithmetic expansion '$((…))' is not supported", at: dollar)
            }
            index += 2
            let script = try nested { parser throws(ShellSyntaxError) in
                try parser.parseList(closing: UInt8(ascii: ")"))
            }
            guard index < bytes.count, bytes[index] == UInt8(ascii: ")") else { throw incomplete("'$(' is not closed") }
            index += 1
            return .command(script, quoted: quoted)
        }
        if next == UInt8(ascii: "{") {
            var end = index + 2
            while end < bytes.count, bytes[end] != UInt8(ascii: "}") { end += 1 }
            guard end < bytes.count else { throw incomplete("'${' is not closed") }
            let name = String(decoding: bytes[(index + 2)..<end], as: UTF8.self)
            guard let first = name.utf8.first, isNameStart(first), name.utf8.allSatisfy(isNameCharacter) else {
                throw error("'${\(name)}' is not a plain variable; only ${NAME} is supported", at: dollar)
            }
            index = end + 1
            return .variable(name, quoted: quoted)
        }
        if isNameStart(next) {
            var end = index + 1
            while end < bytes.count, isNameCharacter(bytes[end]) { end += 1 }
            let name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
            index = end
            return .variable(name, quoted: quoted)
        }
        if next == UInt8(ascii: "?") || next == UInt8(ascii: "$")
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next)
        {
            throw error("special parameter '$\(character(index + 1))' is not supported", at: dollar)
        }
        return nil
    }

    private mutating func parseBackticks(quoted: Bool) throws(ShellSyntaxError) -> ShellWordPart {
        let open = index
        index += 1
        var end = index
        while end < bytes.count, bytes[end] != UInt8(ascii: "`") { end += 1 }
        guard end < bytes.count else { throw incomplete("the backquote at offset \(open) is not closed") }
        var inner = ShellParser(bytes: Array(bytes[index..<end]))
        inner.depth = depth + 1
        guard inner.depth <= Self.maxNesting else { throw error("command substitutions nest too deeply", at: open) }
        let script: ShellScript
        do {
            script = try inner.parseList(closing: nil)
        } catch {
            throw ShellSyntaxError(message: error.message, offset: index + error.offset, isIncomplete: false)
        }
        index = end + 1
        return .command(script, quoted: quoted)
    }

    private mutating func nested<T>(_ body: (inout ShellParser) throws(ShellSyntaxError) -> T) throws(ShellSyntaxError)
        -> T
    {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxNesting else { throw error("command substitutions nest too deeply", at: index) }
        return try body(&self)
    }

    // MARK: - Bytes

    private func matches(_ text: StaticString) -> Bool {
        text.withUTF8Buffer { buffer in
            index + buffer.count <= bytes.count && (0..<buffer.count).allSatisfy { bytes[index + $0] == buffer[$0] }
        }
    }

    private mutating func skipBlanks() {
        while index < bytes.count {
            if isBlank(bytes[index]) {
                index += 1
            } else if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count,
                bytes[index + 1] == UInt8(ascii: "\n")
            {
                index += 2
            } else {
                break
            }
        }
    }

    private func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    private func isOperator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ";") || byte == UInt8(ascii: "|") || byte == UInt8(ascii: "&")
            || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "(")
            || byte == UInt8(ascii: ")")
    }

    private func isNameStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || byte == UInt8(ascii: "_")
    }

    private func isNameCharacter(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// One past the last byte of the scalar starting at `start`.
    private func scalarEnd(_ start: Int) -> Int {
        var end = start + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return end
    }

    private func character(_ at: Int) -> String {
        String(decoding: bytes[at..<scalarEnd(at)], as: UTF8.self)
    }

    private func error(_ message: String, at offset: Int) -> ShellSyntaxError {
        ShellSyntaxError(message: message, offset: offset, isIncomplete: false)
    }

    private func incomplete(_ message: String, insideQuotes: Bool = false) -> ShellSyntaxError {
        ShellSyntaxError(message: message, offset: bytes.count, isIncomplete: true, isInsideQuotes: insideQuotes)
    }
}
