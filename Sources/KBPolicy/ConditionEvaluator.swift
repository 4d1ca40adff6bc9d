import Foundation

/// Decides one condition against a request's context, with IAM's rules for
/// missing keys, `IfExists`, `ForAllValues`/`ForAnyValue` and negated operators
/// (iam/reference_policies_elements_condition_operators.md,
/// iam/reference_policies_multi-value-conditions.md).
enum ConditionEvaluator {
    static func holds(_ condition: Condition, in context: RequestContext, variables: Bool) -> Bool {
        guard let op = condition.op else { return false }
        // A key whose values are all empty strings is a null data set (multi-value-conditions.md).
        let present = context.values(lowercasedKey: condition.lowercasedKey).flatMap {
            $0.isEmpty || $0.allSatisfy(\.isEmpty) ? nil : $0
        }
        if op.base == .null {
            return condition.values.contains { value in
                switch value.value.lowercased() {
                case "true": return present == nil
                case "false": return present != nil
                default: return false
                }
            }
        }
        guard let contextValues = present else {
            if op.ifExists { return true }
            switch op.qualifier {
            case .forAllValues: return true
            case .forAnyValue: return false
            case nil: return op.base.isNegated
            }
        }
        let positive = op.base.positive
        // Values without policy variables (nearly all) are compared as written.
        let policyValues: [PolicyValue] = condition.values.compactMap { value in
            guard variables, value.value.utf8.contains(UInt8(ascii: "$")) else { return .plain(value.value) }
            return PolicyVariables.resolve(value.value, in: context, enabled: true).map(PolicyValue.resolved)
        }
        func matchesAny(_ contextValue: String) -> Bool {
            policyValues.contains { compare(positive, policy: $0, context: contextValue) }
        }
        switch (op.qualifier, op.base.isNegated) {
        case (nil, false), (.forAnyValue, false): return contextValues.contains(where: matchesAny)
        case (nil, true): return !contextValues.contains(where: matchesAny)
        case (.forAnyValue, true): return contextValues.contains { !matchesAny($0) }
        case (.forAllValues, false): return contextValues.allSatisfy(matchesAny)
        case (.forAllValues, true): return contextValues.allSatisfy { !matchesAny($0) }
        }
    }

    /// A condition value: as written, or with its policy variables substituted
    /// (then `*` and `?` from `${*}` / `${?}` are literal).
    enum PolicyValue {
        case plain(String)
        case resolved([Wildcard.Token])

        var literal: String {
            switch self {
            case .plain(let text): return text
            case .resolved(let tokens): return String(String.UnicodeScalarView(tokens.map(\.scalar)))
            }
        }

        var tokens: [Wildcard.Token] {
            switch self {
            case .plain(let text): return Wildcard.tokens(text)
            case .resolved(let tokens): return tokens
            }
        }
    }

    /// One policy value against one request value, for a positive operator.
    static func compare(_ base: ConditionOperator.Base, policy: PolicyValue, context value: String) -> Bool {
        if case .plain(let text) = policy {
            switch base {
            case .stringEquals: return text.utf8.elementsEqual(value.utf8)
            case .stringLike: return Wildcard.matchesBytes(text, value)
            case .bool:
                return text.lowercased() == value.lowercased() && ["true", "false"].contains(value.lowercased())
            default: break
            }
        }
        let literal = policy.literal
        let tokens = policy.tokens
        switch base {
        // Exact means byte for byte: Swift's == would equate é with e + U+0301.
        case .stringEquals: return literal.utf8.elementsEqual(value.utf8)
        case .stringEqualsIgnoreCase: return literal.lowercased().utf8.elementsEqual(value.lowercased().utf8)
        case .stringLike: return Wildcard.matches(tokens, Array(value.unicodeScalars))
        case .numericEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals:
            guard let p = ConditionValues.number(literal), let c = ConditionValues.number(value) else { return false }
            return ordered(base, c, p)
        case .dateEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            guard let p = ConditionValues.date(literal), let c = ConditionValues.date(value) else { return false }
            return ordered(base, c, p)
        case .bool:
            return literal.lowercased() == value.lowercased() && ["true", "false"].contains(value.lowercased())
        case .binaryEquals:
            guard let p = Data(base64Encoded: literal), let c = Data(base64Encoded: value) else { return false }
            return p == c
        case .ipAddress:
            guard let network = ConditionValues.network(literal), let address = ConditionValues.network(value) else {
                return false
            }
            return network.contains(address)
        case .arnEquals, .arnLike:
            return arnMatches(tokens, value)
        default:
            return false
        }
    }

    /// Compares `context` (left) with `policy` (right) for an ordering operator.
    static func ordered(_ base: ConditionOperator.Base, _ context: Double, _ policy: Double) -> Bool {
        switch base {
        case .numericEquals, .dateEquals: return context == policy
        case .numericLessThan, .dateLessThan: return context < policy
        case .numericLessThanEquals, .dateLessThanEquals: return context <= policy
        case .numericGreaterThan, .dateGreaterThan: return context > policy
        case .numericGreaterThanEquals, .dateGreaterThanEquals: return context >= policy
        default: return false
        }
    }

    /// ARN operators compare each of the six colon-separated parts on its own,
    /// with wildcards allowed in each part of the policy value.
    static func arnMatches(_ tokens: [Wildcard.Token], _ value: String) -> Bool {
        let valueParts = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard valueParts.count == 6, valueParts[0] == "arn" else { return false }
        var patternParts: [[Wildcard.Token]] = [[]]
        for token in tokens {
            if token == .literal(":"), patternParts.count < 6 {
                patternParts.append([])
            } else {
                patternParts[patternParts.count - 1].append(token)
            }
        }
        guard patternParts.count == 6 else { return false }
        return zip(patternParts, valueParts).allSatisfy { Wildcard.matches($0, Array($1.unicodeScalars)) }
    }
}

extension Wildcard.Token {
    /// The character a token stands for when compared literally.
    var scalar: Unicode.Scalar {
        switch self {
        case .literal(let scalar): return scalar
        case .anyOne: return "?"
        case .anyRun: return "*"
        }
    }
}
