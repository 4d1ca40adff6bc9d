import KBJSON

/// A result as the AWS CLI holds it: the Python objects its formatters print.
///
/// Building one merges duplicate keys as a Python `dict` does (the first position,
/// the last value). Keys are compared and sorted by code point, as Python compares
/// `str`, not by Swift's canonical equivalence.
indirect enum PyValue {
    case dict([(key: String, value: PyValue)])
    case list([PyValue])
    case str(String)
    /// A number as written: the CLI prints an `int` or `float` as Python spells it,
    /// which is the JSON literal for the numbers AWS sends.
    case number(String)
    case bool(Bool)
    case none

    init(_ value: JSONValue) {
        switch value.kind {
        case .object(let members):
            var merged: [(key: String, value: PyValue)] = []
            var positions: [[UInt8]: Int] = [:]
            for member in members {
                let converted = PyValue(member.value)
                if let position = positions[Array(member.key.utf8)] {
                    merged[position].value = converted
                } else {
                    positions[Array(member.key.utf8)] = merged.count
                    merged.append((member.key, converted))
                }
            }
            self = .dict(merged)
        case .array(let elements): self = .list(elements.map(PyValue.init))
        case .string(let string): self = .str(string)
        case .number(let number): self = .number(number.literal)
        case .bool(let bool): self = .bool(bool)
        case .null: self = .none
        }
    }

    /// The formatters treat anything but a list or a dict as a scalar.
    var isScalar: Bool {
        switch self {
        case .dict, .list: return false
        default: return true
        }
    }

    var isDict: Bool {
        if case .dict = self { return true }
        return false
    }

    var isString: Bool {
        if case .str = self { return true }
        return false
    }

    var isList: Bool {
        if case .list = self { return true }
        return false
    }

    /// Python truthiness: the table formatter skips empty and zero values.
    var isTruthy: Bool {
        switch self {
        case .dict(let members): return !members.isEmpty
        case .list(let elements): return !elements.isEmpty
        case .str(let string): return !string.isEmpty
        case .number(let literal): return Double(literal) != 0
        case .bool(let bool): return bool
        case .none: return false
        }
    }

    /// The member named `key` of a dict.
    subscript(key: String) -> PyValue? {
        guard case .dict(let members) = self else { return nil }
        return members.first { $0.key.utf8.elementsEqual(key.utf8) }?.value
    }

    /// Python's `str()`: how both text and table output print a value.
    var str: String {
        if case .str(let string) = self { return string }
        return repr
    }

    /// Python's `repr()`, which `str()` of a list or dict uses for its contents: a
    /// nested value the formatters did not expect shows up this way.
    var repr: String {
        switch self {
        case .dict(let members):
            return "{" + members.map { PyValue.str($0.key).repr + ": " + $0.value.repr }.joined(separator: ", ") + "}"
        case .list(let elements): return "[" + elements.map(\.repr).joined(separator: ", ") + "]"
        case .str(let string): return pythonStringRepr(string)
        case .number(let literal): return literal
        case .bool(let bool): return bool ? "True" : "False"
        case .none: return "None"
        }
    }
}

/// Code point order, which is Python's order for `str` and UTF-8's byte order.
func pythonPrecedes(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
}

/// Python's `repr` of a `str`: single quotes unless only double quotes avoid an
/// escape, and escapes for what `str.isprintable()` rejects.
private func pythonStringRepr(_ string: String) -> String {
    let quote: Unicode.Scalar = string.contains("'") && !string.contains("\"") ? "\"" : "'"
    var out = String(quote)
    for scalar in string.unicodeScalars {
        switch scalar {
        case quote, "\\": out += "\\" + String(scalar)
        case "\t": out += "\\t"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case _ where isPrintable(scalar): out.unicodeScalars.append(scalar)
        case _ where scalar.value <= 0xFF: out += "\\x" + hex(scalar.value, digits: 2)
        case _ where scalar.value <= 0xFFFF: out += "\\u" + hex(scalar.value, digits: 4)
        default: out += "\\U" + hex(scalar.value, digits: 8)
        }
    }
    out.unicodeScalars.append(quote)
    return out
}

private func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII { return scalar.value >= 0x20 && scalar.value < 0x7F }
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
        .spaceSeparator:
        return false
    default:
        return true
    }
}
