import Foundation
import KBDiagnostics
import KBPolicy

extension Rule {
    public static let policyIrrelevantKey = Rule(
        "policy-irrelevant-key", .note,
        summary: "`s3:ResourceAccount` in a bucket policy.",
        why: "A bucket policy's resource is always in the bucket's account: the condition restricts nothing there.",
        fix: "Use the key in identity policies, to keep callers to buckets of known accounts.",
        example:
            "s3:ResourceAccount says nothing in a bucket policy (the bucket's account is its own); use it in identity policies"
    )

    public static let policyServicePrincipalKeyAdvice = Rule(
        "policy-service-principal-key-advice", .note,
        summary: "A statement for a service principal relies on `aws:Referer`.",
        why:
            "The Referer header is set by whoever sends the request; `aws:SourceArn` and `aws:SourceAccount` are set by AWS.",
        fix: "Restrict the service with `aws:SourceArn` or `aws:SourceAccount`.",
        example:
            "to restrict a service acting on your behalf, compare aws:SourceArn or aws:SourceAccount rather than aws:Referer"
    )

    public static let policyLikeAnyValue = Rule(
        "policy-like-any-value", .note,
        summary: "`StringLike` or `ArnLike` with the value `\"*\"`.",
        why: "It matches any value, so it only says the key is present: the Null operator says that plainly.",
        fix: "Write `{\"Null\": {\"KEY\": \"false\"}}`.",
        example:
            "StringLike '*' matches any value, so this only says 'aws:PrincipalTag/team' is present: write {\"Null\": {\"aws:PrincipalTag/team\": \"false\"}}"
    )

    public static let policyServicePrincipalSource = Rule(
        "policy-service-principal-source", .warning,
        summary:
            "A bucket or key policy allows a service principal without `aws:SourceArn`, `aws:SourceAccount` or their organization forms.",
        why:
            "The service acts for every customer: without naming the source, another account's use of the service can reach this resource (the confused deputy).",
        fix:
            "Add `aws:SourceAccount` (your account) or `aws:SourceArn` (the trail, distribution or queue that writes here).",
        example:
            "cloudtrail.amazonaws.com may act here for any AWS customer: name the source with aws:SourceArn or aws:SourceAccount"
    )

    public static let policyPairedConditionKey = Rule(
        "policy-paired-condition-key", .warning,
        summary: "`aws:VpcSourceIp` is tested without `aws:SourceVpc` or `aws:SourceVpce`.",
        why:
            "Private address ranges repeat across VPCs: the address alone admits the same range in any VPC, other accounts' included.",
        fix: "Add `aws:SourceVpc` (or `aws:SourceVpce`) to the same condition.",
        example:
            "aws:VpcSourceIp matches that address in any VPC: pair it with aws:SourceVpc (or aws:SourceVpce) in the same condition"
    )

    public static let policyTagKeyUnsupported = Rule(
        "policy-tag-key-unsupported", .warning,
        summary:
            "A tag condition key (`aws:ResourceTag/…`, `aws:RequestTag/…`, `aws:TagKeys`) with listed actions that do not carry it, or with NotAction (a warning in a Deny, a note in an Allow).",
        why:
            "For those actions the key is absent: an Allow never grants them, a Deny never denies them, whatever the resource's tags.",
        fix:
            "Move the actions to a statement without the tag condition, restricting them by resource name instead; list actions rather than NotAction.",
        example: "route53:DeleteHostedZone does not carry 'aws:ResourceTag/status', so this statement never denies it")

    public static let policyWildcardWithoutLike = Rule(
        "policy-wildcard-without-like", .warning,
        summary: "A `StringEquals`-family value contains `*` or `?`.",
        why:
            "Equals operators compare literally: `finance-*` matches only the text `finance-*`, so the condition almost never holds.",
        fix: "Use `StringLike` (or `StringNotLike`) if the characters are wildcards.",
        example:
            "StringEquals compares 'finance-*' literally, '*' and '?' included; if they are wildcards, use StringLike")

