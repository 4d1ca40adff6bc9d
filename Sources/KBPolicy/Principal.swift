/// Who makes a request, parsed from the ARN (or name) a caller gives.
public struct RequestPrincipal: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The account's root user, `arn:aws:iam::ACCT:root` (or a bare account id).
        case root
        case user(name: String)
        /// A role acting as itself (`arn:aws:iam::ACCT:role/path/Name`).
        case role(name: String)
        /// A role session, `arn:aws:sts::ACCT:assumed-role/Name/Session`.
        case assumedRole(roleName: String, session: String)
        case federatedUser(name: String)
        /// An AWS service principal such as `s3.amazonaws.com`.
        case service(String)
        /// An unauthenticated caller.
        case anonymous
    }

    public var kind: Kind
    /// The caller's account; nil for services and anonymous callers.
    public var account: String?
    public var partition: String
    /// The ARN (or service name) as given.
    public var text: String

    /// Parses an IAM or STS principal ARN, an account id, a service principal name,
    /// or `anonymous`. Nil when the text is none of those.
    public init?(_ text: String) {
        self.text = text
        partition = "aws"
        if text == "anonymous" || text == "*" {
            kind = .anonymous
            account = nil
            return
        }
        if ARN.isAccountID(text) {
            kind = .root
            account = text
            self.text = "arn:aws:iam::\(text):root"
            return
        }
        if text.hasSuffix(".amazonaws.com") || text.hasSuffix(".amazonaws.com.cn") {
            kind = .service(text)
            account = nil
            return
        }
        guard let arn = ARN(text), ARN.isAccountID(arn.account) else { return nil }
        partition = arn.partition
        account = arn.account
        let (type, rest) = arn.resourceType
        switch (arn.service, type) {
        case ("iam", "root") where rest.isEmpty:
            kind = .root
        case ("iam", "user") where !rest.isEmpty:
            kind = .user(name: String(rest.split(separator: "/").last ?? Substring(rest)))
        case ("iam", "role") where !rest.isEmpty:
            kind = .role(name: String(rest.split(separator: "/").last ?? Substring(rest)))
        case ("sts", "assumed-role"):
            let parts = rest.split(separator: "/", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            kind = .assumedRole(roleName: String(parts[0]), session: String(parts[1]))
        case ("sts", "federated-user") where !rest.isEmpty:
            kind = .federatedUser(name: rest)
        default:
            return nil
        }
    }

    public var description: String { text }

    /// The value of `aws:PrincipalArn`: a session reports its role's ARN.
    public var principalARN: String? {
        guard let account else { return nil }
        switch kind {
        case .assumedRole(let role, _): return "arn:\(partition):iam::\(account):role/\(role)"
        case .service, .anonymous: return nil
        default: return text
        }
    }

    /// The value of `aws:PrincipalType`.
    public var principalType: String {
        switch kind {
        case .root: return "Account"
        case .user: return "User"
        case .role, .assumedRole: return "AssumedRole"
        case .federatedUser: return "FederatedUser"
        case .service: return "Service"
        case .anonymous: return "Anonymous"
        }
    }

    /// Whether IAM policies of an account apply to this caller at all.
    public var isIAMIdentity: Bool {
        switch kind {
        case .service, .anonymous: return false
        default: return true
        }
    }

    /// Whether both are the same sort of identity (root, user, role, session, …).
    func sameKind(as other: RequestPrincipal) -> Bool {
        switch (kind, other.kind) {
        case (.root, .root), (.user, .user), (.role, .role), (.assumedRole, .assumedRole),
            (.federatedUser, .federatedUser),
            (.service, .service), (.anonymous, .anonymous):
            return true
        default:
            return false
        }
    }

    /// The identities AWS may check for a `NotPrincipal` exclusion: the account,
    /// then the role, then the session (or user). All must be listed to be excluded.
    var exclusionChain: [RequestPrincipal] {
        guard let account else { return [self] }
        var chain: [RequestPrincipal] = []
        if kind != .root, let root = RequestPrincipal(account) { chain.append(root) }
        if case .assumedRole(let role, _) = kind,
            let roleARN = RequestPrincipal("arn:\(partition):iam::\(account):role/\(role)")
        {
            chain.append(roleARN)
        }
        chain.append(self)
        return chain
    }
}

