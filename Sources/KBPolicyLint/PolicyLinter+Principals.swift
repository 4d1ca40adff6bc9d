import KBDiagnostics
import KBPolicy

extension Rule {
    public static let policyPrincipalID = Rule(
        "policy-principal-id", .warning,
        summary: "A principal is an IAM role's or user's unique id (`AROA…`, `AIDA…`) rather than its ARN.",
        why:
            "IAM shows ids for principals that were deleted; a new role or user with the same name gets a new id, and the policy no longer names it.",
        fix: "Write the role's or user's ARN.",
        example: "'AROAEXAMPLEID1234567' is an IAM role's unique id: write its ARN")

    public static let policyAllowNotPrincipal = Rule(
        "policy-allow-not-principal", .warning,
        summary: "An Allow statement uses `NotPrincipal`.",
        why:
            "It grants the actions to every principal except those listed, in every account and anonymous callers included, which is never what a cross-account grant means.",
        fix:
            "Name the principals to allow in `Principal`. To exclude callers, use a Deny with a condition on `aws:PrincipalArn` instead.",
        example:
            "Allow with NotPrincipal grants access to every principal except those listed, anonymous users included; AWS's NotPrincipal page calls it unsupported"
    )

    public static let policyMissingPrincipal = Rule(
        "policy-missing-principal", .error,
        summary: "A statement in a bucket, key or trust policy or an RCP has neither `Principal` nor `NotPrincipal`.",
        why:
            "A resource policy must say whom it applies to; AWS rejects the statement, and one that got through would match nobody.",
        fix:
            "Add `Principal`, e.g. `{\"AWS\": \"arn:aws:iam::444455556666:role/ReportWriter\"}`; if the block is an identity policy, label it `kind=identity-policy`.",
        example: "a statement in a bucket policy needs a 'Principal'; without one it applies to nobody")

    public static let policyPrincipalFormat = Rule(
        "policy-principal-format", .error,
        summary:
            "A principal is malformed: a wildcard inside an ARN, neither an account id nor an IAM or STS ARN, a bad service principal or canonical user id, a federated provider outside a trust policy or not a provider, `\"*\"` in a trust policy.",
        why:
            "AWS rejects the policy or the principal matches nobody; `arn:aws:iam::ACCOUNT:role/*` reads as every role, but principal ARNs take no wildcards.",
        fix:
            "Name an account id or a role or user ARN; to match several roles use `{\"AWS\": \"*\"}` with an `ArnLike` condition on `aws:PrincipalArn` and `aws:PrincipalAccount`.",
        example: "wildcards are not allowed inside a principal ARN: 'arn:aws:iam::444455556666:role/*' matches nothing")

    public static let policyPrincipalNotAllowed = Rule(
        "policy-principal-not-allowed", .error,
        summary: "An identity policy or SCP has `Principal` or `NotPrincipal`, or a trust policy uses `NotPrincipal`.",
        why:
            "AWS rejects the policy: an identity policy applies to whoever it is attached to. The block is often a resource policy whose kind came from a misleading title or `kind=`.",
        fix:
            "Remove the element, or label the block with its real kind (`kind=bucket-policy`, `kind=key-policy`, `kind=trust-policy`).",
        example: "an identity policy cannot have 'Principal': it applies to whoever it is attached to")

    public static let policyPublicPrincipal = Rule(
        "policy-public-principal", .warning,
        summary:
            "An Allow in a bucket or key policy has `Principal: \"*\"` and no condition that narrows who can match.",
        why:
            "The statement grants its actions to every AWS account and, for S3, to anonymous callers: the bucket becomes public, the key usable by any AWS principal.",
        fix:
            "Name the accounts or roles, or keep `\"*\"` with a positive condition on `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn` or `kms:CallerAccount`.",
        example:
            "Principal \"*\" without a condition that narrows it grants this to anyone, in any account, anonymous users included"
    )
}

extension PolicyLinter {
    /// Condition keys that narrow `Principal: "*"` to known callers.
    static let narrowingKeys: Set<String> = [
        "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:sourcearn",
        "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourcevpce", "aws:sourcevpc", "aws:sourceip",
        "aws:userid", "aws:username", "kms:calleraccount", "kms:viaservice", "aws:principalservicename",
        // Delegation to access points: only requests through the named access points
        // (whose own policies decide who) match.
        "s3:dataaccesspointaccount", "s3:dataaccesspointarn",
    ]

    /// Whether a condition limits who can match: a positive test (not negated, not
    /// IfExists, not ForAllValues) of a key that identifies the caller or its source.
    static func narrows(_ condition: Condition) -> Bool {
        guard let op = condition.op, !op.base.isNegated, !op.ifExists, op.qualifier != .forAllValues, op.base != .null
        else { return false }
        return narrowingKeys.contains(condition.key.value.lowercased())
    }

