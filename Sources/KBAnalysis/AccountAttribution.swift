import KBBlocks
import KBGuide
import KBPolicy
import KBPolicyLint

extension GuideAnalysis.Report {
    /// The account a policy lives in, for "across accounts": resource policies
    /// live in the owner's; an identity or trust policy in the account its
    /// `account=` attribute or its prose names (the partner's, "account B"), else
    /// the owner's. The flow knows both accounts.
    /// The account that owns a resource policy's resource: `account=` on the
    /// block, else the owner its setup's blocks name (a key ARN, the key policy's
    /// administrative root statement), else the guide's.
    public func owner(of block: ClassifiedBlock) -> String? {
        if let account = block.code.attribute("account") { return account }
        guard let named = setupOwners[block.line] else { return owner }
        return named.isEmpty ? nil : named
    }

    public func account(holding block: ClassifiedBlock) -> String? {
        switch block.policyKind {
        case .bucket, .key: return owner(of: block)
        default: break
        }
        if let account = block.code.attribute("account") { return account }
        let partner = flow.flatMap { ARN($0.partner)?.account }
        guard let partner, partner != owner else { return owner }
        let prose = [block.paragraph, block.heading, block.title].compactMap { $0 }.joined(separator: " ").lowercased()
        let partnerWords = ["partner", "account b", "other account", "their account", "consumer", partner]
        return partnerWords.contains(where: prose.contains) ? partner : owner
    }

    /// The account behind each placeholder the flow bound to a principal or an
    /// account (`arn-of-the-partner-role` -> the partner's account), so the policy
    /// checks know that a grant to it crosses accounts.
    public var placeholderAccounts: [String: String] {
        var accounts: [String: String] = [:]
        for binding in flow?.substitutions ?? [] {
            if let account = ARN(binding.value)?.account, ARN.isAccountID(account) {
                accounts[binding.placeholder] = account
            } else if ARN.isAccountID(binding.value) {
                accounts[binding.placeholder] = binding.value
            }
        }
        return accounts
    }
}