extension RequestPrincipal {
    /// How this principal, named by a policy or a KMS grant, relates to `caller`:
    /// the caller itself (or its role), the caller's account, or neither.
    public func relation(to caller: RequestPrincipal) -> PrincipalMatch {
        PrincipalMatcher.match(named: self, caller)
    }
}

/// How a policy's `Principal` entry relates to a caller.
public enum PrincipalMatch: Hashable, Sendable {
    case none
    /// The entry names the caller's account: the account's IAM policies decide.
    case account
    /// The entry names the caller (or its role, or everyone). `namesCallerExactly`
    /// is true when it names the IAM user or the role session itself: only then does
    /// a same-account resource policy bypass boundaries and session policies.
    case caller(namesCallerExactly: Bool)

    public var matches: Bool { self != .none }
}

enum PrincipalMatcher {
    /// Matches one policy entry against a caller. Wildcards inside an ARN are not
    /// valid in `Principal` and match nothing.
    static func match(_ entry: PrincipalEntry, _ caller: RequestPrincipal) -> PrincipalMatch {
        let value = entry.value.value
        switch entry.type {
        case .any:
            return value == "*" ? .caller(namesCallerExactly: false) : .none
        case .service:
            if case .service(let name) = caller.kind, name.lowercased() == value.lowercased() {
                return .caller(namesCallerExactly: true)
            }
            return .none
        case .federated, .canonicalUser:
            return value == caller.text ? .caller(namesCallerExactly: true) : .none
        case .aws:
            if value == "*" { return .caller(namesCallerExactly: false) }
            guard let named = entry.parsed, !entry.hasWildcard else { return .none }
            return match(named: named, caller)
        }
    }

    /// Matches an AWS principal named by ARN (or account) against a caller: the
    /// same rules for policies' `Principal` and for KMS grantees.
    static func match(named: RequestPrincipal, _ caller: RequestPrincipal) -> PrincipalMatch {
        guard caller.isIAMIdentity, named.account == caller.account, named.partition == caller.partition else {
            return .none
        }
        switch (named.kind, caller.kind) {
        case (.root, .root): return .caller(namesCallerExactly: true)
        case (.root, _): return .account
        case (.user(let a), .user(let b)) where a.lowercased() == b.lowercased():
            return named.text.lowercased() == caller.text.lowercased() ? .caller(namesCallerExactly: true) : .none
        case (.role(let a), .role(let b)) where a.lowercased() == b.lowercased():
            return .caller(namesCallerExactly: false)
        case (.role(let a), .assumedRole(let b, _)) where a.lowercased() == b.lowercased():
            return .caller(namesCallerExactly: false)
        case (.assumedRole(let a, let s), .assumedRole(let b, let t))
        where a.lowercased() == b.lowercased() && s == t:
            return .caller(namesCallerExactly: true)
        case (.federatedUser(let a), .federatedUser(let b)) where a == b:
            return .caller(namesCallerExactly: true)
        default:
            return .none
        }
    }

    /// The strongest match among a statement's entries. NotPrincipal follows AWS's
    /// current page (semantics.md §2.3): in an Allow, a caller is named when any
    /// identity of its chain (account, role or user, session) is listed; in a Deny,
    /// only when all of them are, and never when it has a permissions boundary.
    static func match(
        _ element: PrincipalElement, _ caller: RequestPrincipal, effect: Effect = .allow, bounded: Bool = false
    ) -> PrincipalMatch {
        if element.negated {
            // Each link must be named as itself: a role ARN does not stand for its sessions here.
            func named(_ link: RequestPrincipal) -> Bool {
                element.entries.contains { entry in
                    guard case .caller = match(entry, link) else { return false }
                    guard entry.type == .aws, let named = entry.parsed else { return true }
                    return named.sameKind(as: link)
                }
            }
            let chain = caller.exclusionChain
            let excluded = effect == .allow ? chain.contains(where: named) : !bounded && chain.allSatisfy(named)
            return excluded ? .none : .caller(namesCallerExactly: false)
        }
        var best = PrincipalMatch.none
        for entry in element.entries {
            let result = match(entry, caller)
            switch (best, result) {
            case (_, .caller(true)): return result
            case (.none, _), (.account, .caller): best = result
            default: break
            }
        }
        return best
    }
}
