/// The condition keys of a request. Key names are case-insensitive, as in IAM;
/// values keep their case.
public struct RequestContext: Sendable, Hashable {
    private var values: [String: [String]] = [:]
    private var names: [String: String] = [:]

    public init() {}

    public init(_ values: [String: [String]]) {
        for (key, value) in values { self[key] = value }
    }

    /// Keys AWS derives from the request itself (aws:PrincipalArn, …), answered on
    /// lookup so that requests whose policies never ask pay nothing for them.
    struct Derived: Sendable, Hashable {
        var principal: RequestPrincipal
        var resourceAccount: String
        var isKMS: Bool

        func value(_ key: String) -> [String]? {
            switch key {
            case "aws:principalarn": return principal.principalARN.map { [$0] }
            case "aws:principalaccount": return principal.account.map { [$0] }
            case "aws:principaltype": return [principal.principalType]
            case "aws:resourceaccount": return [resourceAccount]
            case "kms:calleraccount": return isKMS ? principal.account.map { [$0] } : nil
            case "aws:username":
                if case .user(let name) = principal.kind { return [name] }
                return nil
            case "aws:principalservicename":
                if case .service(let name) = principal.kind { return [name] }
                return nil
            case "aws:principalisawsservice":
                if case .service = principal.kind { return ["true"] }
                return nil
            default:
                return nil
            }
        }
    }

    var derived: Derived?

    /// The values of a key: one for single-valued keys, any number for multivalued
    /// ones; nil when the request does not carry the key. Values given explicitly
    /// win over derived ones.
    public subscript(key: String) -> [String]? {
        get { values(lowercasedKey: key.lowercased()) }
        set {
            values[key.lowercased()] = newValue
            names[key.lowercased()] = newValue == nil ? nil : key
        }
    }

    /// Lookup by a key already in lower case (policies store theirs that way).
    func values(lowercasedKey key: String) -> [String]? {
        if !values.isEmpty, let given = values[key] { return given }
        return derived?.value(key)
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