    public static let policyServicePrincipalKey = Rule(
        "policy-service-principal-key", .error,
        summary:
            "A statement for service principals only tests a key their requests never carry (`aws:PrincipalOrgID`, `aws:PrincipalTag/…`).",
        why: "The condition never holds for the service, so the grant it guards never works.",
        fix: "Restrict a service principal with `aws:SourceArn` or `aws:SourceAccount`.",
        example:
            "requests from a service principal do not carry 'aws:PrincipalOrgID': the condition never holds for cloudfront.amazonaws.com"
    )
}

extension PolicyLinter {
    /// Keys that describe an IAM caller, which a service principal's requests never
    /// carry (Access Analyzer's "Unsupported condition key for service principal").
    static let callerOnlyKeys: [String] = ["aws:principalorgid", "aws:principalorgpaths", "aws:principaltag/"]
    /// Keys that identify a service's calling resource: how to restrict a service principal.
    static let sourceKeys: Set<String> = [
        "aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths",
    ]
    /// The tag keys whose support varies by action.
    static func isTagKey(_ lowered: String) -> Bool {
        lowered.hasPrefix("aws:resourcetag/") || lowered.hasPrefix("aws:requesttag/") || lowered == "aws:tagkeys"
    }

    /// Checks that depend on the statement around a condition: its principal, its
    /// effect, its actions, its other keys.
    mutating func checkConditionContext(_ statement: Statement, actions: [ResolvedAction]?) {
        let keys = Set(statement.conditions.map { $0.key.value.lowercased() })
        let entries = statement.principal.map { $0.negated ? [] : $0.entries } ?? []
        let onlyServices = !entries.isEmpty && entries.allSatisfy { $0.type == .service }
        for condition in statement.conditions {
            guard let op = condition.op else { continue }
            let lowered = condition.key.value.lowercased()
            if onlyServices,
                Self.callerOnlyKeys.contains(where: { $0.hasSuffix("/") ? lowered.hasPrefix($0) : $0 == lowered })
            {
                report(
                    .error, .policyServicePrincipalKey,
                    "requests from a service principal do not carry '\(condition.key.value)': the condition never holds for \(entries.map(\.value.value).joined(separator: ", "))",
                    at: condition.key.range, notes: ["restrict a service with aws:SourceArn or aws:SourceAccount"])
            }
            if onlyServices, lowered == "aws:referer" {
                report(
                    .note, .policyServicePrincipalKeyAdvice,
                    "to restrict a service acting on your behalf, compare aws:SourceArn or aws:SourceAccount rather than aws:Referer",
                    at: condition.key.range)
            }
            if lowered == "s3:resourceaccount", input.kind == .bucket {
                report(
                    .note, .policyIrrelevantKey,
                    "s3:ResourceAccount says nothing in a bucket policy (the bucket's account is its own); use it in identity policies",
                    at: condition.key.range)
            }
            if lowered == "aws:vpcsourceip", statement.effect.value == .allow, !keys.contains("aws:sourcevpc"),
                !keys.contains("aws:sourcevpce")
            {
                report(
                    .warning, .policyPairedConditionKey,
                    "aws:VpcSourceIp matches that address in any VPC: pair it with aws:SourceVpc (or aws:SourceVpce) in the same condition",
                    at: condition.key.range)
            }
            checkWildcardValues(condition, op: op)
        }
        checkServicePrincipalSource(statement, entries: entries, onlyServices: onlyServices, keys: keys)
        checkTagKeys(statement, actions: actions)
    }

