/// AWS's policy evaluation logic (semantics.md §1–§3): explicit deny, organization
/// policies, identity and resource policies with the same-account and
/// cross-account rules, boundaries and session policies, and the KMS key policy
/// and role trust policy rules.
public struct PolicyEvaluator: Sendable {
    /// KMS operations another account can be granted (semantics.md §3.2); any
    /// other KMS permission granted across accounts has no effect.
    public static let crossAccountKMSActions: Set<String> = [
        "kms:encrypt", "kms:decrypt", "kms:reencryptfrom", "kms:reencryptto", "kms:generatedatakey",
        "kms:generatedatakeywithoutplaintext", "kms:generatedatakeypair", "kms:generatedatakeypairwithoutplaintext",
        "kms:sign", "kms:verify", "kms:generatemac", "kms:verifymac", "kms:creategrant", "kms:describekey",
        "kms:getkeyrotationstatus", "kms:getpublickey", "kms:listgrants", "kms:retiregrant", "kms:revokegrant",
    ]

    /// Services whose resources resource control policies cover (semantics.md §1.2).
    public static let rcpServices: Set<String> = ["s3", "sts", "kms", "sqs", "secretsmanager"]

    public init() {}

    /// Decides a request. With `traced: false` the trace and the list of deciding
    /// statements are left empty, for callers that only need the decision.
    public func evaluate(_ request: EvaluationRequest, policies: PolicySet, traced: Bool = true) throws(EvaluationError)
        -> Evaluation
    {
        var request = request
        // 0. What the service refuses whatever the policies say.
        if let refusal = ServiceGuardrails.check(request) {
            return Evaluation(
                decision: .implicitlyDenied, reason: "the service refuses the request: \(refusal.message)",
                decidedBy: ["service"], trace: [], error: refusal)
        }
        let facts = ResourceFacts(request.resource)
        guard let resourceAccount = request.resourceAccount ?? facts.account else {
            throw EvaluationError(
                description:
                    "the resource \(request.resource) names no account; give resourceAccount (S3 ARNs carry none)")
        }
        deriveContext(&request, resourceAccount: resourceAccount)
        let principal = request.principal
        let crossAccount = principal.account != resourceAccount
        let isKMSKey = facts.isKMSKey
        let isTrust = facts.isRole && request.action.hasPrefixIgnoringASCIICase("sts:assumerole")
        // A Deny with NotPrincipal always applies to a user or role with a permissions
        // boundary (semantics.md §2.3).
        let bounded: Bool
        switch principal.kind {
        case .user, .role, .assumedRole: bounded = !policies.permissionsBoundaries.isEmpty
        default: bounded = false
        }
        let scope = Scope(request: request, traced: traced, bounded: bounded)

        // Every policy is traced, so the trace shows all of them whatever decides.
        let identity =
            principal.isIAMIdentity
            ? policies.identityPolicies.enumerated().map {
                scope.trace($1, role: .identity, index: $0)
            }
            : []
        let resource = policies.resourcePolicy.map {
            scope.trace($0, role: isKMSKey ? .keyPolicy : isTrust ? .trustPolicy : .resource, index: 0)
        }
        let boundaries =
            principal.isIAMIdentity
            ? policies.permissionsBoundaries.enumerated().map {
                scope.trace($1, role: .permissionsBoundary, index: $0)
            } : []
        let session =
            principal.isIAMIdentity
            ? policies.sessionPolicy.map { scope.trace($0, role: .session, index: 0) } : nil
        let scpLevels =
            principal.isIAMIdentity
            ? policies.serviceControlPolicies.enumerated().map { level, documents in
                documents.enumerated().map {
                    scope.trace($1, role: .serviceControl, level: level, index: $0)
                }
            } : []
        // RCPs cover requests to the listed services (sts:AssumeRole on a role ARN
        // included), from any caller: anonymous ones and AWS services too.
        let rcpApplies =
            !policies.resourceControlPolicies.isEmpty
            && (Self.rcpServices.contains(String(facts.service))
                || Self.rcpServices.contains(request.action.split(separator: ":").first.map { $0.lowercased() } ?? ""))
        let rcpLevels =
            rcpApplies
            ? policies.resourceControlPolicies.enumerated().map { level, documents in
                documents.enumerated().map {
                    scope.trace($1, role: .resourceControl, level: level, index: $0)
                }
                    + (policies.implicitRCPFullAWSAccess
                        ? [
                            scope.trace(
                                Self.rcpFullAWSAccess, role: .resourceControl, level: level, index: documents.count,
                                name: "RCP level \(level + 1) RCPFullAWSAccess")
                        ] : [])
            } : []

        // Grants only ever allow, and only on the key they belong to (kms/grants.md).
        let grants =
            isKMSKey
            ? policies.grants.map { ($0, PrincipalMatcher.match(named: $0.grantee, principal)) } : []

        var traces: [PolicyTrace] = []
        if traced {
            traces =
                identity.map(\.trace) + (resource.map { [$0.trace] } ?? []) + boundaries.map(\.trace)
                + (session.map { [$0.trace] } ?? []) + scpLevels.flatMap { $0.map(\.trace) }
                + rcpLevels.flatMap { $0.map(\.trace) } + grants.map { Self.trace(grant: $0.0, match: $0.1) }
        }
        func result(_ decision: Decision, _ reason: String, _ decided: [String] = []) -> Evaluation {
            Evaluation(decision: decision, reason: reason, decidedBy: traced ? decided : [], trace: traces)
        }

        // 1. An explicit deny anywhere wins (§1.1).
        let denies =
            identity.contains { $0.denyCount > 0 } || (resource?.denyCount ?? 0) > 0
            || boundaries.contains { $0.denyCount > 0 }
            || (session?.denyCount ?? 0) > 0 || scpLevels.contains { $0.contains { $0.denyCount > 0 } }
            || rcpLevels.contains { $0.contains { $0.denyCount > 0 } }
        if denies {
            let denials =
                traces.isEmpty
                ? []
                : (identity + (resource.map { [$0] } ?? []) + boundaries + (session.map { [$0] } ?? [])
                    + scpLevels.flatMap { $0 } + rcpLevels.flatMap { $0 }).flatMap(\.denyLabels)
            return result(.explicitlyDenied, "an explicit Deny matches the request", denials)
        }
        // 2. Organization policies limit: every level must allow (§1.2).
        for (index, level) in rcpLevels.enumerated() where !level.contains(where: { $0.allowCount > 0 }) {
            return result(
                .implicitlyDenied, "no resource control policy at organization level \(index + 1) allows the request")
        }
        for (index, level) in scpLevels.enumerated() where !level.contains(where: { $0.allowCount > 0 }) {
            return result(
                .implicitlyDenied, "no service control policy at organization level \(index + 1) allows the request")
        }
        // 3. KMS operations that never work across accounts (§3.2).
        if isKMSKey && crossAccount && !Self.crossAccountKMSActions.contains(request.action.lowercased()) {
            return result(
                .implicitlyDenied,
                "\(request.action) cannot be used on a key in another account; only cryptographic operations and a few read-only ones can"
            )
        }

        let resourceGrant = resource?.grant ?? .none
        let resourceDecided = resource?.allowLabels ?? []
        let identityAllows: Bool
        let identityDecided: [String]
        if case .root = principal.kind, principal.isIAMIdentity {
            // The root user may do anything its account may (semantics.md §4 world rules).
            identityAllows = true
            identityDecided = ["the root user of \(principal.account ?? "")"]
        } else if case .federatedUser = principal.kind, policies.sessionPolicy == nil {
            // A federated user's permissions are its user's policies intersected with the
            // session policy; without one it has none (evaluation-logic.md).
            identityDecided = []
            identityAllows = false
        } else {
            identityDecided = identity.flatMap(\.allowLabels)
            identityAllows = identity.contains { $0.allowCount > 0 }
        }
        let boundaryBlocks = boundaries.first { $0.allowCount == 0 }
        let sessionBlocks = session.flatMap { $0.allowCount == 0 ? $0 : nil }

        func limited(_ decided: [String], _ bypassLimits: Bool, _ why: String) -> Evaluation {
            if !bypassLimits, let boundary = boundaryBlocks {
                return result(.implicitlyDenied, "the \(boundary.name) does not allow the request")
            }
            if !bypassLimits, let session = sessionBlocks {
                return result(.implicitlyDenied, "the \(session.name) does not allow the request")
            }
            return result(.allowed, why, decided)
        }

        guard principal.isIAMIdentity else {
            // Anonymous callers and AWS services: only the resource policy can grant.
            guard case .caller = resourceGrant else {
                return result(.implicitlyDenied, "no resource policy statement allows this caller")
            }
            return result(.allowed, "allowed by the resource policy", resourceDecided)
        }

        let policyName = isKMSKey ? "key policy" : isTrust ? "trust policy" : "resource policy"
        /// Where the key policy (with IAM) does not allow, a grant for the caller
        /// may: one naming the caller itself allows on its own, across accounts too;
        /// one naming the caller's account needs an identity policy in it
        /// (key-policy-modifying-external-accounts.md, "or use grants").
        func grantOr(_ denial: Evaluation) -> Evaluation {
            if let (grant, _) = grants.first(where: { if case .caller = $0.1 { return true } else { return false } }) {
                return limited(
                    ["grant \(grant.grantId)"], false, "grant \(grant.grantId) allows the caller")
            }
            if identityAllows, let (grant, _) = grants.first(where: { $0.1 == .account }) {
                return limited(
                    ["grant \(grant.grantId)"] + identityDecided, false,
                    "grant \(grant.grantId) is for account \(principal.account ?? ""), and an identity policy there allows the request"
                )
            }
            return denial
        }
        if isKMSKey || isTrust {
            // The key policy (or trust policy) must allow on its own (§1.3, §3.1).
            switch resourceGrant {
            case .none:
                return grantOr(
                    result(
                        .implicitlyDenied,
                        resource == nil
                            ? "there is no \(policyName), and an identity policy alone never grants this"
                            : "the \(policyName) does not allow the request; an identity policy alone never grants this"
                    ))
            case .account:
                guard identityAllows else {
                    return grantOr(
                        result(
                            .implicitlyDenied,
                            "the \(policyName) delegates to account \(principal.account ?? "")'s IAM policies, and none of them allows the request"
                        ))
                }
                return limited(
                    resourceDecided + identityDecided, false,
                    "the \(policyName) lets account \(principal.account ?? "")'s IAM policies decide, and one allows the request"
                )
            case .caller(let exact):
                if crossAccount && !identityAllows {
                    return grantOr(
                        result(
                            .implicitlyDenied,
                            "the \(policyName) allows the caller, but across accounts an identity policy in \(principal.account ?? "") must allow it too"
                        ))
                }
                return limited(
                    resourceDecided + (crossAccount ? identityDecided : []), exact && !crossAccount,
                    crossAccount
                        ? "the \(policyName) allows the caller and an identity policy in \(principal.account ?? "") allows the request"
                        : "the \(policyName) allows the caller")
            }
        }

        if crossAccount {
            // §1.4: both sides must allow.
            guard resourceGrant.matches else {
                return result(
                    .implicitlyDenied,
                    "the resource is in account \(resourceAccount): its \(policyName) must allow the caller, and none does"
                )
            }
            guard identityAllows else {
                return result(
                    .implicitlyDenied,
                    "the \(policyName) allows the caller, but no identity policy in account \(principal.account ?? "") does"
                )
            }
            return limited(
                resourceDecided + identityDecided, false,
                "the resource's policy in \(resourceAccount) allows the caller and an identity policy in \(principal.account ?? "") allows the request"
            )
        }

        // §1.3: same account, either side may allow.
        switch resourceGrant {
        case .caller(let exact):
            return limited(resourceDecided, exact, "the resource policy allows the caller")
        case .account, .none:
            guard identityAllows else {
                return result(.implicitlyDenied, "no identity or resource policy statement allows the request")
            }
            return limited(identityDecided + resourceDecided, false, "an identity policy allows the request")
        }
    }

