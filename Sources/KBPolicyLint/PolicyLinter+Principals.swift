import KBDiagnostics
import KBPolicy

extension PolicyLinter {
    /// Condition keys that narrow `Principal: "*"` to known callers.
    static let narrowingKeys: Set<String> = [
        "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:sourcearn",
        "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourcevpce", "aws:sourcevpc", "aws:sourceip",
        "aws:userid", "aws:username", "kms:calleraccount", "kms:viaservice", "aws:principalservicename",
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
