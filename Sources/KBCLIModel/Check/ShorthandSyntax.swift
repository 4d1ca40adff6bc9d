import KBJSON

/// The AWS CLI's shorthand syntax for structures, maps and lists of them:
/// `Key=Value,Other=[a,b],Nested={K=V}`, `Key=a,b` (a list), quoted values,
/// `\,` for a comma in a value. Follows the grammar of awscli's shorthand
/// parser: keys are letters, digits and `-_.#/:`; a first value may hold `=`,
/// `[` and `{` after its first character; a second list value may not hold `=`
/// (so `a=b,c=d` is two keys, `a=b,c` a list). Scalars are strings, as the CLI
/// reads them before converting by the model.
package enum ShorthandSyntax {
    /// Why a value is not shorthand: the message and the character offset.
    package struct Failure: Error, Sendable, Hashable {
        package var message: String
        package var offset: Int
    }

    /// Nesting deeper than this is refused rather than recursed into.
    static let maxDepth = 32

    /// The parsed value: an object of the top-level keys.
    package static func parse(_ text: String) throws(Failure) -> JSONValue {
        var reader = Reader(characters: Array(text))
        return try reader.parameter()
    }

    private struct Reader {
        let characters: [Character]
        var index = 0
        var depth = 0

        var atEnd: Bool { index >= characters.count }
        var current: Character? { atEnd ? nil : characters[index] }

        mutating func parameter() throws(Failure) -> JSONValue {
            var members: [JSONMember] = []
            var keys: Set<String> = []
            repeat {
                if !members.isEmpty { try expect(",") }
                let start = index
                let (key, value) = try keyValue()
                guard keys.insert(key).inserted else {
                    throw Failure(
                        message:
                            "the key '\(key)' is given twice (often a ',' where a space should separate two values)",
                        offset: start)
                }
                members.append(JSONMember(key: key, keyRange: start..<start, value: value))
            } while !atEnd
            return JSONValue(.object(members), range: 0..<characters.count)
        }

        mutating func keyValue() throws(Failure) -> (String, JSONValue) {
            let key = readKey()
            skipSpaces()
            if current == "@" { index += 1 }
            try expect("=")
            return (key, try values())
        }

        mutating func readKey() -> String {
            skipSpaces()
            var key = ""
            while let character = current, character.isASCII,
                character.isLetter || character.isNumber || "-_.#/:".contains(character)
            {
                key.append(character)
                index += 1
            }
            return key
        }

        mutating func values() throws(Failure) -> JSONValue {
            skipSpaces()
            switch current {
            case nil: return string("")
            case "[": return try explicitList()
            case "{": return try hash()
            default: return try csvValue()
            }
        }

        /// `a` or `a,b,c`; stops before `,key=` (backing up to that comma).
        mutating func csvValue() throws(Failure) -> JSONValue {
            let first = try firstValue()
            skipSpaces()
            guard current == "," else { return string(first) }
            var list = [first]
            while current == "," {
                let comma = index
                index += 1
                skipSpaces()
                guard let next = try secondValue() else {
                    index = comma
                    break
                }
                skipSpaces()
                if !atEnd, current != "," {
                    // `a=b,c=d`: `c` was a key, not a value.
                    index = comma
                    break
                }
                list.append(next)
            }
            return list.count == 1 ? string(first) : JSONValue(.array(list.map(string)), range: 0..<0)
        }

        mutating func explicitList() throws(Failure) -> JSONValue {
            try enter()
            defer { depth -= 1 }
            try expect("[")
            var elements: [JSONValue] = []
            while current != "]" {
                guard !atEnd else { throw Failure(message: "the '[' is never closed", offset: index) }
                elements.append(try explicitValue())
                skipSpaces()
                if current != "]" { try expect(",") }
            }
            index += 1
            return JSONValue(.array(elements), range: 0..<0)
        }

        mutating func hash() throws(Failure) -> JSONValue {
            try enter()
            defer { depth -= 1 }
            try expect("{")
            var members: [JSONMember] = []
            while current != "}" {
                guard !atEnd else { throw Failure(message: "the '{' is never closed", offset: index) }
                let start = index
                let key = readKey()
                skipSpaces()
                if current == "@" { index += 1 }
                try expect("=")
                skipSpaces()
                members.append(JSONMember(key: key, keyRange: start..<start, value: try explicitValue()))
                skipSpaces()
                if current != "}" { try expect(",") }
            }
            index += 1
            return JSONValue(.object(members), range: 0..<0)
        }

        mutating func explicitValue() throws(Failure) -> JSONValue {
            switch current {
            case "[": return try explicitList()
            case "{": return try hash()
            default: return string(try firstValue())
            }
        }

        mutating func enter() throws(Failure) {
            depth += 1
            guard depth <= ShorthandSyntax.maxDepth else {
                throw Failure(message: "nested deeper than \(ShorthandSyntax.maxDepth) levels", offset: index)
            }
        }

        /// A quoted value, or text starting with a character that can start a
        /// value and running to a `,`, `]`, `}` or quote.
        mutating func firstValue() throws(Failure) -> String {
            if let quote = current, quote == "'" || quote == "\"" { return try quoted(quote) }
            guard let first = current, Self.canStart(first) || isEscapedComma else { return "" }
            return readUnquoted { $0 != "\"" && $0 != "'" && $0 != "," && $0 != "]" && $0 != "}" }
        }

        /// Like a first value, but `=` ends it (and `]`/`}` do not); nil when
        /// nothing here can start one.
        mutating func secondValue() throws(Failure) -> String? {
            if let quote = current, quote == "'" || quote == "\"" { return try quoted(quote) }
            guard let first = current, Self.canStart(first) || isEscapedComma else { return nil }
            let value = readUnquoted { $0 != "\"" && $0 != "'" && $0 != "," && $0 != "=" }
            if current == "=" { return nil }
            return value
        }

        static func canStart(_ character: Character) -> Bool {
            !" \t\n\"',=[{".contains(character)
        }

        var isEscapedComma: Bool {
            current == "\\" && index + 1 < characters.count && characters[index + 1] == ","
        }

        mutating func readUnquoted(_ allowed: (Character) -> Bool) -> String {
            var text = ""
            while let character = current {
                if isEscapedComma {
                    text.append(",")
                    index += 2
                    continue
                }
                guard allowed(character) else { break }
                text.append(character)
                index += 1
            }
            while let last = text.last, last.isWhitespace { text.removeLast() }
            return text
        }

        mutating func quoted(_ quote: Character) throws(Failure) -> String {
            let open = index
            index += 1
            var text = ""
            while let character = current, character != quote {
                if character == "\\", index + 1 < characters.count,
                    characters[index + 1] == quote || characters[index + 1] == "\\"
                {
                    index += 1
                }
                text.append(characters[index])
                index += 1
            }
            guard !atEnd else { throw Failure(message: "the quote is never closed", offset: open) }
            index += 1
            return text
        }

        mutating func expect(_ character: Character) throws(Failure) {
            skipSpaces()
            guard let found = current else {
                throw Failure(message: "expected '\(character)' but the value ends", offset: index)
            }
            guard found == character else {
                throw Failure(message: "expected '\(character)', found '\(found)'", offset: index)
            }
            index += 1
            skipSpaces()
        }

        mutating func skipSpaces() {
            while let character = current, character.isWhitespace { index += 1 }
        }

        func string(_ text: String) -> JSONValue { JSONValue(.string(text), range: 0..<0) }
    }
}