    /// The policy AWS attaches at every level of an organization that uses RCPs.
    static let rcpFullAWSAccess = PolicyDocument(
        version: Located("2012-10-17", 0..<0),
        statements: [
            Statement(
                sid: Located("RCPFullAWSAccess", 0..<0), effect: Located(.allow, 0..<0),
                principal: PrincipalElement(negated: false, entries: [PrincipalEntry(.any, Located("*", 0..<0))]),
                actions: ListElement(negated: false, values: [Located("*", 0..<0)]),
                resources: ListElement(negated: false, values: [Located("*", 0..<0)]))
        ])

    /// A grant in the trace: one Allow statement for its grantee and operations.
    static func trace(grant: KeyGrantPermission, match: PrincipalMatch) -> PolicyTrace {
        let statement = StatementTrace(
            statement: grant.operations.joined(separator: ", "), effect: "Allow", principal: Scope.describe(match),
            action: true, resource: true, conditions: [], applies: match.matches)
        return PolicyTrace(
            role: .grant, name: "grant \(grant.grantId)", statements: [statement],
            result: match.matches ? "allow" : "none")
    }

    /// Lets the context answer the keys AWS derives from the request itself.
    func deriveContext(_ request: inout EvaluationRequest, resourceAccount: String) {
        request.context.derived = RequestContext.Derived(
            principal: request.principal, resourceAccount: resourceAccount,
            isKMS: request.action.hasPrefixIgnoringASCIICase("kms:"))
    }
}

