/// The reading behind ``CommandFinder``: operators, redirections, words with
/// their quotes and expansions, here-documents, and `$(…)` read as commands of
/// their own. Works on UTF-8 bytes so every word carries exact offsets.
struct CommandScanner {
    let bytes: [UInt8]
    let dialect: ShellDialect
    let prompts: PromptMode
    var index = 0
    var depth = 0
    var scan = CommandScan()
    /// Here-documents whose bodies start on the next line: delimiter, tabs stripped.
    var pendingBodies: [(String, Bool)] = []

    init(bytes: [UInt8], dialect: ShellDialect, prompts: PromptMode) {
        self.bytes = bytes
        self.dialect = dialect
        self.prompts = prompts
    }

    // MARK: - Lists

    /// Reads commands up to `closing` (the `)` of a `$(`) or the end of the text.
    mutating func readList(closing: UInt8?) {
        var words: [CommandWord] = []
        var continuation: Int?
        var lineStart = closing == nil && prompts == .prompted
        func finish(_ scanner: inout CommandScanner) {
            guard !words.isEmpty else { return }
            if words.first?.literal == "tee" {
                scanner.scan.writtenFiles += words.dropFirst().compactMap(\.literal).filter { !$0.hasPrefix("-") }
            }
            if let command = CommandFinder.command(words, dialect: scanner.dialect) {
                scanner.scan.commands.append(command)
            }
            words = []
        }
        while index < bytes.count {
            if lineStart {
                lineStart = false
                if let length = CommandFinder.promptLength(bytes[index...], dialect: dialect) {
                    index += length
                    // A prompt alone on the text's last line.
                    guard index < bytes.count else { break }
                } else {
                    skipLine()
                    if index < bytes.count { index += 1 }
                    lineStart = true
                    continue
                }
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                index += 1
                continue
            }
            if let length = lineContinuation(at: index) {
                if index + length >= bytes.count { continuation = index }
                index += length
                continue
            }
            if let closing, byte == closing { break }
            if byte == UInt8(ascii: "\n") {
                index += 1
                finish(&self)
                readBodies()
                if continuation == nil { lineStart = closing == nil && prompts == .prompted }
                continue
            }
            if byte == UInt8(ascii: "#") {
                skipLine()
                continue
            }
            if matches("&&") || matches("||") {
                finish(&self)
                continuation = index
                index += 2
                continue
            }
            if let redirection = redirectionLength(at: index) {
                index += redirection.length
                readRedirectionTarget(redirection.kind)
                continuation = nil
                continue
            }
            if byte == UInt8(ascii: "|") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "&")
                || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")")
            {
                finish(&self)
                continuation = byte == UInt8(ascii: "|") ? index : nil
                index += 1
                continue
            }
            let before = index
            let word = readWord(closing: closing)
            guard index > before else {
                // A character no rule above reads (`<` in PowerShell): step over it.
                index += 1
                continue
            }
            words.append(word)
            continuation = nil
        }
        finish(&self)
        if closing == nil, let continuation, scan.openContinuation == nil { scan.openContinuation = continuation }
    }

    /// A backslash (backtick in PowerShell) ending the line: its length with the newline.
    func lineContinuation(at position: Int) -> Int? {
        let escape = dialect == .posix ? UInt8(ascii: "\\") : UInt8(ascii: "`")
        guard bytes[position] == escape else { return nil }
        var next = position + 1
        if next < bytes.count, bytes[next] == UInt8(ascii: "\r") { next += 1 }
        if next == bytes.count { return next - position }
        return bytes[next] == UInt8(ascii: "\n") ? next + 1 - position : nil
    }

    mutating func skipLine() {
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
    }

    // MARK: - Redirections and here-documents

    enum Redirection { case output, input, hereDocument, hereString, duplicate }

    /// `>`, `>>`, `2>`, `&>`, `<`, `<<`, `<<-`, `<<<`, `2>&1` at a word's start.
    func redirectionLength(at position: Int) -> (length: Int, kind: Redirection)? {
        var probe = position
        while probe < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[probe]) { probe += 1 }
        guard probe < bytes.count else { return nil }
        let digits = probe - position
        if bytes[probe] == UInt8(ascii: "&"), digits == 0, probe + 1 < bytes.count,
            bytes[probe + 1] == UInt8(ascii: ">")
        {
            probe += 2
            if probe < bytes.count, bytes[probe] == UInt8(ascii: ">") { probe += 1 }
            return (probe - position, .output)
        }
        if bytes[probe] == UInt8(ascii: ">") {
            probe += 1
            if probe < bytes.count, bytes[probe] == UInt8(ascii: "&") { return (probe + 1 - position, .duplicate) }
            if probe < bytes.count, bytes[probe] == UInt8(ascii: ">") || bytes[probe] == UInt8(ascii: "|") {
                probe += 1
            }
            return (probe - position, .output)
        }
        guard bytes[probe] == UInt8(ascii: "<"), dialect == .posix, placeholderLength(at: probe) == nil else {
            return nil
        }
        probe += 1
        guard probe < bytes.count, bytes[probe] == UInt8(ascii: "<") else { return (probe - position, .input) }
        probe += 1
        if probe < bytes.count, bytes[probe] == UInt8(ascii: "<") { return (probe + 1 - position, .hereString) }
        if probe < bytes.count, bytes[probe] == UInt8(ascii: "-") { probe += 1 }
        return (probe - position, .hereDocument)
    }

    mutating func readRedirectionTarget(_ kind: Redirection) {
        let stripTabs = kind == .hereDocument && index > 0 && bytes[index - 1] == UInt8(ascii: "-")
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
            index += 1
        }
        guard index < bytes.count, bytes[index] != UInt8(ascii: "\n") else { return }
        if kind == .duplicate {
            while index < bytes.count, bytes[index] != UInt8(ascii: " "), bytes[index] != UInt8(ascii: "\n") {
                index += 1
            }
            return
        }
        let target = readWord(closing: nil)
        switch kind {
        case .output:
            if let name = target.literal, name != "/dev/null" { scan.writtenFiles.append(name) }
        case .hereDocument:
            pendingBodies.append((target.substituting(""), stripTabs))
        default:
            break
        }
    }

    /// Skips the bodies of the here-documents opened on the line just ended.
    mutating func readBodies() {
        let pending = pendingBodies
        pendingBodies = []
        for (delimiter, stripTabs) in pending {
            while index < bytes.count {
                let start = index
                skipLine()
                var line = bytes[start..<index]
                if stripTabs { line = line.drop { $0 == UInt8(ascii: "\t") } }
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                if index < bytes.count { index += 1 }
                if line.elementsEqual(delimiter.utf8) { break }
            }
        }
    }

    func matches(_ text: StaticString) -> Bool {
        text.withUTF8Buffer { buffer in
            index + buffer.count <= bytes.count && (0..<buffer.count).allSatisfy { bytes[index + $0] == buffer[$0] }
        }
    }
}
