/// A strict RFC 8259 parser that keeps every value's byte range, keeps object keys
/// in source order and reports duplicate keys.
///
/// Where the fix for a mistake is unambiguous (a missing or trailing comma,
/// single quotes, a comment, an unquoted key, a missing colon, a stray no-break
/// space, Python's `True`), it records an issue with that fix and carries on as if
/// the fix had been made, so later checks still see the document. Anything else
/// stops parsing at the first error. Depth and size limits turn hostile input into
/// an issue, never a stack overflow.
public enum JSONParser {
    /// Which relaxations of RFC 8259 a block's dialect accepts without complaint.
    public struct Options: Hashable, Sendable {
        public var allowComments = false
        public var allowTrailingCommas = false
        public var allowSingleQuotes = false
        public var allowUnquotedKeys = false
        /// Objects and arrays nested deeper than this are refused.
        public var maxDepth = 128
        /// Texts larger than this many bytes are refused.
        public var maxBytes = 4 * 1024 * 1024

        public init() {}

        /// RFC 8259, nothing more.
        public static let strict = Options()
        /// JSON with comments and trailing commas, as VS Code's `jsonc`.
        public static let jsonc: Options = {
            var options = Options()
            options.allowComments = true
            options.allowTrailingCommas = true
            return options
        }()
        /// The parts of JSON5 that guides use: comments, trailing commas, single
        /// quotes and identifier keys.
        public static let json5: Options = {
            var options = Options.jsonc
            options.allowSingleQuotes = true
            options.allowUnquotedKeys = true
            return options
        }()
    }

    public static func parse(_ text: String, options: Options = .strict) -> JSONParseResult {
        var parser = Parser(bytes: Array(text.utf8), options: options)
        let value = parser.parseDocument()
        return JSONParseResult(value: value, issues: parser.issues)
    }
}

/// Thrown to unwind after an unrecoverable issue has been recorded.
private struct Stop: Error {}

private struct Parser {
    let bytes: [UInt8]
    let options: JSONParser.Options
    var pos = 0
    var depth = 0
    var issues: [JSONIssue] = []

    init(bytes: [UInt8], options: JSONParser.Options) {
        self.bytes = bytes
        self.options = options
    }

    var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    mutating func parseDocument() -> JSONValue? {
        guard bytes.count <= options.maxBytes else {
            issues.append(
                JSONIssue(
                    kind: .limit,
                    message: "JSON text of \(bytes.count) bytes is larger than the \(options.maxBytes)-byte limit",
                    range: 0..<0, related: [], fix: nil, assumption: nil, recovered: false))
            return nil
        }
        do {
            try skipTrivia()
            guard peek != nil else {
                try fail("expected a JSON value, found an empty block", at: pos..<pos)
            }
            let value = try parseValue()
            try skipTrivia()
            if pos < bytes.count {
                var end = pos
                while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
                try fail(
                    "unexpected \(describe(at: pos)) after the end of the JSON value", at: pos..<end,
                    related: [.init(range: value.range, message: "the JSON value ends here")])
            }
            return value
        } catch {
            return nil
        }
    }

    // MARK: - Values

