/// A condition operator such as `ForAnyValue:StringNotLikeIfExists`, split into its
/// base operator, the `IfExists` suffix and the set qualifier.
public struct ConditionOperator: Hashable, Sendable, CustomStringConvertible {
    public enum Base: String, CaseIterable, Sendable {
        case stringEquals = "StringEquals"
        case stringNotEquals = "StringNotEquals"
        case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
        case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
        case stringLike = "StringLike"
        case stringNotLike = "StringNotLike"
        case numericEquals = "NumericEquals"
        case numericNotEquals = "NumericNotEquals"
        case numericLessThan = "NumericLessThan"
        case numericLessThanEquals = "NumericLessThanEquals"
        case numericGreaterThan = "NumericGreaterThan"
        case numericGreaterThanEquals = "NumericGreaterThanEquals"
        case dateEquals = "DateEquals"
        case dateNotEquals = "DateNotEquals"
        case dateLessThan = "DateLessThan"
        case dateLessThanEquals = "DateLessThanEquals"
        case dateGreaterThan = "DateGreaterThan"
        case dateGreaterThanEquals = "DateGreaterThanEquals"
        case bool = "Bool"
        case binaryEquals = "BinaryEquals"
        case ipAddress = "IpAddress"
        case notIpAddress = "NotIpAddress"
        case arnEquals = "ArnEquals"
        case arnLike = "ArnLike"
        case arnNotEquals = "ArnNotEquals"
        case arnNotLike = "ArnNotLike"
        case null = "Null"

        public enum Family: String, Sendable {
            case string = "String"
            case numeric = "Numeric"
            case date = "Date"
            case bool = "Bool"
            case binary = "Binary"
            case ip = "IPAddress"
            case arn = "ARN"
            case null = "Null"
        }

        public var family: Family {
            switch self {
            case .stringEquals, .stringNotEquals, .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase, .stringLike,
                .stringNotLike:
                return .string
            case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan,
                .numericGreaterThanEquals:
                return .numeric
            case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan,
                .dateGreaterThanEquals:
                return .date
            case .bool: return .bool
            case .binaryEquals: return .binary
            case .ipAddress, .notIpAddress: return .ip
            case .arnEquals, .arnLike, .arnNotEquals, .arnNotLike: return .arn
            case .null: return .null
            }
        }

        /// Negated operators hold when no value matches (and when the key is absent).
        public var isNegated: Bool {
            switch self {
            case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals, .dateNotEquals,
                .notIpAddress, .arnNotEquals, .arnNotLike:
                return true
            default:
                return false
            }
        }

        /// The positive operator a negated one inverts.
        public var positive: Base {
            switch self {
            case .stringNotEquals: return .stringEquals
            case .stringNotEqualsIgnoreCase: return .stringEqualsIgnoreCase
            case .stringNotLike: return .stringLike
            case .numericNotEquals: return .numericEquals
            case .dateNotEquals: return .dateEquals
            case .notIpAddress: return .ipAddress
            case .arnNotEquals: return .arnEquals
            case .arnNotLike: return .arnLike
            default: return self
            }
        }
    }

    public enum SetQualifier: String, Sendable {
        case forAllValues = "ForAllValues"
        case forAnyValue = "ForAnyValue"
    }

    public var base: Base
    public var ifExists: Bool
    public var qualifier: SetQualifier?

    public init(base: Base, ifExists: Bool = false, qualifier: SetQualifier? = nil) {
        self.base = base
        self.ifExists = ifExists
        self.qualifier = qualifier
    }

    /// Parses an operator name exactly as AWS spells it; nil when unknown.
    public init?(_ name: String) {
        var rest = Substring(name)
        var qualifier: SetQualifier?
        for candidate in [SetQualifier.forAllValues, .forAnyValue] where rest.hasPrefix(candidate.rawValue + ":") {
            qualifier = candidate
            rest = rest.dropFirst(candidate.rawValue.count + 1)
        }
        var ifExists = false
        if rest.hasSuffix("IfExists") {
            ifExists = true
            rest = rest.dropLast("IfExists".count)
        }
        guard let base = Base(rawValue: String(rest)) else { return nil }
        // `NullIfExists` is not an operator.
        if base == .null && ifExists { return nil }
        self.init(base: base, ifExists: ifExists, qualifier: qualifier)
    }

    public var description: String {
        (qualifier.map { $0.rawValue + ":" } ?? "") + base.rawValue + (ifExists ? "IfExists" : "")
    }

    /// Every spelling, for "did you mean".
    public static var allNames: [String] {
        Base.allCases.flatMap { base -> [String] in
            base == .null ? [base.rawValue] : [base.rawValue, base.rawValue + "IfExists"]
        }
    }
}
