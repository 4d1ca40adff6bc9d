import KBDiagnostics
import KBPolicy

extension Rule {
    public static let policyConditionKeyUnknown = Rule(
        "policy-condition-key-unknown", .warning,
        summary: "A condition key is neither a global `aws:` key nor a condition key of any service in the catalogue.",
        why:
            "No request carries an unknown key: a positive operator on it never holds, so an Allow grants nothing and a Deny never applies; a typo such as `aws:PrincipleTag` silently turns a guard off.",
        fix:
            "Correct the key name, e.g. `aws:PrincipalTag/team`, `kms:ViaService`, `s3:x-amz-server-side-encryption-aws-kms-key-id`.",
        example: "'aws:PrincipleTag/team' is not a condition key of any service or a global aws: key")

    public static let policyConditionKeyUnused = Rule(
        "policy-condition-key-unused", .warning,
        summary: "A service condition key (not `aws:`) applies to none of the statement's actions.",
        why:
            "Requests for those actions never carry the key: with a positive operator the statement never applies, with a negated or IfExists operator the condition always holds and restricts nothing.",
        fix:
            "Put the condition on the statement whose actions carry the key (e.g. `kms:ViaService` with KMS actions in the key policy), or use a key those actions support.",
        example:
            "'kms:ViaService' applies to none of this statement's actions (s3:GetObject), so requests never carry it")

    public static let policyConditionOperator = Rule(
        "policy-condition-operator", .error,
        summary: "A condition operator is not one IAM defines (operators are case-sensitive).",
        why:
            "AWS rejects the policy as malformed, so the step that applies it fails; a condition with an unknown operator could never match anyway.",
        fix:
            "Use the suggested operator with its exact spelling, e.g. `StringEquals`, `ArnLike`, `ForAnyValue:StringLike`, `BoolIfExists`.",
        example: "unknown condition operator 'StringEqualz'; did you mean 'StringEquals'?")

    public static let policyConditionType = Rule(
        "policy-condition-type", .error,
        summary:
            "A condition operator does not fit its key's type, e.g. `StringEquals` on the IP address key `aws:SourceIp`.",
        why:
            "The comparison does not do what the author meant: a string match on `aws:SourceIp` ignores CIDR ranges and matches almost nothing, leaving a Deny ineffective or an Allow unusable.",
        fix:
            "Use an operator of the family the note names: `IpAddress` for `aws:SourceIp`, `Bool` for `aws:SecureTransport`, `Arn*` or `String*` for ARN keys, `Date*` or `Numeric*` for dates.",
        example: "StringEquals compares String values, but 'aws:SourceIp' is of type IPAddress")

    public static let policyConditionValue = Rule(
        "policy-condition-value", .error,
        summary:
            "A condition value cannot be compared by its operator: not a number, date, IP address or CIDR, boolean or ARN as the operator needs.",
        why:
            "AWS usually accepts the policy, but the value never compares as intended, so a guard such as a source-network Deny or an expiry date does nothing.",
        fix:
            "Write the value in the operator's format: digits for Numeric, ISO 8601 (`2026-01-31T00:00:00Z`) or epoch seconds for Date, `true`/`false` for Bool and Null, `203.0.113.0/24` for IpAddress, a full ARN for Arn.",
        example:
            "'tomorrow' is not a date (use ISO 8601 such as 2026-01-31T00:00:00Z, or epoch seconds) for DateLessThan")

    public static let policyNullRedundant = Rule(
        "policy-null-redundant", .note,
        summary:
            "A `Null` check for `false` on a key that another positive condition of the statement already requires.",
        why:
            "A positive operator (not IfExists) already fails when the key is missing, so the check only lengthens the policy and suggests a protection it does not add.",
        fix:
            "Delete the `Null` condition. It is only useful with negated or IfExists operators, which kbtool does not flag.",
        example:
            "this Null check only restates that 'aws:PrincipalTag/team' is present, which the statement's other condition on it already requires"
    )