/// One policy evaluated against one request.
struct TracedPolicy {
    var trace: PolicyTrace
    var role: PolicyRole
    var level: Int?
    var index: Int
    /// A name of its own, for the policies AWS attaches (RCPFullAWSAccess).
    var fixedName: String?
    /// Statements that apply with Deny / Allow.
    var denyCount = 0
    var allowCount = 0
    /// The same statements as "policy: statement", collected only when tracing.
    var denyLabels: [String] = []
    var allowLabels: [String] = []
    /// For resource policies: the strongest principal match among allowing statements.
    var grant: PrincipalMatch

    var name: String { fixedName ?? Self.name(role: role, level: level, index: index) }

    /// "identity policy 1", "key policy", "SCP level 2 policy 1", …
    static func name(role: PolicyRole, level: Int?, index: Int) -> String {
        switch role {
        case .identity: return "identity policy \(index + 1)"
        case .resource: return "resource policy"
        case .keyPolicy: return "key policy"
        case .trustPolicy: return "trust policy"
        case .permissionsBoundary: return "permissions boundary \(index + 1)"
        case .session: return "session policy"
        case .serviceControl: return "SCP level \((level ?? 0) + 1) policy \(index + 1)"
        case .resourceControl: return "RCP level \((level ?? 0) + 1) policy \(index + 1)"
        case .grant: return "grant"
        }
    }
}

