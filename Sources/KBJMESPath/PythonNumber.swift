import KBJSON

/// A number as the reference implementation holds it after `json.loads`: an `int`
/// when written without fraction or exponent, otherwise a `float`.
///
/// The distinction is visible in output (`sum([1, 2])` prints `3`, `avg([1, 3])`
/// prints `2.0`), so results are computed and printed the way Python would.
enum PythonNumber: Sendable {
    case int(PythonInt)
    case float(Double)

    init(_ number: JSONNumber) {
        let literal = number.literal
        if let int = PythonInt(digits: Substring(literal)) {
            self = .int(int)
            return
        }
        switch literal {
        case "NaN": self = .float(.nan)
        case "Infinity": self = .float(.infinity)
        case "-Infinity": self = .float(-.infinity)
        default: self = .float(Double(literal) ?? .nan)
        }
    }

    /// How `json.dumps` spells the number.
    var literal: String {
        switch self {
        case .int(let int): return int.description
        case .float(let double): return Self.repr(double)
        }
    }

    var json: JSONValue { JSONValue(.number(JSONNumber(literal: literal)), range: 0..<0) }

    /// The value as a float, as Python converts it for mixed arithmetic.
    func double() throws(JMESPathError) -> Double {
        switch self {
        case .float(let double): return double
        case .int(let int):
            guard let double = int.double else { throw JMESPathError("int too large to convert to float") }
            return double
        }
    }

    static func + (left: PythonNumber, right: PythonNumber) throws(JMESPathError) -> PythonNumber {
        if case .int(let a) = left, case .int(let b) = right { return .int(a + b) }
        return .float(try left.double() + right.double())
    }

    /// -1, 0 or 1, exact across ints and floats as in Python; nil when a NaN makes
    /// the two unordered.
    static func compare(_ left: PythonNumber, _ right: PythonNumber) -> Int? {
        switch (left, right) {
        case (.int(let a), .int(let b)): return PythonInt.compare(a, b)
        case (.float(let a), .float(let b)):
            if a.isNaN || b.isNaN { return nil }
            return a < b ? -1 : (a > b ? 1 : 0)
        case (.int(let a), .float(let b)): return compare(a, b)
        case (.float(let a), .int(let b)): return compare(b, a).map { -$0 }
        }
    }

    private static func compare(_ int: PythonInt, _ double: Double) -> Int? {
        if double.isNaN { return nil }
        if double.isInfinite { return double > 0 ? -1 : 1 }
        let whole = double.rounded(.down)
        let order = PythonInt.compare(int, PythonInt(exactly: whole)!)
        if order != 0 { return order }
        return double > whole ? -1 : 0
    }

    /// Python's `repr(float)` in `json.dumps` spelling: the shortest digits that
    /// round-trip, positional between 1e-4 and 1e16, otherwise `1.5e+16` style.
    static func repr(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description has the same shortest round-trip digits; only the layout differs.
        let text = value.magnitude.description
        let parts = text.split(separator: "e")
        let mantissa = parts[0]
        let point = mantissa.firstIndex(of: ".")
        let integerPart = point.map { mantissa[..<$0] } ?? mantissa
        let fractionPart = point.map { mantissa[mantissa.index(after: $0)...] } ?? ""
        var digits = Array(integerPart + fractionPart)
        var decimalPoint = integerPart.count + (parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
        while digits.first == "0" {
            digits.removeFirst()
            decimalPoint -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        let sign = value < 0 ? "-" : ""
        let all = String(digits)
        if decimalPoint <= -4 || decimalPoint > 16 {
            let exponent = decimalPoint - 1
            let magnitude = String(abs(exponent))
            let head = digits.count == 1 ? all : all.prefix(1) + "." + all.dropFirst()
            return sign + head + "e" + (exponent < 0 ? "-" : "+")
                + String(repeating: "0", count: max(0, 2 - magnitude.count)) + magnitude
        }
        if decimalPoint <= 0 { return sign + "0." + String(repeating: "0", count: -decimalPoint) + all }
        if decimalPoint >= digits.count {
            return sign + all + String(repeating: "0", count: decimalPoint - digits.count) + ".0"
        }
        return sign + all.prefix(decimalPoint) + "." + all.dropFirst(decimalPoint)
    }

    /// `to_number` on a string: Python's `int(text)`, else `float(text)`, else nil.
    ///
    /// Both accept surrounding whitespace, a sign, `_` between digits and any
    /// Unicode decimal digit; `float` also takes `inf`, `infinity` and `nan`.
    init?(pythonText text: String) {
        var ascii = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.numericType == .decimal, let digit = scalar.properties.numericValue {
                ascii += String(Int(digit))
            } else if isPythonWhitespace(scalar) {
                ascii += " "
            } else {
                ascii.unicodeScalars.append(scalar)
            }
        }
        let trimmed = Substring(ascii).drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
        var body = Substring(String(trimmed))
        var negative = false
        if body.first == "+" || body.first == "-" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        if let digits = Self.digitPart(body), let int = PythonInt(digits: Substring(digits)) {
            self = .int(negative ? int.negated : int)
            return
        }
        switch body.lowercased() {
        case "inf", "infinity":
            self = .float(negative ? -.infinity : .infinity)
            return
        case "nan":
            self = .float(.nan)
            return
        default: break
        }
        guard let decimal = Self.floatBody(body), let double = Double(decimal) else { return nil }
        self = .float(negative ? -double : double)
    }

    /// Digits with single underscores between them, without the underscores.
    private static func digitPart(_ text: Substring) -> String? {
        guard let first = text.first, first != "_", text.last != "_", !text.contains("__") else { return nil }
        guard text.allSatisfy({ $0 == "_" || ("0"..."9").contains($0) }) else { return nil }
        return String(text.filter { $0 != "_" })
    }

    /// `[digits][.digits][e[+-]digits]` as Python's float() reads it, rewritten
    /// without underscores for `Double(_:)`; nil for anything else (hex included).
    private static func floatBody(_ text: Substring) -> String? {
        var mantissa = text
        var exponent = ""
        if let marker = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<marker]
            var rest = text[text.index(after: marker)...]
            var sign = ""
            if rest.first == "+" || rest.first == "-" {
                sign = String(rest.first!)
                rest = rest.dropFirst()
            }
            guard let digits = digitPart(rest) else { return nil }
            exponent = "e" + sign + digits
        }
        let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = pieces[0].isEmpty ? "" : digitPart(pieces[0])
        let fraction = pieces.count < 2 || pieces[1].isEmpty ? "" : digitPart(pieces[1])
        guard let whole, let fraction, !(whole.isEmpty && fraction.isEmpty) else { return nil }
        return (whole.isEmpty ? "0" : whole) + "." + (fraction.isEmpty ? "0" : fraction) + exponent
    }
}

/// Python's `str.isspace()`, which `str.strip()`, `int()` and `float()` go by.
func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
        return true
    default:
        return false
    }
}
