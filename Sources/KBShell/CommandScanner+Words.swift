/// Words: quotes removed, expansions kept as written, an unclosed quote or
/// `$(` running to the end of the text.
extension CommandScanner {
    mutating func readWord(closing: UInt8?) -> CommandWord {
        let start = index
        var parts: [CommandWordPart] = []
        var buffer: [UInt8] = []
        var unclosed: Int?
        var splits = false
        func flush() {
            if !buffer.isEmpty { parts.append(.text(String(decoding: buffer, as: UTF8.self))) }
            buffer = []
        }
        wordLoop: while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "<") where placeholderLength(at: index) != nil:
                // `<bucket name>`: a guide's stand-in, read as one value, not a redirection.
                let length = placeholderLength(at: index) ?? 1
                buffer += bytes[index..<(index + length)]
                index += length
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ";"),
                UInt8(ascii: "|"), UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("),
                UInt8(ascii: ")"):
                break wordLoop
            case UInt8(ascii: "'"):
                let open = index
                index += 1
                while index < bytes.count {
                    if bytes[index] == UInt8(ascii: "'") {
                        // PowerShell writes a quote inside single quotes as `''`.
                        guard dialect == .powershell, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "'")
                        else { break }
                        index += 1
                    }
                    buffer.append(bytes[index])
                    index += 1
                }
                if index < bytes.count { index += 1 } else { unclosed = unclosed ?? open }
            case UInt8(ascii: "\""):
                let open = index
                index += 1
                if !readDoubleQuoted(into: &buffer, parts: &parts) { unclosed = unclosed ?? open }
            case UInt8(ascii: "\\") where dialect == .posix, UInt8(ascii: "`") where dialect == .powershell:
                if lineContinuation(at: index) != nil { break wordLoop }
                index += 1
                if index < bytes.count { appendScalar(at: &index, to: &buffer) }
            case UInt8(ascii: "`"):
                flush()
                splits = true
                if let part = readBackquoted() { parts.append(part) } else { unclosed = unclosed ?? start }
            case UInt8(ascii: "$"):
                let open = index
                if let part = readDollar() {
                    flush()
                    splits = true
                    parts.append(part.part)
                    if !part.closed { unclosed = unclosed ?? open }
                } else {
                    buffer.append(byte)
                    index += 1
                }
            default:
                if let closing, byte == closing { break wordLoop }
                buffer.append(byte)
                index += 1
            }
        }
        flush()
        return CommandWord(parts: parts, range: start..<index, unclosed: unclosed, splits: splits)
    }

    /// The length of a `<placeholder>` at `position`: `<` then a letter, up to
    /// the next `>` on the line, with no quote, `<`, `|`, `;`, `&` or `$(` in
    /// between. Guides write stand-ins so (`<bucket name>`, `--key <key-id>`);
    /// a shell would read redirections, but no reader means one.
    func placeholderLength(at position: Int) -> Int? {
        let first = position + 1
        guard bytes[position] == UInt8(ascii: "<"), first < bytes.count, isNameByte(bytes[first]) else { return nil }
        var probe = first
        while probe < bytes.count, probe - position < 120 {
            switch bytes[probe] {
            case UInt8(ascii: ">"):
                return probe + 1 - position
            case UInt8(ascii: "\n"), UInt8(ascii: "<"), UInt8(ascii: "|"), UInt8(ascii: ";"), UInt8(ascii: "&"),
                UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "$"), UInt8(ascii: "`"):
                return nil
            default:
                probe += 1
            }
        }
        return nil
    }

    /// After an opening `"`: up to and past the closing one. False when the text ends first.
    mutating func readDoubleQuoted(into buffer: inout [UInt8], parts: inout [CommandWordPart]) -> Bool {
        let escape = dialect == .posix ? UInt8(ascii: "\\") : UInt8(ascii: "`")
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                // PowerShell also writes a quote inside double quotes as `""`.
                if dialect == .powershell, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                    buffer.append(byte)
                    index += 2
                    continue
                }
                index += 1
                if buffer.isEmpty && parts.isEmpty { parts.append(.text("")) }
                return true
            }
            if byte == escape, index + 1 < bytes.count {
                let next = bytes[index + 1]
                let escapable: [UInt8] = [
                    UInt8(ascii: "$"), UInt8(ascii: "`"), UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "\n"),
                ]
                if dialect == .powershell || escapable.contains(next) {
                    index += 1
                    if next == UInt8(ascii: "\n") {
                        index += 1
                    } else {
                        appendScalar(at: &index, to: &buffer)
                    }
                    continue
                }
            }
            if byte == UInt8(ascii: "$"), let part = readDollar() {
                if !buffer.isEmpty { parts.append(.text(String(decoding: buffer, as: UTF8.self))) }
                buffer = []
                parts.append(part.part)
                if !part.closed { return false }
                continue
            }
            if byte == UInt8(ascii: "`"), dialect == .posix {
                if !buffer.isEmpty { parts.append(.text(String(decoding: buffer, as: UTF8.self))) }
                buffer = []
                guard let part = readBackquoted() else { return false }
                parts.append(part)
                continue
            }
            buffer.append(byte)
            index += 1
        }
        return false
    }

    /// `$NAME`, `${…}`, `$(…)` (its commands read too), `$((…))`, `$1`, `$?`;
    /// PowerShell's `$env:NAME`. Nil when the `$` is literal.
    mutating func readDollar() -> (part: CommandWordPart, closed: Bool)? {
        let start = index
        guard index + 1 < bytes.count else { return nil }
        let next = bytes[index + 1]
        func expansion(_ scanner: CommandScanner, closed: Bool) -> (CommandWordPart, Bool) {
            (.expansion(String(decoding: scanner.bytes[start..<scanner.index], as: UTF8.self)), closed)
        }
        if next == UInt8(ascii: "(") {
            index += 2
            let arithmetic = index < bytes.count && bytes[index] == UInt8(ascii: "(")
            if arithmetic || depth >= CommandFinder.maxNesting {
                let closed = skipBalanced()
                return expansion(self, closed: closed)
            }
            depth += 1
            readList(closing: UInt8(ascii: ")"))
            depth -= 1
            guard index < bytes.count else { return expansion(self, closed: false) }
            index += 1
            return expansion(self, closed: true)
        }
        if next == UInt8(ascii: "{") {
            var end = index + 2
            while end < bytes.count, bytes[end] != UInt8(ascii: "}") { end += 1 }
            index = min(end + 1, bytes.count)
            return expansion(self, closed: end < bytes.count)
        }
        var end = index + 1
        if isNameByte(next) {
            while end < bytes.count,
                isNameByte(bytes[end]) || (dialect == .powershell && bytes[end] == UInt8(ascii: ":"))
            {
                end += 1
            }
        } else if "?$@#*!-0123456789".utf8.contains(next) {
            end += 1
        } else {
            return nil
        }
        index = end
        return expansion(self, closed: true)
    }

    /// Skips to the `)` that balances the `(` already read; false at the text's end.
    mutating func skipBalanced() -> Bool {
        var open = 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "(") { open += 1 }
            if bytes[index] == UInt8(ascii: ")") {
                open -= 1
                if open == 0 {
                    index += 1
                    if index < bytes.count, bytes[index] == UInt8(ascii: ")") { index += 1 }
                    return true
                }
            }
            index += 1
        }
        return false
    }

    /// `` `…` `` in a POSIX shell: its commands are read too. Nil when never closed.
    mutating func readBackquoted() -> CommandWordPart? {
        let start = index
        var end = index + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "`") {
            if bytes[end] == UInt8(ascii: "\\") { end += 1 }
            end += 1
        }
        guard end < bytes.count else {
            index = bytes.count
            return nil
        }
        if depth < CommandFinder.maxNesting {
            var inner = CommandScanner(bytes: Array(bytes[(start + 1)..<end]), dialect: dialect, prompts: .none)
            inner.depth = depth + 1
            inner.readList(closing: nil)
            scan.commands += inner.scan.commands.map { command in
                FoundCommand(
                    words: command.words.map { word in
                        var shifted = word
                        shifted.range = (word.range.lowerBound + start + 1)..<(word.range.upperBound + start + 1)
                        shifted.unclosed = word.unclosed.map { $0 + start + 1 }
                        return shifted
                    })
            }
            scan.writtenFiles += inner.scan.writtenFiles
        }
        index = end + 1
        return .expansion(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
    }

    /// Appends the whole UTF-8 scalar at `position` and moves past it.
    func appendScalar(at position: inout Int, to buffer: inout [UInt8]) {
        buffer.append(bytes[position])
        position += 1
        while position < bytes.count, bytes[position] & 0xC0 == 0x80 {
            buffer.append(bytes[position])
            position += 1
        }
    }
}
