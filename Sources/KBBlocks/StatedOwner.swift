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
        guard policyKind == .key, let document else { return nil }
        for statement in document.statements where statement.effect.value == .allow && statement.conditions.isEmpty {
            guard let actions = statement.actions, !actions.negated,
                actions.values.contains(where: {
                    let action = $0.value.lowercased()
                    return action == "*" || action == "kms:*" || action == "kms:putkeypolicy"
                })
            else { continue }
            let roots = (statement.principal?.entries ?? []).compactMap { entry -> String? in
                guard entry.type == .aws, let principal = RequestPrincipal(entry.value.value), principal.kind == .root
                else { return nil }
                return principal.account
            }
            if let account = roots.first, roots.allSatisfy({ $0 == account }) { return account }
        }
        return nil
    }
}