    public static let policyForAllValuesSingle = Rule(
        "policy-set-operator-single-valued", .warning,
        summary: "`ForAllValues:` or `ForAnyValue:` is used with a single-valued condition key.",
        why:
            "Set operators are for multivalued keys. `ForAllValues` also holds when the key is missing, so an Allow meant to require `kms:ViaService` grants requests without it.",
        fix: "Drop the qualifier (the finding carries the fix): `StringEquals`, not `ForAllValues:StringEquals`.",
        example:
            "ForAllValues is for multivalued keys, but 'kms:ViaService' has a single value; with it the condition also holds when the key is missing"
    )
}

extension PolicyLinter {
    /// Which operator families a key type accepts (Null accepts every type).
    static func accepts(_ family: ConditionOperator.Base.Family, type: String, key: String) -> Bool {
        let base = type.hasPrefix("ArrayOf") ? String(type.dropFirst("ArrayOf".count)) : type
        switch family {
        case .null: return true
        case .string: return base == "String" || base == "ARN"
        case .arn: return base == "ARN"
        // Date keys also hold epoch seconds, compared with Numeric operators
        // (kms:ValidTo in kms/conditions-kms.md).
        case .numeric: return base == "Numeric" || base == "Date"
        case .date: return base == "Date"
        case .bool: return base == "Bool"
        case .ip: return base == "IPAddress"
        case .binary: return base == "Binary" || base == "String"
        }
    }

    mutating func checkConditions(_ statement: Statement, actions: [ResolvedAction]?) {
        var positiveKeys: Set<String> = []
        for condition in statement.conditions {
            guard let op = condition.op, op.base != .null, !op.ifExists, !op.base.isNegated else { continue }
            positiveKeys.insert(condition.key.value.lowercased())
        }
        for condition in statement.conditions {
            guard let op = condition.op else {
                let name = condition.operatorName.value
                let all = ConditionOperator.allNames
                let suggestion =
                    all.first { $0.lowercased() == name.lowercased() }
                    ?? Suggestion.closest(to: name.split(separator: ":").last.map(String.init) ?? name, in: all)
                report(
                    .error, .policyConditionOperator,
                    "unknown condition operator '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                    at: condition.operatorName.range,
                    fix: suggestion.map { (condition.operatorName.range, "\"\($0)\"", "use '\($0)'") },
                    notes: ["a condition with an unknown operator never matches"])
                continue
            }
            let key = condition.key
            if placeholders(in: key, meaning: "a condition key") { continue }
            for value in condition.values { _ = placeholders(in: value, meaning: "a value for \(key.value)") }
            guard let type = catalogue.conditionKeyType(key.value) else {
                report(
                    .warning, .policyConditionKeyUnknown,
                    "'\(key.value)' is not a condition key of any service or a global aws: key",
                    at: key.range, notes: ["a key that no request carries makes positive operators false"])
                continue
            }
            if !Self.accepts(op.base.family, type: type, key: key.value) {
                let expected = Self.operatorFamily(for: type)
                report(
                    .error, .policyConditionType,
                    "\(op.base.rawValue) compares \(op.base.family.rawValue) values, but '\(key.value)' is of type \(type)",
                    at: condition.operatorName.range, related: [(key.range, "'\(key.value)' is declared here")],
                    notes: [
                        "use a\(expected.hasPrefix("A") || expected.hasPrefix("I") ? "n" : "") \(expected) operator"
                    ])
            }
            checkValues(condition, op: op)
            if let qualifier = op.qualifier, !type.hasPrefix("ArrayOf") {
                report(
                    .warning, .policyForAllValuesSingle,
                    "\(qualifier.rawValue) is for multivalued keys, but '\(key.value)' has a single value"
                        + (qualifier == .forAllValues
                            ? "; with it the condition also holds when the key is missing" : ""),
                    at: condition.operatorName.range,
                    fix: (
                        condition.operatorName.range, "\"\(ConditionOperator(base: op.base, ifExists: op.ifExists))\"",
                        "drop '\(qualifier.rawValue):'"
                    ))
            }
            if op.base == .null, condition.values.allSatisfy({ $0.value.lowercased() == "false" }),
                positiveKeys.contains(key.value.lowercased())
            {
                report(
                    .note, .policyNullRedundant,
                    "this Null check only restates that '\(key.value)' is present, which the statement's other condition on it already requires",
                    at: condition.operatorName.range)
            }
            checkKeyApplies(condition, actions: actions)
        }
    }

