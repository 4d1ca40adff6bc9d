import KBGuide
import KBPolicy
import KBPolicyLint

extension ClassifiedBlock {
    /// The account a resource policy itself says owns its resource: `account=`
    /// on the fence, else for a key policy the account whose root it gives full
    /// control (`kms:*`, `*` or `kms:PutKeyPolicy`, as the default key policy's
    /// first statement does). Nil when the block says nothing; the guide's owner
    /// stands then.
    ///
    /// A page of independent examples may show several keys in several accounts:
    /// each key policy's own root statement is what makes "another account"
    /// mean another account than *this* key's owner.
    public var statedOwner: String? {
        if let account = code.attribute("account") { return account }
        return administrativeRoot.flatMap { RequestPrincipal($0)?.account }
    }

    /// The root principal a key policy gives full control of the key (`kms:*`,
    /// `*` or `kms:PutKeyPolicy`, unconditioned), as written: `arn:aws:iam::111122223333:root`,
    /// a bare account id, or a root ARN whose account is a placeholder
    /// (`arn:aws:iam::ACCOUNT-ID:root`). The first such statement is the owner's,
    /// as in the default key policy; a later one hands the key to someone else.
    /// Nil for other blocks, or when that statement names several accounts.
    public var administrativeRoot: String? {
        guard policyKind == .key, let document else { return nil }
        for statement in document.statements where statement.effect.value == .allow && statement.conditions.isEmpty {
            guard let actions = statement.actions, !actions.negated,
                actions.values.contains(where: {
                    let action = $0.value.lowercased()
                    return action == "*" || action == "kms:*" || action == "kms:putkeypolicy"
                })
            else { continue }
            let roots = (statement.principal?.entries ?? []).compactMap { entry -> String? in
                guard entry.type == .aws else { return nil }
                if let principal = RequestPrincipal(entry.value.value) {
                    return principal.kind == .root ? entry.value.value : nil
                }
                guard let arn = ARN(entry.value.value), arn.service == "iam", arn.resource == "root",
                    !Placeholders.find(in: arn.account).isEmpty
                else { return nil }
                return entry.value.value
            }
            let accounts = Set(roots.map { RequestPrincipal($0)?.account ?? ARN($0)?.account ?? $0 })
            if let first = roots.first, accounts.count == 1 { return first }
        }
        return nil
    }
}
