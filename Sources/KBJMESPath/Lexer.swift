import KBJSON

/// Splits an expression into tokens, all of them before parsing starts: as in the
/// reference, a lexical error anywhere is the error reported, even after a syntax error.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    static func tokenize(_ text: String) throws(JMESPathError) -> [Token] {
        var lexer = Lexer(text)
        return try lexer.tokens()
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private static let simple: [Unicode.Scalar: Token.Kind] = [
        ".": .dot, "*": .star, "]": .rbracket, ",": .comma, ":": .colon, "@": .current,
        "(": .lparen, ")": .rparen, "{": .lbrace, "}": .rbrace,
    ]

    private mutating func tokens() throws(JMESPathError) -> [Token] {
        if scalars.isEmpty { throw JMESPathError("empty expression", offset: 0) }
        var tokens: [Token] = []
        while let scalar = current {
            let start = position
            if let kind = Self.simple[scalar] {
                position += 1
                tokens.append(Token(kind: kind, start: start, text: String(scalar)))
            } else if isIdentifierStart(scalar) {
                while let next = current, isIdentifierPart(next) { position += 1 }
                tokens.append(Token(kind: .unquotedIdentifier, start: start, text: text(from: start)))
            } else if [" ", "\t", "\n", "\r"].contains(scalar) {
                position += 1
            } else if scalar == "[" {
                position += 1
                switch current {
                case "]":
                    position += 1
                    tokens.append(Token(kind: .flatten, start: start, text: "[]"))
                case "?":
                    position += 1
                    tokens.append(Token(kind: .filter, start: start, text: "[?"))
                default:
                    tokens.append(Token(kind: .lbracket, start: start, text: "["))
                }
            } else if scalar == "'" {
                let raw = try consume(until: "'").replacing("\\'", with: "'")
                tokens.append(
                    Token(kind: .literal, start: start, text: text(from: start), literal: JSONValue(.string(raw))))
            } else if scalar == "`" {
                tokens.append(try jsonLiteral())
            } else if scalar == "\"" {
                tokens.append(try quotedIdentifier())
            } else if scalar == "-" || ("0"..."9").contains(scalar) {
                position += 1
                while let next = current, ("0"..."9").contains(next) { position += 1 }
                let digits = text(from: start)
                if digits == "-" { throw JMESPathError("unknown token '-'", offset: start) }
                let value = Int(digits) ?? (scalar == "-" ? Int.min : Int.max)
                tokens.append(Token(kind: .number, start: start, text: digits, number: value))
            } else if let (single, double) = Self.pairs[scalar] {
                position += 1
                let second = double.flatMap { current == $0.0 ? $0.1 : nil }
                if second != nil { position += 1 }
                tokens.append(Token(kind: second ?? single, start: start, text: text(from: start)))
            } else if scalar == "=" {
                position += 1
                guard current == "=" else {
                    throw JMESPathError("unknown token '='; use '==' to compare", offset: start)
                }
                position += 1
                tokens.append(Token(kind: .eq, start: start, text: "=="))
            } else {
                throw JMESPathError("unknown token '\(scalar)'", offset: start)
            }
        }
        tokens.append(Token(kind: .eof, start: scalars.count, text: ""))
        return tokens
    }

    /// Characters that are a token alone or, followed by the given one, a longer token.
    private static let pairs: [Unicode.Scalar: (Token.Kind, (Unicode.Scalar, Token.Kind)?)] = [
        "|": (.pipe, ("|", .or)), "&": (.expref, ("&", .and)), "<": (.lt, ("=", .lte)),
        ">": (.gt, ("=", .gte)), "!": (.not, ("=", .ne)),
    ]

    private func text(from start: Int) -> String {
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars[start..<position])
        return text
    }

    private func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }

    private func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || ("0"..."9").contains(scalar)
    }

    /// The text up to an unescaped `delimiter`, backslashes kept: each escapes the
    /// character after it, whatever it is, and decoding is left to the caller.
    private mutating func consume(until delimiter: Unicode.Scalar) throws(JMESPathError) -> String {
        let start = position
        position += 1
        var buffer = String.UnicodeScalarView()
        while current != delimiter {
            if current == "\\" {
                buffer.append("\\")
                position += 1
            }
            guard let scalar = current else {
                throw JMESPathError("unclosed \(delimiter) delimiter", offset: start)
            }
            buffer.append(scalar)
            position += 1
        }
        position += 1
        return String(buffer)
    }

    private mutating func quotedIdentifier() throws(JMESPathError) -> Token {
        let start = position
        let body = try consume(until: "\"")
        let parsed = JSONParser.parse("\"" + body + "\"")
        guard parsed.issues.allSatisfy({ !$0.isError }), let name = parsed.value?.string else {
            let reason = parsed.issues.first?.message ?? "not a JSON string"
            throw JMESPathError("invalid quoted identifier: \(reason)", offset: start)
        }
        return Token(kind: .quotedIdentifier, start: start, text: name)
    }

    /// A backtick literal: JSON if it parses, else (the deprecated form the reference
    /// still accepts) the text as the body of a JSON string.
    private mutating func jsonLiteral() throws(JMESPathError) -> Token {
        let start = position
        let body = try consume(until: "`").replacing("\\`", with: "`")
        let source = text(from: start)
        if let value = try parseJSON(body, start: start) {
            return Token(kind: .literal, start: start, text: source, literal: value.pythonNormalized())
        }
        let unindented = String(String.UnicodeScalarView(body.unicodeScalars.drop(while: isPythonWhitespace)))
        if let value = try parseJSON("\"" + unindented + "\"", start: start), value.string != nil {
            return Token(kind: .literal, start: start, text: source, literal: value)
        }
        throw JMESPathError("invalid JSON literal \(source)", offset: start)
    }

    /// The value of JSON text as Python's `json.loads` reads it, nil when it is not JSON.
    private func parseJSON(_ text: String, start: Int) throws(JMESPathError) -> JSONValue? {
        let trimmed = text.trimmingJSONWhitespace()
        switch trimmed {
        case "NaN", "Infinity", "-Infinity": return JSONValue(.number(JSONNumber(literal: trimmed)), range: 0..<0)
        default: break
        }
        var options = JSONParser.Options()
        options.maxDepth = Parser.maxDepth
        let parsed = JSONParser.parse(text, options: options)
        if parsed.issues.contains(where: { $0.kind == .limit }) {
            throw JMESPathError("JSON literal nested deeper than \(Parser.maxDepth) levels", offset: start)
        }
        // Python keeps the last of duplicate keys, and reads lone surrogates; both are only warnings here.
        guard parsed.issues.allSatisfy({ $0.kind == .duplicateKey || $0.kind == .questionable }) else { return nil }
        return parsed.value
    }
}

extension String {
    fileprivate func trimmingJSONWhitespace() -> String {
        let isSpace: (Unicode.Scalar) -> Bool = { [" ", "\t", "\n", "\r"].contains($0) }
        let scalars = unicodeScalars.drop(while: isSpace).reversed().drop(while: isSpace).reversed()
        return String(String.UnicodeScalarView(scalars))
    }
}
