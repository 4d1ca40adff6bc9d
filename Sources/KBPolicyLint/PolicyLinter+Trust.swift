import KBDiagnostics
import KBPolicy

extension Rule {
    public static let policyOIDCCondition = Rule(
        "policy-oidc-condition", .warning,
        summary:
            "A trust policy trusts a web identity provider without conditions on its claims, GitHub without `…:sub`, or with a `sub` that admits any repository.",
        why: "Anyone with an account at the provider (any GitHub repository's workflows) could assume the role.",
        fix:
            "Add conditions on the provider's `aud` and `sub`; for GitHub name the organization, repository and branch.",
        example:
            "'repo:example-org/*' admits repositories you may not own: name the organization, repository and branch")

    public static let policyTrustAction = Rule(
        "policy-trust-action", .error,
        summary:
            "A trust policy's action does not fit its principal (SAML with web identity), IAM Roles Anywhere lacks one of its three actions, or a key is tested whose setting action is missing.",
        why:
            "The role cannot be assumed as the statement intends: STS needs the action that matches the principal and the keys it sets.",
        fix:
            "Use `sts:AssumeRoleWithSAML` for a SAML provider, `sts:AssumeRoleWithWebIdentity` for an OIDC provider; add `sts:TagSession` or `sts:SetSourceIdentity` for their keys.",
        example:
            "'sts:SourceIdentity' is set by sts:SetSourceIdentity: add sts:SetSourceIdentity to this statement's actions, or the condition is never evaluated"
    )
}

extension PolicyLinter {
    /// Role trust policies: the action must fit the principal, some principals need
    /// several actions, some keys are only set by an action, and web identity
    /// providers need conditions (Access Analyzer's trust policy checks).
    mutating func checkTrust(_ statement: Statement) {
        guard input.kind == .trust, let principal = statement.principal, !principal.negated,
            let element = statement.actions, !element.negated
        else { return }
        let actions = element.values
        func grants(_ action: String) -> Bool {
            actions.contains { Wildcard.matchesBytes($0.value, action, ignoringASCIICase: true) }
        }
        // AWS's examples grant sts:TagSession in a statement of its own.
        let policyActions = input.document.statements.flatMap { $0.actions.map { $0.negated ? [] : $0.values } ?? [] }
        func policyGrants(_ action: String) -> Bool {
            policyActions.contains { Wildcard.matchesBytes($0.value, action, ignoringASCIICase: true) }
        }
        // Malformed providers are reported as such; nothing else is said about them.
        let entries = principal.entries.filter { $0.type != .federated || Self.isIdentityProvider($0.value.value) }
        let web = entries.filter { $0.type == .federated && !$0.value.value.contains(":saml-provider/") }
        for value in actions {
            let lowered = value.value.lowercased()
            let mismatch: [PrincipalEntry]
            switch lowered {
            case "sts:assumerolewithsaml":
                mismatch = entries.filter { !$0.value.value.contains(":saml-provider/") }
            case "sts:assumerolewithwebidentity":
                mismatch = entries.filter { $0.type != .federated || $0.value.value.contains(":saml-provider/") }
            default: mismatch = []
            }
            if !mismatch.isEmpty {
                report(
                    .error, .policyTrustAction,
                    "\(value.value) cannot be used by \(mismatch.map(\.value.value).joined(separator: ", ")): AssumeRoleWithSAML is for a Federated SAML provider, AssumeRoleWithWebIdentity for a Federated OIDC provider",
                    at: value.range)
            }
        }
        if principal.entries.contains(where: { $0.type == .service && $0.value.value == "rolesanywhere.amazonaws.com" })
        {
            let missing = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"].filter { !grants($0) }
            if !missing.isEmpty {
                report(
                    .error, .policyTrustAction,
                    "IAM Roles Anywhere needs sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession; add \(missing.joined(separator: ", "))",
                    at: element.keyRange)
            }
        }
        for condition in statement.conditions {
            let lowered = condition.key.value.lowercased()
            let needed =
                lowered == "sts:sourceidentity"
                ? "sts:SetSourceIdentity"
                : Self.isTagKey(lowered) && !lowered.hasPrefix("aws:resourcetag/") || lowered == "sts:transitivetagkeys"
                    ? "sts:TagSession" : nil
            if let needed, !policyGrants(needed) {
                report(
                    .error, .policyTrustAction,
                    "'\(condition.key.value)' is set by \(needed): allow \(needed) in this trust policy, or the condition is never evaluated",
                    at: condition.key.range)
            }
        }
        guard statement.effect.value == .allow else { return }
        checkWebIdentity(statement, providers: web)
        checkRedundantSessions(principal)
    }

    /// A web identity provider anyone with an account there can use: without
    /// conditions on its claims, any of its users may assume the role.
    mutating func checkWebIdentity(_ statement: Statement, providers: [PrincipalEntry]) {
        for provider in providers {
            let text = provider.value.value
            let host = (ARN(text).map { $0.resourceType.rest } ?? text).lowercased()
            let keys = statement.conditions.map { $0.key.value.lowercased() }
            if host.hasPrefix("token.actions.githubusercontent.com") {
                let subs = statement.conditions.filter {
                    $0.key.value.lowercased() == "token.actions.githubusercontent.com:sub"
                }
                if subs.isEmpty {
                    report(
                        .warning, .policyOIDCCondition,
                        "any GitHub repository's workflows may assume this role: add a condition on token.actions.githubusercontent.com:sub naming the repository and branch",
                        at: provider.value.range)
                }
                for value in subs.flatMap(\.values) where Self.anyRepository(value.value) {
                    report(
                        .warning, .policyOIDCCondition,
                        "'\(value.value)' admits repositories you may not own: name the organization, repository and branch",
                        at: value.range)
                }
            } else if !keys.contains(where: {
                $0.hasPrefix(host.split(separator: "/").first.map { String($0) + ":" } ?? host)
                    || $0.hasPrefix(host + ":")
            }) {
                report(
                    .warning, .policyOIDCCondition,
                    "any user of '\(text)' may assume this role: add conditions on its claims (\(host):aud, \(host):sub)",
                    at: provider.value.range)
            }
        }
    }

    /// `repo:org/*`, `repo:*`, `*`: a wildcard before the repository's name ends.
    static func anyRepository(_ value: String) -> Bool {
        guard value.hasPrefix("repo:") else { return Wildcard.isPattern(value) && value.hasPrefix("*") }
        let path = value.dropFirst(5).prefix { $0 != ":" }
        return Wildcard.isPattern(String(path))
    }

    /// A role and one of its sessions: trusting the role already trusts the session.
    mutating func checkRedundantSessions(_ principal: PrincipalElement) {
        let roles = principal.entries.compactMap { entry -> (PrincipalEntry, String, String)? in
            guard entry.type == .aws, let parsed = RequestPrincipal(entry.value.value),
                case .role(let name) = parsed.kind
            else { return nil }
            return (entry, parsed.account ?? "", name.lowercased())
        }
        for entry in principal.entries where entry.type == .aws {
            guard let parsed = RequestPrincipal(entry.value.value), case .assumedRole(let role, _) = parsed.kind,
                let parent = roles.first(where: { $0.1 == parsed.account && $0.2 == role.lowercased() })
            else { continue }
            report(
                .note, .policyRedundant,
                "'\(entry.value.value)' is redundant: trusting its role '\(parent.0.value.value)' already trusts its sessions",
                at: entry.value.range, related: [(parent.0.value.range, "the role is here")])
        }
    }
}