    /// `*` and `?` mean themselves under the Equals operators; under Like, a lone `*`
    /// matches any value, which is Null false said obliquely.
    mutating func checkWildcardValues(_ condition: Condition, op: ConditionOperator) {
        switch op.base {
        case .stringEquals, .stringNotEquals, .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase:
            for value in condition.values
            where Self.hasUnescapedWildcard(value.value) {
                let like = op.base.isNegated ? "StringNotLike" : "StringLike"
                report(
                    .warning, .policyWildcardWithoutLike,
                    "\(op.base.rawValue) compares '\(value.value)' literally, '*' and '?' included; if they are wildcards, use \(like)",
                    at: value.range)
            }
        case .stringLike, .arnLike:
            guard op.qualifier == nil, !op.ifExists, let star = condition.values.first(where: { $0.value == "*" })
            else {
                return
            }
            report(
                .note, .policyLikeAnyValue,
                "\(op.base.rawValue) '*' matches any value, so this only says '\(condition.key.value)' is present: write {\"Null\": {\"\(condition.key.value)\": \"false\"}}",
                at: star.range)
        default:
            break
        }
    }

    /// A resource policy allowing a service principal with nothing naming the
    /// source: any customer's use of that service could reach the resource
    /// (Access Analyzer's "Restrict access to service principal").
    mutating func checkServicePrincipalSource(
        _ statement: Statement, entries: [PrincipalEntry], onlyServices: Bool, keys: Set<String>
    ) {
        guard onlyServices, statement.effect.value == .allow, input.kind == .bucket || input.kind == .key,
            keys.isDisjoint(with: Self.sourceKeys)
        else { return }
        report(
            .warning, .policyServicePrincipalSource,
            "\(entries.map(\.value.value).joined(separator: ", ")) may act here for any AWS customer: name the source with aws:SourceArn or aws:SourceAccount",
            at: entries[0].value.range, notes: ["without one this is the confused deputy problem"])
    }

    /// Tag keys with actions that do not carry them: in an Allow those actions are
    /// never granted; in a Deny they are never denied (Access Analyzer's "… with
    /// unsupported tag condition key for service"). Wildcard actions are left out,
    /// as the analyzer does.
    mutating func checkTagKeys(_ statement: Statement, actions: [ResolvedAction]?) {
        let deny = statement.effect.value == .deny
        let tagConditions = statement.conditions.filter { condition in
            guard let op = condition.op, !op.ifExists, !op.base.isNegated, op.base != .null else { return false }
            return Self.isTagKey(condition.key.value.lowercased())
        }
        guard let first = tagConditions.first else { return }
        if let element = statement.actions, element.negated {
            report(
                deny ? .warning : .note, .policyTagKeyUnsupported,
                "with NotAction, '\(first.key.value)' only \(deny ? "denies" : "allows") the actions that carry it; the others, new ones included, are \(deny ? "not denied" : "never allowed"): list the actions instead",
                at: element.keyRange)
            return
        }
        guard let actions else { return }
        for condition in tagConditions {
            let unsupported = actions.filter {
                !$0.isWildcard && $0.actions.first?.retired == nil && !Self.supports($0, key: condition.key.value)
            }
            guard !unsupported.isEmpty else { continue }
            let names = unsupported.map(\.value.value)
            report(
                deny ? .warning : .note, .policyTagKeyUnsupported,
                "\(names.prefix(6).joined(separator: ", "))\(names.count > 6 ? ", …" : "") \(names.count == 1 ? "does" : "do") not carry '\(condition.key.value)', so this statement \(deny ? "never denies" : "never allows") \(names.count == 1 ? "it" : "them")",
                at: condition.key.range,
                related: unsupported.map { ($0.value.range, "'\($0.value.value)' has no '\(condition.key.value)'") },
                notes: ["move \(names.count == 1 ? "it" : "them") to a statement without this condition"])
        }
    }
}

extension PolicyLinter {
    /// Whether a value holds `*` or `?` other than in the escapes `${*}` and `${?}`.
    static func hasUnescapedWildcard(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") {
            let escaped =
                index >= 2 && index + 1 < bytes.count && bytes[index - 2] == UInt8(ascii: "$")
                && bytes[index - 1] == UInt8(ascii: "{") && bytes[index + 1] == UInt8(ascii: "}")
            if !escaped { return true }
        }
        return false
    }
}