    mutating func checkPrincipal(_ statement: Statement) {
        let kind = input.kind
        guard let principal = statement.principal else {
            if kind.needsPrincipal {
                report(
                    .error, .policyMissingPrincipal,
                    "a statement in a \(kind.displayName) needs a 'Principal'; without one it applies to nobody",
                    at: head(statement))
            }
            return
        }
        if !kind.allowsPrincipal {
            report(
                .error, .policyPrincipalNotAllowed,
                "a\(kind == .identity ? "n" : "") \(kind.displayName) cannot have '\(principal.negated ? "NotPrincipal" : "Principal")': it applies to whoever it is attached to",
                at: principal.keyRange,
                notes: kind == .identity
                    ? [
                        "if this is a resource policy, say so with kind=bucket-policy, kind=key-policy or kind=trust-policy"
                    ] : [])
            return
        }
        if principal.negated && kind == .trust {
            report(
                .error, .policyPrincipalNotAllowed,
                "a trust policy cannot use 'NotPrincipal': name who may assume the role in 'Principal'",
                at: principal.keyRange)
            return
        }
        if principal.negated && statement.effect.value == .allow {
            report(
                .warning, .policyAllowNotPrincipal,
                "Allow with NotPrincipal grants access to every principal except those listed, anonymous users included; AWS's NotPrincipal page calls it unsupported",
                at: principal.keyRange, notes: ["name the principals to allow in 'Principal' instead"])
        }
        for entry in principal.entries {
            checkPrincipalEntry(entry)
        }
        if kind == .trust, !principal.negated, principal.isWildcard {
            let range = principal.entries.first { $0.value.value == "*" }?.value.range ?? principal.keyRange
            report(
                .error, .policyPrincipalFormat,
                "a role trust policy cannot trust \"*\": name the accounts, roles, services or identity providers that may assume the role",
                at: range, notes: ["to admit several roles, trust their account and narrow with aws:PrincipalArn"])
        }
        if statement.effect.value == .allow, !principal.negated, principal.isWildcard, kind == .bucket || kind == .key,
            !statement.conditions.contains(where: Self.narrows)
        {
            let range = principal.entries.first { $0.value.value == "*" }?.value.range ?? principal.keyRange
            report(
                .warning, .policyPublicPrincipal,
                "Principal \"*\" without a condition that narrows it grants this to anyone, in any account, anonymous users included",
                at: range,
                notes: [
                    "name the accounts or roles, or add a condition on aws:PrincipalOrgID, aws:PrincipalAccount or aws:SourceArn"
                ])
        }
    }

    mutating func checkPrincipalEntry(_ entry: PrincipalEntry) {
        let value = entry.value
        if placeholders(in: value, meaning: "a principal: an account id or an IAM role or user ARN") { return }
        switch entry.type {
        case .any:
            return
        case .aws:
            if value.value == "*" || ARN.isAccountID(value.value) { return }
            // The legacy CloudFront origin access identity principal.
            if value.value.hasPrefix("arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ") { return }
            if value.value.contains("*") || value.value.contains("?") {
                report(
                    .error, .policyPrincipalFormat,
                    "wildcards are not allowed inside a principal ARN: '\(value.value)' matches nothing",
                    at: value.range,
                    notes: [
                        "use \"Principal\": {\"AWS\": \"*\"} with an ArnLike condition on aws:PrincipalArn to match several roles"
                    ])
                return
            }
            if Self.isUniqueID(value.value) {
                report(
                    .warning, .policyPrincipalID,
                    "'\(value.value)' is an IAM \(value.value.hasPrefix("AROA") ? "role" : "user")'s unique id: write its ARN; IAM keeps the id only while that \(value.value.hasPrefix("AROA") ? "role" : "user") exists, and a new one by the same name gets another",
                    at: value.range)
                return
            }
            guard let principal = RequestPrincipal(value.value), principal.account != nil else {
                report(
                    .error, .policyPrincipalFormat,
                    "'\(value.value)' is not an AWS principal: use a 12-digit account id, or the ARN of an account root, IAM user, IAM role or role session",
                    at: value.range)
                return
            }
        case .service:
            if !(value.value.hasSuffix(".amazonaws.com") || value.value.hasSuffix(".amazonaws.com.cn"))
                || value.value.contains("*")
            {
                report(
                    .error, .policyPrincipalFormat,
                    "'\(value.value)' is not a service principal; service principals look like s3.amazonaws.com",
                    at: value.range)
            }
        case .canonicalUser:
            let hex = value.value.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
            if value.value.count != 64 || !hex {
                report(
                    .error, .policyPrincipalFormat, "a canonical user id is 64 lowercase hexadecimal digits",
                    at: value.range)
            }
        case .federated:
            checkFederated(value)
        }
    }

    /// An identity provider's domain, or the ARN of an IAM SAML or OIDC provider.
    static func isIdentityProvider(_ text: String) -> Bool {
        if let arn = ARN(text) {
            let type = arn.resourceType.type
            return arn.service == "iam" && (type == "saml-provider" || type == "oidc-provider")
                && !arn.resourceType.rest.isEmpty
        }
        return !text.contains("://") && text.contains(".") && !text.contains(" ")
    }

    /// The ids IAM shows for a role (AROA…) or a user (AIDA…).
    static func isUniqueID(_ text: String) -> Bool {
        (text.hasPrefix("AROA") || text.hasPrefix("AIDA")) && text.count >= 16
            && text.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// A federated principal belongs in a role trust policy, and is an identity
    /// provider's domain or the ARN of a SAML or OIDC provider.
    mutating func checkFederated(_ value: Located<String>) {
        guard input.kind == .trust else {
            report(
                .error, .policyPrincipalFormat,
                "a\(input.kind == .identity ? "n" : "") \(input.kind.displayName) cannot name a federated identity provider; only a role trust policy can",
                at: value.range)
            return
        }
        let text = value.value
        if Self.isIdentityProvider(text) { return }
        report(
            .error, .policyPrincipalFormat,
            "'\(text)' is not an identity provider: give its domain (accounts.google.com) or the ARN of an IAM SAML or OIDC provider",
            at: value.range)
    }
}
