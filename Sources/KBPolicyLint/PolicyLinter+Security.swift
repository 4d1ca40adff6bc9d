import KBDiagnostics
import KBPolicy

extension Rule {
    public static let policyCrossAccountAdmin = Rule(
        "policy-cross-account-admin", .warning,
        summary:
            "A bucket or key policy allows another account `*`, `s3:*`, `kms:*` or a permissions-management action such as `s3:PutBucketPolicy`.",
        why:
            "Through a bucket policy the other account can rewrite the policy, change encryption or delete data; in a key policy such grants mostly fail across accounts but show an intent nobody should copy.",
        fix:
            "Grant only the data actions the partner needs (`s3:GetObject`, `s3:PutObject`, `kms:Decrypt`, `kms:GenerateDataKey`). The check needs the owner account: `account=` on the block, or a key policy's root statement.",
        example: "'s3:*' gives account 444455556666 administrative control: list only the actions it needs")

    public static let policyKeyLockout = Rule(
        "policy-key-lockout", .warning,
        summary:
            "A key policy has no unconditioned Allow for its own account's root (`arn:aws:iam::OWNER:root` or the bare account id).",
        why:
            "Without it IAM policies in the owner account cannot grant use of the key, and if the principals the policy names are deleted nobody can manage the key short of AWS Support.",
        fix:
            "Add the default key policy's statement: Allow `kms:*` on `\"Resource\": \"*\"` to `{\"AWS\": \"arn:aws:iam::OWNER:root\"}`, then restrict individual users with IAM policies.",
        example:
            "no statement gives the key's own account (its root) access: IAM policies in that account cannot grant use of this key, and if the principals named here are deleted nobody can manage it"
    )

    public static let policyKMSIneffective = Rule(
        "policy-kms-cross-account-ineffective", .warning,
        summary:
            "A key policy grants another account KMS actions that never work across accounts, such as `kms:PutKeyPolicy` or the admin half of `kms:*`.",
        why:
            "Only cryptographic operations, DescribeKey, GetKeyRotationStatus, GetPublicKey and the grant operations work on a key in another account; the rest are denied whatever the policies say, so a step relying on them fails.",
        fix:
            "Grant the external account only what works across accounts, typically `kms:Decrypt`, `kms:GenerateDataKey`, `kms:Encrypt` and `kms:DescribeKey`; keep administration in the owner account.",
        example:
            "granting kms:ScheduleKeyDeletion to account 444455556666 has no effect: KMS allows only cryptographic operations and a few read-only ones across accounts"
    )
}

extension PolicyLinter {
    /// The account that owns the resource: given, or for a key policy the account
    /// whose root the policy hands control to.
    var owner: String? {
        // The guide's owner wins: a key policy handing kms:* to a partner's root is
        // the mistake the checks are for, not a sign the key is the partner's.
        if let given = input.ownerAccount { return given }
        return input.kind == .key ? ownRoot : nil
    }

    /// The account whose root a key policy gives control of the key (kms:* or PutKeyPolicy).
    var ownRoot: String? {
        for statement in input.document.statements where statement.effect.value == .allow {
            let actions = statement.actions?.values.map { $0.value.lowercased() } ?? []
            guard actions.contains(where: { $0 == "kms:*" || $0 == "*" || $0 == "kms:putkeypolicy" }) else { continue }
            for entry in statement.principal?.entries ?? [] where entry.type == .aws {
                if let account = rootAccount(entry.value.value) { return account }
            }
        }
        return nil
    }

    /// Lockout (semantics.md §3.3): a key policy with no statement for its own
    /// account leaves that account's IAM powerless over the key.
    mutating func checkKeyPolicy(_ document: PolicyDocument) {
        guard input.kind == .key else { return }
        let owner = self.owner
        let delegates = document.statements.contains { statement in
            statement.effect.value == .allow && statement.conditions.isEmpty
                && (statement.principal?.entries ?? []).contains { entry in
                    guard entry.type == .aws, let account = rootAccount(entry.value.value) else { return false }
                    return owner == nil || account == owner
                }
        }
        if !delegates {
            report(
                .warning, .policyKeyLockout,
                "no statement gives the key's own account (its root) access: IAM policies in that account cannot grant use of this key, and if the principals named here are deleted nobody can manage it",
                at: document.range.lowerBound..<document.range.lowerBound + 1,
                notes: [
                    "add a statement allowing \"kms:*\" to {\"AWS\": \"arn:aws:iam::ACCOUNT:root\"}, as the default key policy does",
                    "KMS refuses such a policy unless BypassPolicyLockoutSafetyCheck is set",
                ])
        }
    }

