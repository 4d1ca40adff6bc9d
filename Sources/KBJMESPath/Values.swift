import KBJSON

// How the reference implementation treats values once `json.loads` has turned them
// into Python objects: strings compare by code point, `true == 1` inside arrays,
// duplicate keys collapse, and `json.dumps` decides how results are spelled.

extension JSONValue {
    /// A value made by evaluation, which has no place in any source text.
    init(_ kind: Kind) {
        self.init(kind, range: 0..<0)
    }

    static let null = JSONValue(.null)

    /// The JMESPath type name, as `type()` returns it and type errors name it.
    var jmesType: String {
        switch kind {
        case .object: return "object"
        case .array: return "array"
        case .string: return "string"
        case .number: return "number"
        case .bool: return "boolean"
        case .null: return "null"
        }
    }

    /// JMESPath truth: false, null, and empty strings, arrays and objects are false;
    /// every number, 0 included, is true.
    var isTruthy: Bool {
        switch kind {
        case .object(let members): return !members.isEmpty
        case .array(let elements): return !elements.isEmpty
        case .string(let string): return !string.isEmpty
        case .number: return true
        case .bool(let bool): return bool
        case .null: return false
        }
    }

    /// Booleans count as the integers 0 and 1, as in Python's `==` on nested values.
    fileprivate var numeric: PythonNumber? {
        switch kind {
        case .number(let number): return PythonNumber(number)
        case .bool(let bool): return .int(PythonInt(bool ? 1 : 0))
        default: return nil
        }
    }

    /// `json.dumps(value, separators=(",", ":"))`, which is what `to_string` returns:
    /// numbers as Python holds them, everything outside printable ASCII escaped.
    var pythonJSON: String {
        var text = ""
        appendPythonJSON(to: &text)
        return text
    }

    private func appendPythonJSON(to text: inout String) {
        switch kind {
        case .object(let members):
            text += "{"
            for (position, member) in members.enumerated() {
                if position > 0 { text += "," }
                appendQuoted(member.key, to: &text)
                text += ":"
                member.value.appendPythonJSON(to: &text)
            }
            text += "}"
        case .array(let elements):
            text += "["
            for (position, element) in elements.enumerated() {
                if position > 0 { text += "," }
                element.appendPythonJSON(to: &text)
            }
            text += "]"
        case .string(let string): appendQuoted(string, to: &text)
        case .number(let number): text += PythonNumber(number).literal
        case .bool(let bool): text += bool ? "true" : "false"
        case .null: text += "null"
        }
    }

    /// The value with each object's repeated keys collapsed as Python's `dict` does:
    /// one member, at the first key's position, holding the last value.
    func withoutDuplicateKeys() -> JSONValue {
        deduplicated() ?? self
    }

    /// Nil when nothing changes, so large inputs are not copied.
    private func deduplicated() -> JSONValue? {
        switch kind {
        case .array(let elements):
            var copy: [JSONValue]?
            for (position, element) in elements.enumerated() {
                guard let changed = element.deduplicated() else { continue }
                if copy == nil { copy = elements }
                copy![position] = changed
            }
            return copy.map { JSONValue(.array($0), range: range) }
        case .object(let members):
            var copy: [JSONMember]?
            for (position, member) in members.enumerated() {
                guard let changed = member.value.deduplicated() else { continue }
                if copy == nil { copy = members }
                copy![position].value = changed
            }
            let current = copy ?? members
            guard hasRepeatedKeys(current) else { return copy.map { JSONValue(.object($0), range: range) } }
            var object = ObjectBuilder()
            for member in current { object.set(member) }
            return JSONValue(.object(object.members), range: range)
        default:
            return nil
        }
    }

    /// What a backtick literal means to Python: keys collapsed and every number
    /// printed as `json.dumps` would (`1.50` becomes `1.5`, `-0` becomes `0`).
    func pythonNormalized() -> JSONValue {
        switch kind {
        case .number(let number): return PythonNumber(number).json
        case .array(let elements): return JSONValue(.array(elements.map { $0.pythonNormalized() }))
        case .object(let members):
            var object = ObjectBuilder()
            for member in members { object.set(member.key, member.value.pythonNormalized()) }
            return object.value
        default: return JSONValue(kind)
        }
    }
}