    mutating func parseValue() throws -> JSONValue {
        guard let byte = peek else {
            try fail("expected a JSON value, found end of input", at: pos..<pos)
        }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let (string, range) = try parseString()
            return JSONValue(.string(string), range: range)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "+"), UInt8(ascii: "."):
            try fail("a JSON number must start with a digit or '-'", at: pos..<pos + 1)
        default:
            if isIdentifierStart(byte) { return try parseLiteral() }
            try fail("expected a JSON value, found \(describe(at: pos))", at: pos..<pos + scalarLength(at: pos))
        }
    }

    mutating func parseLiteral() throws -> JSONValue {
        let start = pos
        while pos < bytes.count, isIdentifierPart(bytes[pos]) { pos += 1 }
        let word = String(decoding: bytes[start..<pos], as: UTF8.self)
        let range = start..<pos
        switch word {
        case "true": return JSONValue(.bool(true), range: range)
        case "false": return JSONValue(.bool(false), range: range)
        case "null": return JSONValue(.null, range: range)
        default: break
        }
        let corrections: [String: (String, JSONValue.Kind)] = [
            "True": ("true", .bool(true)), "TRUE": ("true", .bool(true)),
            "False": ("false", .bool(false)), "FALSE": ("false", .bool(false)),
            "None": ("null", .null), "NULL": ("null", .null), "Null": ("null", .null),
        ]
        if let (spelling, kind) = corrections[word] {
            record(
                "'\(word)' is not a JSON literal; JSON spells it '\(spelling)'", at: range,
                fix: .init(range: range, replacement: spelling, message: "write '\(spelling)'"),
                assumption: "read it as '\(spelling)'")
            return JSONValue(kind, range: range)
        }
        if ["NaN", "Infinity", "undefined"].contains(word) {
            try fail("'\(word)' is not a JSON value", at: range)
        }
        try fail("unexpected word '\(word)'; JSON strings must be in double quotes", at: range)
    }

    mutating func parseArray() throws -> JSONValue {
        let start = pos
        try enterNesting()
        defer { depth -= 1 }
        pos += 1
        var elements: [JSONValue] = []
        try skipTrivia()
        if peek == UInt8(ascii: "]") {
            pos += 1
            return JSONValue(.array([]), range: start..<pos)
        }
        var missingCommaAfter: JSONValue?
        while true {
            let element = try parseValue()
            if let previous = missingCommaAfter {
                record(
                    "expected ',' between array elements", at: headRange(of: element),
                    related: [.init(range: previous.range, message: "previous element ends here")],
                    fix: .init(
                        range: previous.range.upperBound..<previous.range.upperBound, replacement: ",",
                        message: "insert ','"),
                    assumption: "assumed a ',' after the previous element")
                missingCommaAfter = nil
            }
            elements.append(element)
            switch try separator(closing: "]", container: "array", openedAt: start, startsNext: Bytes.startsValue) {
            case .next: break
            case .missingComma: missingCommaAfter = element
            case .closed: return JSONValue(.array(elements), range: start..<pos)
            }
        }
    }

    mutating func parseObject() throws -> JSONValue {
        let start = pos
        try enterNesting()
        defer { depth -= 1 }
        pos += 1
        var members: [JSONMember] = []
        var firstKey: [String: Range<Int>] = [:]
        try skipTrivia()
        if peek == UInt8(ascii: "}") {
            pos += 1
            return JSONValue(.object([]), range: start..<pos)
        }
        var missingCommaAfter: JSONMember?
        while true {
            let (key, keyRange) = try parseKey(objectStart: start)
            if let previous = missingCommaAfter {
                let end = previous.value.range.upperBound
                record(
                    "expected ',' between object members", at: keyRange,
                    related: [.init(range: previous.keyRange.lowerBound..<end, message: "previous member ends here")],
                    fix: .init(range: end..<end, replacement: ",", message: "insert ','"),
                    assumption: "assumed a ',' after the previous member")
                missingCommaAfter = nil
            }
            try skipTrivia()
            if peek == UInt8(ascii: ":") {
                pos += 1
            } else if let byte = peek, startsValue(byte) {
                record(
                    "expected ':' after the key \"\(key)\"", at: pos..<pos + scalarLength(at: pos),
                    fix: .init(
                        range: keyRange.upperBound..<keyRange.upperBound, replacement: ":", message: "insert ':'"),
                    assumption: "assumed a ':' after the key")
            } else {
                try fail(
                    "expected ':' after the key \"\(key)\", found \(describe(at: pos))",
                    at: pos..<pos + scalarLength(at: pos))
            }
            try skipTrivia()
            let value = try parseValue()
            let member = JSONMember(key: key, keyRange: keyRange, value: value)
            // Policies' objects have a few keys: a scan beats hashing until there are many.
            let earlier: Range<Int>?
            if members.count < 8 {
                earlier = members.first { $0.key == key }?.keyRange
            } else {
                if firstKey.isEmpty {
                    for member in members where firstKey[member.key] == nil { firstKey[member.key] = member.keyRange }
                }
                earlier = firstKey[key]
            }
            if let first = earlier {
                issues.append(
                    JSONIssue(
                        kind: .duplicateKey,
                        message: "duplicate key \"\(key)\": only the last one takes effect",
                        range: keyRange, related: [.init(range: first, message: "\"\(key)\" first appears here")],
                        fix: nil, assumption: nil, recovered: true))
            } else if !firstKey.isEmpty {
                firstKey[key] = keyRange
            }
            members.append(member)
            switch try separator(closing: "}", container: "object", openedAt: start, startsNext: Bytes.startsKey) {
            case .next: break
            case .missingComma: missingCommaAfter = member
            case .closed: return JSONValue(.object(members), range: start..<pos)
            }
        }
    }

    /// What follows an element of an array or a member of an object.
    enum Separator {
        /// A ',' and another element.
        case next
        /// The next element starts right away: a ',' is missing.
        case missingComma
        /// The closing bracket, consumed (after a trailing ',' when there was one).
        case closed
    }

    mutating func separator(
        closing: Unicode.Scalar, container: String, openedAt start: Int, startsNext: (UInt8) -> Bool
    ) throws -> Separator {
        let close = UInt8(ascii: closing)
        // Built only on the failure paths: this runs after every member and element.
        var opened: [JSONIssue.Related] { [.init(range: start..<start + 1, message: "the \(container) opens here")] }
        try skipTrivia()
        switch peek {
        case UInt8(ascii: ","):
            let comma = pos
            pos += 1
            try skipTrivia()
            guard peek == close else { return .next }
            trailingComma(at: comma)
            pos += 1
            return .closed
        case close:
            pos += 1
            return .closed
        case let byte? where startsNext(byte):
            return .missingComma
        case nil:
            try fail(
                "unterminated \(container): expected '\(closing)' before the end of input", at: pos..<pos,
                related: opened)
        default:
            let what = container == "array" ? "an array element" : "an object member"
            try fail(
                "expected ',' or '\(closing)' after \(what), found \(describe(at: pos))",
                at: pos..<pos + scalarLength(at: pos), related: opened)
        }
    }

    mutating func parseKey(objectStart: Int) throws -> (String, Range<Int>) {
        guard let byte = peek else {
            try fail(
                "unterminated object: expected '}' before the end of input", at: pos..<pos,
                related: [.init(range: objectStart..<objectStart + 1, message: "the object opens here")])
        }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") { return try parseString() }
        if isIdentifierStart(byte) {
            let start = pos
            while pos < bytes.count, isIdentifierPart(bytes[pos]) { pos += 1 }
            let key = String(decoding: bytes[start..<pos], as: UTF8.self)
            if !options.allowUnquotedKeys {
                record(
                    "object keys must be strings in double quotes", at: start..<pos,
                    fix: .init(range: start..<pos, replacement: "\"\(key)\"", message: "quote the key"),
                    assumption: "read the key as \"\(key)\"")
            }
            return (key, start..<pos)
        }
        try fail(
            "expected a string key in double quotes, found \(describe(at: pos))", at: pos..<pos + scalarLength(at: pos))
    }

    // MARK: - Strings

    mutating func parseString() throws -> (String, Range<Int>) {
        let start = pos
        let quote = bytes[pos]
        pos += 1
        // Scalars are assembled only once an escape appears; most strings have none
        // and are decoded from their bytes in one go.
        var scalars = String.UnicodeScalarView()
        var escaped = false
        var segmentStart = pos
        var end = pos
        var tabs: [Int] = []
        func flush(_ parser: Parser, upTo end: Int) {
            scalars.append(contentsOf: String(decoding: parser.bytes[segmentStart..<end], as: UTF8.self).unicodeScalars)
        }
        while true {
            guard pos < bytes.count else {
                try fail(
                    "unterminated string: expected a closing quote before the end of input", at: start..<start + 1)
            }
            let byte = bytes[pos]
            if byte == quote {
                end = pos
                pos += 1
                break
            }
            if byte == 0x0A || byte == 0x0D {
                try fail("unterminated string: a line break cannot appear inside a string", at: start..<pos)
            }
            if byte == 0x09 {
                tabs.append(pos)
                pos += 1
                continue
            }
            if byte < 0x20 {
                try fail(
                    "control character U+\(hex(UInt32(byte))) must be escaped inside a string", at: pos..<pos + 1)
            }
            if byte == UInt8(ascii: "\\") {
                flush(self, upTo: pos)
                escaped = true
                try parseEscape(into: &scalars, quote: quote)
                segmentStart = pos
                continue
            }
            pos += 1
        }
        let text: String
        if escaped {
            flush(self, upTo: end)
            text = String(scalars)
        } else {
            text = String(decoding: bytes[segmentStart..<end], as: UTF8.self)
        }
        let range = start..<pos
        for tab in tabs {
            record(
                "a tab must be escaped as \\t inside a string", at: tab..<tab + 1,
                fix: .init(range: tab..<tab + 1, replacement: "\\t", message: "write '\\t'"),
                assumption: "read it as a tab")
        }
        if quote == UInt8(ascii: "'") && !options.allowSingleQuotes {
            let replacement = "\"" + Self.escape(text) + "\""
            record(
                "JSON strings must be in double quotes", at: range,
                fix: .init(range: range, replacement: replacement, message: "use double quotes"),
                assumption: "read it as the string \(replacement)")
        }
        return (text, range)
    }

    mutating func parseEscape(into scalars: inout String.UnicodeScalarView, quote: UInt8) throws {
        let start = pos
        pos += 1
        guard let byte = peek else {
            try fail("unterminated string: expected a closing quote before the end of input", at: start..<pos)
        }
        pos += 1
        switch byte {
        case UInt8(ascii: "\""): scalars.append("\"")
        case UInt8(ascii: "\\"): scalars.append("\\")
        case UInt8(ascii: "/"): scalars.append("/")
        case UInt8(ascii: "b"): scalars.append("\u{08}")
        case UInt8(ascii: "f"): scalars.append("\u{0C}")
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "'") where quote == UInt8(ascii: "'"): scalars.append("'")
        case UInt8(ascii: "u"):
            let high = try parseHex4(escapeStart: start)
            if (0xD800...0xDBFF).contains(high) {
                if pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
                    let lowStart = pos
                    pos += 2
                    let low = try parseHex4(escapeStart: lowStart)
                    if (0xDC00...0xDFFF).contains(low) {
                        let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                        scalars.append(Unicode.Scalar(value)!)
                        return
                    }
                    pos = lowStart
                }
                loneSurrogate(start..<start + 6)
                scalars.append("\u{FFFD}")
            } else if (0xDC00...0xDFFF).contains(high) {
                loneSurrogate(start..<pos)
                scalars.append("\u{FFFD}")
            } else {
                scalars.append(Unicode.Scalar(high)!)
            }
        default:
            pos = start + 1
            try fail(
                "invalid escape sequence '\\\(describeRaw(at: pos))' in a string; JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                at: start..<start + 1 + scalarLength(at: start + 1))
        }
    }

    mutating func parseHex4(escapeStart: Int) throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek, let digit = hexValue(byte) else {
                try fail("'\\u' must be followed by four hexadecimal digits", at: escapeStart..<pos)
            }
            value = value * 16 + digit
            pos += 1
        }
        return value
    }

    mutating func loneSurrogate(_ range: Range<Int>) {
        issues.append(
            JSONIssue(
                kind: .questionable,
                message: "unpaired UTF-16 surrogate in a \\u escape; it is read as U+FFFD",
                range: range, related: [], fix: nil, assumption: nil, recovered: true))
    }

    static func escape(_ string: String) -> String {
        var out = ""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: - Numbers

    mutating func parseNumber() throws -> JSONValue {
        let start = pos
        if peek == UInt8(ascii: "-") { pos += 1 }
        guard let first = peek, isDigit(first) else {
            try fail("expected a digit after '-'", at: start..<pos + (peek == nil ? 0 : scalarLength(at: pos)))
        }
        if first == UInt8(ascii: "0") {
            pos += 1
            if let next = peek, isDigit(next) {
                try fail("a JSON number cannot have leading zeros", at: start..<digitsEnd(from: pos))
            }
        } else {
            pos = digitsEnd(from: pos)
        }
        if peek == UInt8(ascii: ".") {
            pos += 1
            guard let next = peek, isDigit(next) else {
                try fail("expected a digit after the decimal point", at: start..<pos)
            }
            pos = digitsEnd(from: pos)
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            pos += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { pos += 1 }
            guard let next = peek, isDigit(next) else {
                try fail("expected a digit in the exponent", at: start..<pos)
            }
            pos = digitsEnd(from: pos)
        }
        let literal = String(decoding: bytes[start..<pos], as: UTF8.self)
        return JSONValue(.number(JSONNumber(literal: literal)), range: start..<pos)
    }

    func digitsEnd(from index: Int) -> Int {
        var end = index
        while end < bytes.count, isDigit(bytes[end]) { end += 1 }
        return end
    }

    // MARK: - Trivia

    /// Skips whitespace; comments and no-break spaces are skipped too, with an issue
    /// unless the dialect allows them.
    mutating func skipTrivia() throws {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0A, 0x0D:
                pos += 1
            case UInt8(ascii: "/") where pos + 1 < bytes.count && bytes[pos + 1] == UInt8(ascii: "/"):
                let start = pos
                while pos < bytes.count, bytes[pos] != 0x0A, bytes[pos] != 0x0D { pos += 1 }
                comment(start..<pos)
            case UInt8(ascii: "/") where pos + 1 < bytes.count && bytes[pos + 1] == UInt8(ascii: "*"):
                let start = pos
                pos += 2
                while pos + 1 < bytes.count, !(bytes[pos] == UInt8(ascii: "*") && bytes[pos + 1] == UInt8(ascii: "/")) {
                    pos += 1
                }
                guard pos + 1 < bytes.count else {
                    try fail("unterminated comment: expected '*/'", at: start..<start + 2)
                }
                pos += 2
                comment(start..<pos)
            case 0xC2 where pos + 1 < bytes.count && bytes[pos + 1] == 0xA0:
                record(
                    "a no-break space (U+00A0) is not JSON whitespace", at: pos..<pos + 2,
                    fix: .init(range: pos..<pos + 2, replacement: " ", message: "replace it with a space"),
                    assumption: "read it as a space")
                pos += 2
            case 0xEF where pos + 2 < bytes.count && bytes[pos + 1] == 0xBB && bytes[pos + 2] == 0xBF:
                record(
                    "a byte order mark (U+FEFF) is not JSON whitespace", at: pos..<pos + 3,
                    fix: .init(range: pos..<pos + 3, replacement: "", message: "remove it"),
                    assumption: "ignored it")
                pos += 3
            default:
                return
            }
        }
    }

    mutating func comment(_ range: Range<Int>) {
        guard !options.allowComments else { return }
        record(
            "comments are not allowed in JSON", at: range,
            fix: .init(range: range, replacement: "", message: "remove the comment"),
            assumption: "ignored the comment",
            note: "label the block `jsonc` if the comment is meant for readers only")
    }

    mutating func trailingComma(at comma: Int) {
        guard !options.allowTrailingCommas else { return }
        record(
            "trailing comma: JSON does not allow a ',' before a closing bracket", at: comma..<comma + 1,
            fix: .init(range: comma..<comma + 1, replacement: "", message: "remove the ','"),
            assumption: "ignored the ','")
    }

    // MARK: - Issues

    mutating func record(
        _ message: String, at range: Range<Int>, related: [JSONIssue.Related] = [], fix: JSONIssue.Edit? = nil,
        assumption: String? = nil, note: String? = nil
    ) {
        let explanation = [assumption, note].compactMap { $0 }.joined(separator: "; ")
        issues.append(
            JSONIssue(
                kind: .syntax, message: message, range: range, related: related, fix: fix,
                assumption: explanation.isEmpty ? nil : explanation, recovered: true))
    }

    mutating func fail(_ message: String, at range: Range<Int>, related: [JSONIssue.Related] = []) throws -> Never {
        issues.append(
            JSONIssue(
                kind: .syntax, message: message, range: range, related: related, fix: nil, assumption: nil,
                recovered: false))
        throw Stop()
    }

    mutating func enterNesting() throws {
        depth += 1
        if depth > options.maxDepth {
            issues.append(
                JSONIssue(
                    kind: .limit, message: "JSON nested deeper than \(options.maxDepth) levels",
                    range: pos..<pos + 1, related: [], fix: nil, assumption: nil, recovered: false))
            throw Stop()
        }
    }

    /// The range of a value's first line of text: a whole scalar, or an opening bracket.
    func headRange(of value: JSONValue) -> Range<Int> {
        switch value.kind {
        case .object, .array: return value.range.lowerBound..<value.range.lowerBound + 1
        default: return value.range
        }
    }

    // MARK: - Bytes

    func startsValue(_ byte: UInt8) -> Bool { Bytes.startsValue(byte) }
    func isDigit(_ byte: UInt8) -> Bool { Bytes.isDigit(byte) }
    func isIdentifierStart(_ byte: UInt8) -> Bool { Bytes.isIdentifierStart(byte) }
    func isIdentifierPart(_ byte: UInt8) -> Bool { Bytes.isIdentifierStart(byte) || Bytes.isDigit(byte) }

    func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    func scalarLength(at index: Int) -> Int {
        guard index < bytes.count else { return 0 }
        let byte = bytes[index]
        let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
        return min(length, bytes.count - index)
    }

    func describeRaw(at index: Int) -> String {
        String(decoding: bytes[index..<index + scalarLength(at: index)], as: UTF8.self)
    }

    /// How a message names the character at `index`: `'}'`, `U+00A0`, or end of input.
    func describe(at index: Int) -> String {
        guard index < bytes.count else { return "end of input" }
        let text = describeRaw(at: index)
        guard let scalar = text.unicodeScalars.first else { return "end of input" }
        if scalar.value >= 0x21 && scalar.value < 0x7F { return "'\(text)'" }
        if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
            || scalar.properties.generalCategory == .format
        {
            return "U+\(hex(scalar.value))"
        }
        return "'\(text)' (U+\(hex(scalar.value)))"
    }

    func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(4 - digits.count, 0)) + digits
    }
}

/// Byte classes of the grammar, free of parser state.
private enum Bytes {
    static func startsValue(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "-"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return isIdentifierStart(byte)
        }
    }

    /// A member key: a string in either quote, or a bare identifier.
    static func startsKey(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || isIdentifierStart(byte)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "$")
    }
}