    static func operatorFamily(for type: String) -> String {
        let base = type.hasPrefix("ArrayOf") ? String(type.dropFirst("ArrayOf".count)) : type
        switch base {
        case "ARN": return "Arn or String"
        case "Numeric": return "Numeric"
        case "Date": return "Date"
        case "Bool": return "Bool"
        case "IPAddress": return "IpAddress"
        default: return "String"
        }
    }

    /// Values the operator cannot compare: a malformed date, number, address or boolean.
    mutating func checkValues(_ condition: Condition, op: ConditionOperator) {
        for value in condition.values where !value.value.contains("${") {
            let text = value.value
            let problem: String?
            switch op.base.family {
            case .numeric:
                problem = Double(text) == nil ? "'\(text)' is not a number" : nil
            case .date:
                problem =
                    Self.isDate(text)
                    ? nil : "'\(text)' is not a date (use ISO 8601 such as 2026-01-31T00:00:00Z, or epoch seconds)"
            case .bool:
                problem = ["true", "false"].contains(text.lowercased()) ? nil : "'\(text)' is not true or false"
            case .ip:
                problem = Self.isNetwork(text) ? nil : "'\(text)' is not an IP address or CIDR block"
            case .null:
                problem =
                    ["true", "false"].contains(text.lowercased())
                    ? nil : "Null takes true (key absent) or false (key present)"
            case .arn:
                problem = text.hasPrefix("arn:") || text == "*" ? nil : "'\(text)' is not an ARN"
            default:
                problem = nil
            }
            if let problem {
                report(.error, .policyConditionValue, problem + " for \(op.base.rawValue)", at: value.range)
            }
        }
    }

    static func isDate(_ text: String) -> Bool {
        let evaluation = EvaluationProbe.date(text)
        return evaluation
    }

    static func isNetwork(_ text: String) -> Bool { EvaluationProbe.network(text) }

    /// A service key (not aws:) that none of the statement's actions or their
    /// resource types declare: it will be absent from every request.
    mutating func checkKeyApplies(_ condition: Condition, actions: [ResolvedAction]?) {
        let key = condition.key.value
        // Global keys apply everywhere; identity providers' keys (host:claim) are not catalogued per action.
        guard let actions, !actions.isEmpty, !key.lowercased().hasPrefix("aws:"),
            !(key.split(separator: ":").first?.contains(".") ?? false)
        else { return }
        for action in actions {
            for info in action.actions {
                if info.conditionKeys.contains(where: { ConditionKeyPattern.matches(template: $0, key: key) }) {
                    return
                }
                for use in info.resourceTypes {
                    if let type = action.service.resourceTypes[use.name],
                        type.conditionKeys.contains(where: { ConditionKeyPattern.matches(template: $0, key: key) })
                    {
                        return
                    }
                }
            }
        }
        let names = actions.map(\.value.value).joined(separator: ", ")
        report(
            .warning, .policyConditionKeyUnused,
            "'\(key)' applies to none of this statement's actions (\(names)), so requests never carry it",
            at: condition.key.range,
            notes: condition.op?.base.isNegated == true || condition.op?.ifExists == true
                ? ["with a negated or IfExists operator the condition always holds"] : ["the condition never holds"])
    }
}
