import KBDiagnostics
import KBPolicy

extension Rule {
    public static let policyAudienceClaim = Rule(
        "policy-audience-claim", .note,
        summary: "An OIDC provider's `aud` claim is compared with a set qualifier.",
        why:
            "Providers differ: `aud` may hold one value or several. With ForAllValues a token without the claim also passes.",
        fix: "Check the provider's token: compare a single-valued `aud` without a qualifier.",
        example:
            "confirm that this identity provider's 'aud' claim is multivalued: if it holds one value, compare it without ForAnyValue"
    )

    public static let policyNullQualifier = Rule(
        "policy-null-qualifier", .note,
        summary: "`ForAllValues:Null` or `ForAnyValue:Null`.",
        why: "With a set qualifier Null is always true (ForAllValues) or always false (ForAnyValue).",
        fix: "Use `Null` on its own (the finding carries the fix).",
        example: "ForAllValues:Null is always true; use Null on its own")

    public static let policyMissingQualifier = Rule(
        "policy-missing-qualifier", .error,
        summary:
            "A multivalued key (type `ArrayOf…`, such as `aws:TagKeys`) is compared without `ForAnyValue:` or `ForAllValues:`.",
        why:
            "A request can carry several values for the key; without a set qualifier it is unclear whether one or all must match, and Access Analyzer reports an error.",
        fix:
            "Use `ForAnyValue:` when one matching value is enough, `ForAllValues:` when every value must be in the list (and pair it with a Null check if the key must be present).",
        example:
            "'aws:TagKeys' can have several values in one request: say how to compare them with ForAnyValue:StringEquals (any value matches) or ForAllValues:StringEquals (every value matches)"
    )

    public static let policyDuplicateConditionKey = Rule(
        "policy-duplicate-condition-key", .error,
        summary: "One operator block names a condition key twice in different case.",
        why:
            "Key names ignore case, so the two collide: AWS refuses the policy, and which value applies is anyone's guess.",
        fix: "Keep one spelling and merge the values into one list.",
        example:
            "'AWS:PrincipalTag/Team' repeats 'aws:PrincipalTag/team' in another case; condition keys ignore case, so write it once"
    )

    public static let policyConditionKeyFormat = Rule(
        "policy-condition-key-format", .error,
        summary: "A condition key has no `service:` prefix, or a tag key (`aws:ResourceTag`) has no tag name after it.",
        why: "IAM refuses the policy; a condition on such a key could never hold.",
        fix: "Write the key as `service:name`, and tag keys with the tag's name: `aws:ResourceTag/Project`.",
        example: "'aws:ResourceTag' needs the tag's key after a slash, e.g. aws:ResourceTag/Project")

    public static let policyConditionKeyUnknown = Rule(
        "policy-condition-key-unknown", .error,
        summary:
            "A condition key is neither a global `aws:` key nor a condition key of any service in the catalogue (past versions included), or is `aws:ARN`.",
        why:
            "No request carries an unknown key: a positive operator on it never holds, so an Allow grants nothing and a Deny never applies; a typo such as `aws:PrincipleTag` silently turns a guard off.",
        fix:
            "Correct the key name, e.g. `aws:PrincipalTag/team`, `kms:ViaService`, `s3:x-amz-server-side-encryption-aws-kms-key-id`.",
        example: "'aws:PrincipleTag/team' is not a global condition key")

    public static let policyConditionKeyUnused = Rule(
        "policy-condition-key-unused", .warning,
        summary:
            "A service condition key (not `aws:`) applies to none of the statement's actions of that service (keys a role session carries to other services, such as `lambda:SourceFunctionArn`, excepted).",
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
        "policy-condition-type", .warning,
        summary:
            "A condition operator does not fit its key's type, e.g. `StringEquals` on the IP address key `aws:SourceIp`, or `StringLike` on an ARN key (Arn operators on String keys pass: AWS accepts them).",
        why:
            "The comparison does not do what the author meant: a string match on `aws:SourceIp` ignores CIDR ranges and matches almost nothing, leaving a Deny ineffective or an Allow unusable.",
        fix:
            "Use an operator of the family the note names: `IpAddress` for `aws:SourceIp`, `Bool` for `aws:SecureTransport`, `Arn*` or `String*` for ARN keys, `Date*` or `Numeric*` for dates.",
        example: "StringEquals compares String values, but 'aws:SourceIp' is of type IPAddress")