/// The request, with helpers to evaluate statements against it.
struct Scope {
    let request: EvaluationRequest
    let traced: Bool
    /// The caller is a user or role with a permissions boundary.
    let bounded: Bool
    var context: RequestContext { request.context }

    init(request: EvaluationRequest, traced: Bool, bounded: Bool = false) {
        self.request = request
        self.traced = traced
        self.bounded = bounded
    }

    func trace(
        _ policy: PolicyDocument, role: PolicyRole, level: Int? = nil, index: Int, name fixedName: String? = nil
    ) -> TracedPolicy {
        let name = traced ? fixedName ?? TracedPolicy.name(role: role, level: level, index: index) : ""
        let variables = policy.supportsVariables
        var statements: [StatementTrace] = []
        var outcome = TracedPolicy(
            trace: PolicyTrace(role: role, name: name, statements: [], result: "none"), role: role, level: level,
            index: index, fixedName: fixedName, grant: .none)
        let hasPrincipal = role.isResourceBased || role == .resourceControl
        for statement in policy.statements {
            var principal: PrincipalMatch = .caller(namesCallerExactly: false)
            if hasPrincipal {
                principal =
                    statement.principal.map {
                        PrincipalMatcher.match($0, request.principal, effect: statement.effect.value, bounded: bounded)
                    } ?? .none
                // A wildcard principal narrowed with aws:PrincipalArn is not limited by
                // boundaries or session policies (iam/reference_policies_elements_principal.md).
                if principal == .caller(namesCallerExactly: false), statement.principal?.isWildcard == true,
                    statement.conditions.contains(where: { $0.lowercasedKey == "aws:principalarn" })
                {
                    principal = .caller(namesCallerExactly: true)
                }
            }
            let action = (traced || principal.matches) && (statement.actions.map(actionMatches) ?? false)
            let resource =
                (traced || action)
                && (statement.resources.map { resourceMatches($0, variables: variables) } ?? role.isResourceBased)
            var conditions: [ConditionTrace] = []
            var conditionsHold = true
            if principal.matches && action && resource || traced {
                for condition in statement.conditions {
                    let holds = ConditionEvaluator.holds(condition, in: request.context, variables: variables)
                    conditionsHold = conditionsHold && holds
                    if traced {
                        conditions.append(
                            ConditionTrace(
                                operatorName: condition.operatorName.value, key: condition.key.value,
                                values: condition.values.map(\.value),
                                requestValues: request.context[condition.key.value],
                                holds: holds))
                    } else if !holds {
                        break
                    }
                }
            }
            let applies = principal.matches && action && resource && conditionsHold
            if applies {
                let label = traced ? "\(name): \(statement.label)" : ""
                if statement.effect.value == .deny {
                    outcome.denyCount += 1
                    if traced { outcome.denyLabels.append(label) }
                } else {
                    outcome.allowCount += 1
                    if traced { outcome.allowLabels.append(label) }
                    switch principal {
                    case .caller(let exact):
                        outcome.grant = .caller(
                            namesCallerExactly: exact || outcome.grant == .caller(namesCallerExactly: true))
                    case .account where outcome.grant == .none:
                        outcome.grant = .account
                    default:
                        break
                    }
                }
            }
            guard traced else { continue }
            statements.append(
                StatementTrace(
                    statement: statement.label, effect: statement.effect.value.rawValue,
                    principal: hasPrincipal ? Self.describe(principal) : nil, action: action, resource: resource,
                    conditions: conditions, applies: applies))
        }
        outcome.trace.statements = statements
        outcome.trace.result = outcome.denyCount > 0 ? "deny" : outcome.allowCount > 0 ? "allow" : "none"
        return outcome
    }