private func hasRepeatedKeys(_ members: [JSONMember]) -> Bool {
    if members.count < 2 { return false }
    if members.count <= 8 {
        for (position, member) in members.enumerated() {
            if members[..<position].contains(where: { sameText($0.key, member.key) }) { return true }
        }
        return false
    }
    return Set(members.map { TextKey($0.key) }).count != members.count
}

private func appendQuoted(_ string: String, to text: inout String) {
    text += "\""
    for scalar in string.unicodeScalars {
        switch scalar {
        case "\"": text += "\\\""
        case "\\": text += "\\\\"
        case "\n": text += "\\n"
        case "\r": text += "\\r"
        case "\t": text += "\\t"
        case "\u{08}": text += "\\b"
        case "\u{0C}": text += "\\f"
        case " "..."~": text.unicodeScalars.append(scalar)
        default:
            for unit in String(scalar).utf16 {
                let hex = String(unit, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
    }
    text += "\""
}

/// String equality by code point, as Python compares; Swift's `==` would also
/// equate canonically equivalent spellings such as `é` and `e\u{301}`.
func sameText(_ left: String, _ right: String) -> Bool {
    left.utf8.elementsEqual(right.utf8)
}

/// A dictionary key that compares by code point, like a Python `dict` key.
struct TextKey: Hashable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (left: TextKey, right: TextKey) -> Bool { sameText(left.text, right.text) }

    func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }
}

/// An object under construction with Python `dict` semantics: setting a key again
/// replaces its value where it first appeared.
struct ObjectBuilder {
    private(set) var members: [JSONMember] = []
    private var positions: [TextKey: Int] = [:]

    mutating func set(_ member: JSONMember) {
        let key = TextKey(member.key)
        if let position = positions[key] {
            members[position].value = member.value
        } else {
            positions[key] = members.count
            members.append(member)
        }
    }

    mutating func set(_ key: String, _ value: JSONValue) {
        set(JSONMember(key: key, keyRange: 0..<0, value: value))
    }

    var value: JSONValue { JSONValue(.object(members)) }
}

/// Python's `==` on the decoded values: deep, order-blind for objects, with
/// `true == 1` and `1 == 1.0`.
func pythonEquals(_ left: JSONValue, _ right: JSONValue) -> Bool {
    switch (left.kind, right.kind) {
    case (.null, .null): return true
    case (.string(let a), .string(let b)): return sameText(a, b)
    case (.array(let a), .array(let b)):
        return a.count == b.count && zip(a, b).allSatisfy { pythonEquals($0, $1) }
    case (.object(let a), .object(let b)):
        guard a.count == b.count else { return false }
        var values: [TextKey: JSONValue] = [:]
        for member in b { values[TextKey(member.key)] = member.value }
        return a.allSatisfy { member in values[TextKey(member.key)].map { pythonEquals(member.value, $0) } ?? false }
    default:
        guard let a = left.numeric, let b = right.numeric else { return false }
        return PythonNumber.compare(a, b) == 0
    }
}

/// The `==` of expressions: Python's, except that a number never equals a boolean
/// at the top level (the reference special-cases `0 == false` and `1 == true`).
func jmesEquals(_ left: JSONValue, _ right: JSONValue) -> Bool {
    switch (left.kind, right.kind) {
    case (.number, .bool), (.bool, .number): return false
    default: return pythonEquals(left, right)
    }
}

/// Order of two numbers or two strings (strings by code point): -1, 0 or 1, nil
/// when a NaN is involved. Other pairs fail as Python's `<` does.
func pythonOrder(_ left: JSONValue, _ right: JSONValue, _ symbol: String) throws(JMESPathError) -> Int? {
    switch (left.kind, right.kind) {
    case (.number(let a), .number(let b)): return PythonNumber.compare(PythonNumber(a), PythonNumber(b))
    case (.string(let a), .string(let b)):
        if sameText(a, b) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    default:
        throw JMESPathError("'\(symbol)' not supported between \(left.jmesType) and \(right.jmesType)")
    }
}
