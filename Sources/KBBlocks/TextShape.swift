import KBJSON

/// Texts that start like JSON (`[` or `{`) but are something else, told apart by
/// their lines: an AWS CLI configuration or credentials file (`[profile x]`,
/// `key = value`), log lines (`[06/Feb/2019:00:00:38 +0000] …`), JSON Lines (one
/// document per line), and schema-style illustrations (`"Protocol": "http"|"https"`,
/// `<number>`, `"Data": blob`).
public enum TextShape {
    /// An INI file as the AWS CLI reads it: a `[section]` first, then `key = value`
    /// lines, further sections, comments and indented sub-settings.
    public static func isINI(_ text: String) -> Bool {
        let lines = nonEmptyLines(text)
        guard let first = lines.first, isSectionHeader(first) else { return false }
        var settings = 0
        for line in lines.dropFirst() {
            if isSectionHeader(line) || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            guard let equals = line.firstIndex(of: "=") else { return false }
            let key = line[..<equals].trimmingSpaces
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || "_.-".contains($0) }) else {
                return false
            }
            settings += 1
        }
        return settings > 0
    }

    /// `[default]`, `[profile admin]`, `[sso-session x]`: a bracketed name without
    /// the quotes, colons, commas or braces a JSON array would have.
    static func isSectionHeader(_ line: Substring) -> Bool {
        guard line.hasPrefix("["), line.hasSuffix("]"), line.count > 2 else { return false }
        return !line.dropFirst().dropLast().contains { "\"{}:,[]".contains($0) }
    }

    /// Log lines: the first line opens with a bracketed timestamp (`[06/Feb/2019:00:00:38 +0000]`,
    /// `[2024-01-02 10:00:00]`: digits with `/`, `:` or `-`), or a bracketed tag followed
    /// by a message (`[!] CocoaPods could not…`); no quotes, braces or commas in the brackets.
    public static func isLog(_ text: String) -> Bool {
        guard let first = nonEmptyLines(text).first, first.hasPrefix("["),
            let close = first.firstIndex(of: "]")
        else { return false }
        let stamp = first[first.index(after: first.startIndex)..<close]
        guard !stamp.isEmpty, !stamp.contains(where: { "\"{}[],".contains($0) }) else { return false }
        let digits = stamp.filter(\.isNumber).count
        if digits >= 4 && (stamp.contains("/") || stamp.contains(":")) && stamp.first?.isNumber == true { return true }
        // A bracketed tag and a message: `[!] CocoaPods could not…`, `[ERROR] …`.
        let rest = first[first.index(after: close)...]
        guard rest.first == " ", let word = rest.dropFirst().first else { return false }
        return !word.isNumber && !"\"{}[],:-".contains(word)
    }

    /// A shell session with the bracketed prompt Amazon Linux and other
    /// distributions print: the first line opens with `[user@host dir]` and a `$`
    /// or `#` (`[ec2-user@ip-10-0-0-1 ~]$ curl …`).
    public static func isBracketedPrompt(_ text: String) -> Bool {
        guard let first = nonEmptyLines(text).first, first.hasPrefix("["),
            let close = first.firstIndex(of: "]")
        else { return false }
        let inside = first[first.index(after: first.startIndex)..<close]
        guard let at = inside.firstIndex(of: "@"), at != inside.startIndex,
            !inside.contains(where: { "\"{},".contains($0) })
        else { return false }
        let after = first[first.index(after: close)...]
        return after.first == "$" || after.first == "#"
    }

    /// JSON Lines: two or more lines, each a complete JSON object or array.
    public static func isJSONLines(_ text: String) -> Bool {
        let lines = nonEmptyLines(text)
        guard lines.count >= 2 else { return false }
        return lines.allSatisfy { line in
            guard line.hasPrefix("{") || line.hasPrefix("[") else { return false }
            return JSONParser.parse(String(line)).isClean
        }
    }

    /// What marks a schema or pseudo-JSON illustration, outside strings:
    /// alternatives (`"http"|"https"`), angle-bracket stand-ins (`<number>`), and
    /// type names where a value belongs (`"CiphertextForRecipient": blob`).
    /// Nil when there is none.
    public static func illustrationMarker(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        var index = 0
        var previous: UInt8 = 0x20
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index = skipString(bytes, from: index)
                previous = UInt8(ascii: "\"")
                continue
            case UInt8(ascii: "|"):
                return "alternatives written with '|'"
            case UInt8(ascii: "<"):
                if let close = bytes[index...].firstIndex(of: UInt8(ascii: ">")), close - index > 1,
                    bytes[(index + 1)..<close].allSatisfy({ isWordByte($0) || $0 == 0x20 })
                {
                    return "a stand-in in angle brackets where a value belongs"
                }
            case _ where isWordByte(byte) && !isWordByte(previous) && (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A:
                var end = index
                while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
                let word = String(decoding: bytes[index..<end], as: UTF8.self).lowercased()
                if typeNames.contains(word), followsValueStart(bytes, before: index) {
                    return "the type name '\(word)' where a value belongs"
                }
                index = end
                previous = bytes[end - 1]
                continue
            default:
                break
            }
            previous = byte
            index += 1
        }
        return nil
    }

    static let typeNames: Set<String> = [
        "string", "number", "integer", "int", "long", "double", "float", "boolean", "bool", "blob", "timestamp",
        "binary", "map", "list", "structure",
    ]

    /// Whether the nearest byte before `index` (spaces skipped) is `:`, `[` or `,`:
    /// the word stands where a value would.
    static func followsValueStart(_ bytes: [UInt8], before index: Int) -> Bool {
        var position = index - 1
        while position >= 0, bytes[position] == 0x20 || bytes[position] == 0x09 { position -= 1 }
        guard position >= 0 else { return false }
        return bytes[position] == UInt8(ascii: ":") || bytes[position] == UInt8(ascii: "[")
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x2D
    }

    /// The index just past the string that starts at `start` (a line break ends an
    /// unterminated one).
    static func skipString(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            case 0x0A: return index
            default: index += 1
            }
        }
        return index
    }

    static func nonEmptyLines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).map(\.trimmingSpaces).filter {
            !$0.isEmpty
        }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