    static func describe(_ match: PrincipalMatch) -> String {
        switch match {
        case .none: return "none"
        case .account: return "account"
        case .caller: return "caller"
        }
    }

    func actionMatches(_ element: ListElement) -> Bool {
        let any = element.values.contains { Wildcard.matchesBytes($0.value, request.action, ignoringASCIICase: true) }
        return element.negated ? !any : any
    }

    func resourceMatches(_ element: ListElement, variables: Bool) -> Bool {
        let any = element.values.contains { value in
            guard variables, element.hasVariables, value.value.utf8.contains(UInt8(ascii: "$")) else {
                return Wildcard.matchesBytes(value.value, request.resource)
            }
            guard let tokens = PolicyVariables.resolve(value.value, in: context, enabled: variables) else {
                return false
            }
            return Wildcard.matches(tokens, Array(request.resource.unicodeScalars))
        }
        return element.negated ? !any : any
    }
}

/// What evaluation needs to know about a resource ARN, read once per evaluation
/// straight from its UTF-8 bytes.
struct ResourceFacts {
    var service: Substring = ""
    var account: String?
    var isKMSKey = false
    var isRole = false

    init(_ resource: String) {
        let utf8 = resource.utf8
        guard utf8.starts(with: "arn:".utf8) else { return }
        var colons: [String.Index] = []
        colons.reserveCapacity(5)
        var index = utf8.startIndex
        while index != utf8.endIndex, colons.count < 5 {
            if utf8[index] == UInt8(ascii: ":") { colons.append(index) }
            index = utf8.index(after: index)
        }
        guard colons.count == 5 else { return }
        service = resource[resource.index(after: colons[1])..<colons[2]]
        let accountText = resource[resource.index(after: colons[3])..<colons[4]]
        if accountText.utf8.count == 12, accountText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            account = String(accountText)
        }
        let rest = resource[resource.index(after: colons[4])...]
        isKMSKey = service == "kms" && rest.utf8.starts(with: "key/".utf8)
        isRole = service == "iam" && rest.utf8.starts(with: "role/".utf8)
    }
}

extension String {
    /// A prefix test that folds ASCII case, without allocating.
    func hasPrefixIgnoringASCIICase(_ prefix: String) -> Bool {
        var iterator = utf8.makeIterator()
        for byte in prefix.utf8 {
            guard let next = iterator.next() else { return false }
            let folded = next >= 0x41 && next <= 0x5A ? next | 0x20 : next
            if folded != byte { return false }
        }
        return true
    }
}