    public static let policyConditionValue = Rule(
        "policy-condition-value", .warning,
        summary:
            "A condition value cannot be compared by its operator: not a number, date, IP address or CIDR, boolean, base64 or ARN as the operator needs; or a date in epoch seconds.",
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
        summary: "`ForAllValues:` is used with a single-valued condition key.",
        why:
            "Set operators are for multivalued keys. `ForAllValues` also holds when the key is missing, so an Allow meant to require `kms:ViaService` grants requests without it.",
        fix: "Drop the qualifier (the finding carries the fix): `StringEquals`, not `ForAllValues:StringEquals`.",
        example:
            "ForAllValues is for multivalued keys, but 'kms:ViaService' has a single value; with it the condition also holds when the key is missing"
    )
}

extension PolicyLinter {
    /// Which operator families a key type accepts (Null accepts every type). AWS
    /// accepts Arn operators on String keys (`kms:EncryptionContext:aws:s3:arn`,
    /// `aws:RequestTag/…` holding ARNs); String operators on ARN keys are checked
    /// separately, since the analyzer asks for Arn only for the Like forms.
    static func accepts(_ family: ConditionOperator.Base.Family, type: String, key: String) -> Bool {
        let base = type.hasPrefix("ArrayOf") ? String(type.dropFirst("ArrayOf".count)) : type
        switch family {
        case .null: return true
        case .string: return base == "String" || base == "ARN"
        case .arn: return base == "ARN" || base == "String"
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
        checkKeyCase(statement)
        for condition in statement.conditions {
            guard let op = condition.op else {
                reportUnknownOperator(condition)
                continue
            }
            let key = condition.key
            if placeholders(in: key, meaning: "a condition key") { continue }
            for value in condition.values { _ = placeholders(in: value, meaning: "a value for \(key.value)") }
            checkEmptyValues(condition, op: op)
            guard let type = keyType(condition) else { continue }
            if !Self.accepts(op.base.family, type: type, key: key.value) {
                let expected = Self.operatorFamily(for: type)
                report(
                    .warning, .policyConditionType,
                    "\(op.base.rawValue) compares \(op.base.family.rawValue) values, but '\(key.value)' is of type \(type)",
                    at: condition.operatorName.range, related: [(key.range, "'\(key.value)' is declared here")],
                    notes: [
                        "use a\(expected.hasPrefix("A") || expected.hasPrefix("I") ? "n" : "") \(expected) operator"
                    ])
            } else if type.hasSuffix("ARN"), op.base == .stringLike || op.base == .stringNotLike {
                let arn = op.base == .stringLike ? "ArnLike" : "ArnNotLike"
                report(
                    .warning, .policyConditionType,
                    "'\(key.value)' holds ARNs: compare it with \(arn), which matches each ARN field on its own, rather than \(op.base.rawValue)",
                    at: condition.operatorName.range, related: [(key.range, "'\(key.value)' is of type \(type)")])
            }
            checkValues(condition, op: op)
            checkValueFormats(condition, op: op)
            checkQualifier(condition, op: op, type: type)
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
        checkConditionContext(statement, actions: actions)
    }

    /// `NullIfExists` and misspellings: an operator IAM does not know.
    mutating func reportUnknownOperator(_ condition: Condition) {
        let name = condition.operatorName.value
        let bare = name.split(separator: ":").last.map(String.init) ?? name
        if bare == "NullIfExists" {
            report(
                .error, .policyConditionOperator,
                "Null cannot take the IfExists suffix: Null itself tests whether the key is there",
                at: condition.operatorName.range,
                fix: (condition.operatorName.range, "\"Null\"", "use 'Null'"))
            return
        }
        let all = ConditionOperator.allNames
        let suggestion = all.first { $0.lowercased() == name.lowercased() } ?? Suggestion.closest(to: bare, in: all)
        report(
            .error, .policyConditionOperator,
            "unknown condition operator '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
            at: condition.operatorName.range,
            fix: suggestion.map { (condition.operatorName.range, "\"\($0)\"", "use '\($0)'") },
            notes: ["a condition with an unknown operator never matches"])
    }

    /// One operator block naming a key twice in different case: key names are
    /// case-insensitive, so the two collide (Access Analyzer's "Duplicate keys with
    /// different case").
    mutating func checkKeyCase(_ statement: Statement) {
        var seen: [String: Located<String>] = [:]
        for condition in statement.conditions {
            let slot = "\(condition.operatorName.range.lowerBound) \(condition.key.value.lowercased())"
            if let earlier = seen[slot], earlier.value != condition.key.value {
                report(
                    .error, .policyDuplicateConditionKey,
                    "'\(condition.key.value)' repeats '\(earlier.value)' in another case; condition keys ignore case, so write it once",
                    at: condition.key.range, related: [(earlier.range, "'\(earlier.value)' is here")])
            } else {
                seen[slot] = condition.key
            }
        }
    }

    /// The key's type, after checking its format and that it exists; nil when it
    /// cannot be checked further.
    mutating func keyType(_ condition: Condition) -> String? {
        let key = condition.key
        let lowered = key.value.lowercased()
        guard let colon = lowered.firstIndex(of: ":"), colon != lowered.startIndex,
            colon != lowered.index(before: lowered.endIndex)
        else {
            report(
                .error, .policyConditionKeyFormat,
                "'\(key.value)' is not a condition key: keys are written service:name, e.g. aws:SourceIp",
                at: key.range)
            return nil
        }
        for tagKey in ["resourcetag", "requesttag", "principaltag"]
        where lowered.hasSuffix(":" + tagKey) || lowered.hasSuffix(":" + tagKey + "/") {
            report(
                .error, .policyConditionKeyFormat,
                "'\(key.value)' needs the tag's key after a slash, e.g. \(key.value.hasSuffix("/") ? key.value : key.value + "/")Project",
                at: key.range)
            return nil
        }
        if lowered == "aws:arn" {
            report(
                .error, .policyConditionKeyUnknown,
                "aws:ARN is not supported: compare the caller with aws:PrincipalArn, or the calling resource with aws:SourceArn",
                at: key.range)
            return nil
        }
        if let global = GlobalConditionKeys.type(of: key.value) { return global }
        let prefix = String(lowered[..<colon])
        if prefix == "aws" {
            report(
                .error, .policyConditionKeyUnknown,
                "'\(key.value)' is not a global condition key",
                at: key.range, notes: ["a key that no request carries makes positive operators false"])
            return nil
        }
        if let known = catalogue.conditionKey(key.value) {
            if let retired = known.retired {
                report(
                    .warning, .policyRetired,
                    "'\(key.value)' is retired since \(retired): the Service Authorization Reference no longer lists it",
                    at: key.range, notes: ["requests no longer carry it, so positive operators on it are false"])
            }
            return known.type
        }
        // Web identity providers' keys (token.actions.githubusercontent.com:sub).
        if prefix.contains(".") || prefix == "saml" { return "String" }
        report(
            .error, .policyConditionKeyUnknown,
            catalogue.service(prefix) == nil
                ? "'\(key.value)' names no service: '\(prefix)' is not a service prefix"
                : "'\(key.value)' is not a condition key of \(catalogue.service(prefix)?.name ?? prefix)",
            at: key.range, notes: ["a key that no request carries makes positive operators false"])
        return nil
    }

    /// Set qualifiers against the key's kind (Access Analyzer's "Missing qualifier",
    /// "ForAllValues with single valued key" and "Null with qualifier").
    mutating func checkQualifier(_ condition: Condition, op: ConditionOperator, type: String) {
        let key = condition.key
        if op.base == .null {
            if let qualifier = op.qualifier {
                report(
                    .note, .policyNullQualifier,
                    "\(qualifier.rawValue):Null is always \(qualifier == .forAllValues ? "true" : "false"); use Null on its own",
                    at: condition.operatorName.range,
                    fix: (condition.operatorName.range, "\"Null\"", "drop '\(qualifier.rawValue):'"))
            }
            return
        }
        if op.qualifier == nil, type.hasPrefix("ArrayOf") {
            report(
                .error, .policyMissingQualifier,
                "'\(key.value)' can have several values in one request: say how to compare them with ForAnyValue:\(op) (any value matches) or ForAllValues:\(op) (every value matches)",
                at: condition.operatorName.range, related: [(key.range, "'\(key.value)' is of type \(type)")])
        }
        if op.qualifier == .forAllValues, !type.hasPrefix("ArrayOf") {
            report(
                .warning, .policyForAllValuesSingle,
                "ForAllValues is for multivalued keys, but '\(key.value)' has a single value; with it the condition also holds when the key is missing",
                at: condition.operatorName.range,
                fix: (
                    condition.operatorName.range, "\"\(ConditionOperator(base: op.base, ifExists: op.ifExists))\"",
                    "drop 'ForAllValues:'"
                ))
        }
        if op.qualifier != nil, let colon = key.value.lastIndex(of: ":"),
            key.value[key.value.index(after: colon)...] == "aud",
            key.value[..<colon].contains(".")
        {
            report(
                .note, .policyAudienceClaim,
                "confirm that this identity provider's 'aud' claim is multivalued: if it holds one value, compare it without \(op.qualifier!.rawValue)",
                at: condition.operatorName.range)
        }
    }

    /// Keys one service puts on the requests a role session it delivered makes to
    /// other services (IAM's "properties of the role session" keys): they belong to
    /// the calling service, not to the actions they guard.
    static let roleSessionKeys: Set<String> = [
        "ec2:roledelivery", "ec2:sourceinstancearn", "glue:roleassumedby", "glue:credentialissuingservice",
        "lambda:sourcefunctionarn", "ssm:sourceinstancearn", "identitystore:userid",
    ]

    static func operatorFamily(for type: String) -> String {
        let base = type.hasPrefix("ArrayOf") ? String(type.dropFirst("ArrayOf".count)) : type
        switch base {
        case "ARN": return "Arn"
        case "Numeric": return "Numeric"
        case "Date": return "Date"
        case "Bool": return "Bool"
        case "IPAddress": return "IpAddress"
        default: return "String"
        }
    }

    /// A service key (not aws:) that none of the statement's actions or their
    /// resource types declare: it will be absent from every request.
    mutating func checkKeyApplies(_ condition: Condition, actions: [ResolvedAction]?) {
        let key = condition.key.value
        // The text before the first colon (all of it without one), found on the bytes.
        let colon = key.utf8.firstIndex(of: UInt8(ascii: ":")) ?? key.endIndex
        let prefix = key[..<colon].lowercased()
        // Global keys apply everywhere; identity providers' keys (host:claim) are not catalogued per action.
        guard let actions, !actions.isEmpty, prefix != "aws", !prefix.utf8.contains(UInt8(ascii: ".")) else { return }
        // A role session's own keys (lambda:SourceFunctionArn, ec2:SourceInstanceARN)
        // come with every request its credentials sign, to any service, its own
        // included: IAM's SourceVpc example tests ec2:SourceInstanceARN with "Action": "*".
        if Self.roleSessionKeys.contains(key.lowercased()) { return }
        for action in actions where Self.supports(action, key: key) { return }
        let names = actions.map(\.value.value).joined(separator: ", ")
        report(
            .warning, .policyConditionKeyUnused,
            "'\(key)' applies to none of this statement's actions (\(names)), so requests never carry it",
            at: condition.key.range,
            notes: condition.op?.base.isNegated == true || condition.op?.ifExists == true
                ? ["with a negated or IfExists operator the condition always holds"] : ["the condition never holds"])
    }

    /// Whether any of the actions an action string names lists the key, itself or
    /// through one of its resource types.
    static func supports(_ action: ResolvedAction, key: String) -> Bool {
        action.actions.contains { info in
            info.conditionKeys.contains { ConditionKeyPattern.matches(template: $0, key: key) }
                || info.resourceTypes.contains { use in
                    action.service.resourceTypes[use.name]?.conditionKeys.contains {
                        ConditionKeyPattern.matches(template: $0, key: key)
                    } ?? false
                }
        }
    }
}
