/// The condition keys of a request. Key names are case-insensitive, as in IAM;
/// values keep their case.
public struct RequestContext: Sendable, Hashable {
    private var values: [String: [String]] = [:]
    private var names: [String: String] = [:]

    public init() {}

    public init(_ values: [String: [String]]) {
        for (key, value) in values { self[key] = value }
    }

    /// The values of a key: one for single-valued keys, any number for multivalued
    /// ones; nil when the request does not carry the key.
    public subscript(key: String) -> [String]? {
        get { values[key.lowercased()] }
        set {
            values[key.lowercased()] = newValue
            names[key.lowercased()] = newValue == nil ? nil : key
        }
    }

    /// Sets a key only when the request does not already carry it.
    public mutating func derive(_ key: String, _ value: String?) {
        guard let value, self[key] == nil else { return }
        self[key] = [value]
    }

    /// Keys as first written, sorted, for traces.
    public var keys: [String] { names.values.sorted() }
}

/// Substitutes policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`,
/// `${s3:prefix, 'default'}`) and the escapes `${*}`, `${?}`, `${$}`.
///
/// The result is a wildcard pattern in which characters from escapes and from
/// substituted values are literal. A variable with no value (or several values)
/// makes the whole string unresolvable: AWS then treats it as matching nothing.
enum PolicyVariables {
    static func resolve(_ text: String, in context: RequestContext, enabled: Bool) -> [Wildcard.Token]? {
        guard enabled, text.contains("${") else { return Wildcard.tokens(text) }
        var tokens: [Wildcard.Token] = []
        var scalars = Substring(text).unicodeScalars
        while let scalar = scalars.first {
            if scalar == "$", scalars.dropFirst().first == "{", let close = scalars.firstIndex(of: "}") {
                let inner = String(
                    String.UnicodeScalarView(scalars[scalars.index(scalars.startIndex, offsetBy: 2)..<close]))
                scalars = scalars[scalars.index(after: close)...]
                switch inner {
                case "*", "?", "$":
                    tokens.append(.literal(inner.unicodeScalars.first!))
                default:
                    guard let value = value(of: inner, in: context) else { return nil }
                    tokens += value.unicodeScalars.map(Wildcard.Token.literal)
                }
                continue
            }
            scalars.removeFirst()
            tokens.append(scalar == "*" ? .anyRun : scalar == "?" ? .anyOne : .literal(scalar))
        }
        return tokens
    }

    /// `key` or `key, 'default'`.
    private static func value(of expression: String, in context: RequestContext) -> String? {
        var key = expression
        var fallback: String?
        if let comma = expression.firstIndex(of: ",") {
            key = String(expression[..<comma])
            let rest = expression[expression.index(after: comma)...].trimmingSpaces
            if rest.count >= 2, rest.hasPrefix("'"), rest.hasSuffix("'") {
                fallback = String(rest.dropFirst().dropLast())
            }
        }
        key = key.trimmingSpaces
        if let values = context[key] {
            return values.count == 1 ? values[0] : nil
        }
        return fallback
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}