    /// Admin rights and KMS operations that do nothing across accounts.
    mutating func checkCrossAccountGrants(_ document: PolicyDocument) {
        guard input.kind == .key || input.kind == .bucket, let owner else { return }
        let linter = self
        for statement in document.statements where statement.effect.value == .allow {
            guard let principal = statement.principal, !principal.negated else { continue }
            let accountOf: (String) -> String? = { linter.account(ofPrincipal: $0) }
            let outsiders = principal.entries.filter { entry in
                guard entry.type == .aws, let account = accountOf(entry.value.value) else { return false }
                return account != owner
            }
            guard let first = outsiders.first, let actions = statement.actions, !actions.negated else { continue }
            let account = accountOf(first.value.value) ?? ""
            for action in actions.values {
                let lowered = action.value.lowercased()
                let crossAccountKMS = PolicyEvaluator.crossAccountKMSActions.contains(lowered)
                if lowered == "*" || lowered == "s3:*" || lowered == "kms:*"
                    || (isPermissionsManagement(action.value) && !crossAccountKMS)
                {
                    report(
                        .warning, .policyCrossAccountAdmin,
                        "'\(action.value)' gives account \(account) administrative control: list only the actions it needs",
                        at: action.range,
                        related: [(first.value.range, "account \(account) is outside the owner account \(owner)")])
                }
                if input.kind == .key {
                    let ineffective = kmsActions(matching: action.value).filter {
                        !PolicyEvaluator.crossAccountKMSActions.contains("kms:" + $0.lowercased())
                    }
                    if !ineffective.isEmpty {
                        let names = ineffective.prefix(8).map { "kms:\($0)" }.joined(separator: ", ")
                        report(
                            .warning, .policyKMSIneffective,
                            "granting \(names)\(ineffective.count > 8 ? ", …" : "") to account \(account) has no effect: KMS allows only cryptographic operations and a few read-only ones across accounts",
                            at: action.range)
                    }
                }
            }
        }
    }

    /// The account a principal belongs to: its own, or the one the guide's flow
    /// bound its placeholder to (`arn-of-the-partner-role`, the account field of
    /// `arn:aws:iam::ACCOUNT-ID:root`). Nil when neither says.
    func account(ofPrincipal text: String) -> String? {
        if let account = RequestPrincipal(text)?.account { return account }
        if let bound = input.placeholderAccounts[text] { return bound }
        return ARN(text).flatMap { input.placeholderAccounts[$0.account] }
    }

    /// The account whose root a principal is (`arn:aws:iam::111122223333:root`,
    /// `111122223333`, or a root ARN with a bound placeholder account); nil for
    /// any other principal.
    func rootAccount(_ text: String) -> String? {
        if let principal = RequestPrincipal(text) { return principal.kind == .root ? principal.account : nil }
        guard let arn = ARN(text), arn.service == "iam", arn.resource == "root" else { return nil }
        return input.placeholderAccounts[arn.account]
    }

    func isPermissionsManagement(_ action: String) -> Bool {
        guard !Wildcard.isPattern(action), let (_, info) = catalogue.action(action) else { return false }
        return info.accessLevel == "Permissions management"
    }

    func kmsActions(matching pattern: String) -> [String] {
        let lowered = pattern.lowercased()
        guard let kms = catalogue.service("kms") else { return [] }
        if lowered == "*" { return kms.actions.values.map(\.name).sorted() }
        guard lowered.hasPrefix("kms:") else { return [] }
        return catalogue.actions(of: kms, matching: String(pattern.dropFirst(4))).map(\.name)
    }
}
