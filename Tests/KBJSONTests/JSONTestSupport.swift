import Foundation
import KBJSON
import Testing

/// A table case read from `Cases/*.json`, in the manner of Wycheproof vectors.
struct ValidCase: Codable, CustomTestStringConvertible {
    var name: String
    var input: String
    /// The value re-serialised compactly, numbers as written.
    var canonical: String
    var testDescription: String { name }
}

struct InvalidCase: Codable, CustomTestStringConvertible {
    var name: String
    var input: String
    /// A substring of the first issue's message.
    var message: String
    var line: Int
    var column: Int
    var recovered: Bool
    /// The replacement text of the first issue's fix, when it has one.
    var fix: String?
    var testDescription: String { name }
}

enum Cases {
    static func load<T: Decodable>(_ name: String, as type: T.Type) -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Cases"),
            let data = try? Data(contentsOf: url),
            let value = try? JSONDecoder().decode(T.self, from: data)
        else { fatalError("cannot load Cases/\(name).json") }
        return value
    }
}

/// Compact serialisation that ignores ranges, for comparing values.
func canonical(_ value: JSONValue) -> String {
    switch value.kind {
    case .object(let members):
        return "{" + members.map { quote($0.key) + ":" + canonical($0.value) }.joined(separator: ",") + "}"
    case .array(let elements):
        return "[" + elements.map(canonical).joined(separator: ",") + "]"
    case .string(let string): return quote(string)
    case .number(let number): return number.literal
    case .bool(let bool): return String(bool)
    case .null: return "null"
    }
}

func quote(_ string: String) -> String {
    var out = "\""
    for scalar in string.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// 1-based line and scalar column of a byte offset, for readable expectations.
func lineColumn(of offset: Int, in text: String) -> (Int, Int) {
    let bytes = Array(text.utf8)[..<min(offset, text.utf8.count)]
    let line = bytes.filter { $0 == 0x0A }.count + 1
    let lineStart = bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
    let column = bytes[lineStart...].filter { $0 & 0xC0 != 0x80 }.count + 1
    return (line, column)
}

/// Applies every fix of a parse result, back to front.
func applyFixes(_ issues: [JSONIssue], to text: String) -> String {
    var bytes = Array(text.utf8)
    for fix in issues.compactMap(\.fix).sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
        bytes.replaceSubrange(fix.range, with: Array(fix.replacement.utf8))
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Every value in a tree, depth first.
func allValues(_ value: JSONValue) -> [JSONValue] {
    switch value.kind {
    case .object(let members): return [value] + members.flatMap { allValues($0.value) }
    case .array(let elements): return [value] + elements.flatMap(allValues)
    default: return [value]
    }
}
