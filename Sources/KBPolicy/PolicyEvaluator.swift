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

    public func evaluate(_ request: EvaluationRequest, policies: PolicySet) throws(EvaluationError) -> Evaluation {
        var request = request
        let resourceARN = ARN(request.resource)
        let resourceAccount: String? =
            request.resourceAccount
            ?? resourceARN.flatMap {
                ARN.isAccountID($0.account) ? $0.account : nil
            }
        guard let resourceAccount else {
            throw EvaluationError(
                description:
                    "the resource \(request.resource) names no account; give resourceAccount (S3 ARNs carry none)")
        }
        deriveContext(&request, resourceAccount: resourceAccount)
        let principal = request.principal
        let crossAccount = principal.account != resourceAccount
        let isKMSKey = resourceARN.map { $0.service == "kms" && $0.resourceType.type == "key" } ?? false
        let isTrust =
            request.action.lowercased().hasPrefix("sts:assumerole")
            && (resourceARN.map { $0.service == "iam" && $0.resourceType.type == "role" } ?? false)
        var scope = Scope(request: request)

        // Every policy is traced, so the trace shows all of them whatever decides.
        let identity =
            principal.isIAMIdentity
            ? policies.identityPolicies.enumerated().map {
                scope.trace($1, role: .identity, name: "identity policy \($0 + 1)")
            }
            : []
        let resource = policies.resourcePolicy.map {
            scope.trace(
                $0, role: .resource, name: isKMSKey ? "key policy" : isTrust ? "trust policy" : "resource policy")
        }
        let boundaries =
            principal.isIAMIdentity
            ? policies.permissionsBoundaries.enumerated().map {
                scope.trace($1, role: .permissionsBoundary, name: "permissions boundary \($0 + 1)")
            } : []
        let session =
            principal.isIAMIdentity
            ? policies.sessionPolicy.map { scope.trace($0, role: .session, name: "session policy") } : nil
        let scpLevels =
            principal.isIAMIdentity
            ? policies.serviceControlPolicies.enumerated().map { level, documents in
                documents.enumerated().map {
                    scope.trace($1, role: .serviceControl, name: "SCP level \(level + 1) policy \($0 + 1)")
                }
            } : []
        let rcpApplies = principal.isIAMIdentity && resourceARN.map { Self.rcpServices.contains($0.service) } ?? false
        let rcpLevels =
            rcpApplies
            ? policies.resourceControlPolicies.enumerated().map { level, documents in
                documents.enumerated().map {
                    scope.trace($1, role: .resourceControl, name: "RCP level \(level + 1) policy \($0 + 1)")
                }
            } : []

        let all: [TracedPolicy] =
            identity + (resource.map { [$0] } ?? []) + boundaries + (session.map { [$0] } ?? [])
            + scpLevels.flatMap { $0 } + rcpLevels.flatMap { $0 }
        let traces = all.map(\.trace)
        func result(_ decision: Decision, _ reason: String, _ decided: [String] = []) -> Evaluation {
            Evaluation(decision: decision, reason: reason, decidedBy: decided, trace: traces)
        }

        // 1. An explicit deny anywhere wins (§1.1).
        let denials = all.flatMap { $0.denying }
        if !denials.isEmpty {
            return result(.explicitlyDenied, "an explicit Deny matches the request", denials)
        }
        // 2. Organization policies limit: every level must allow (§1.2).
        for (index, level) in rcpLevels.enumerated() where !level.contains(where: { !$0.allowing.isEmpty }) {
            return result(
                .implicitlyDenied, "no resource control policy at organization level \(index + 1) allows the request")
        }
        for (index, level) in scpLevels.enumerated() where !level.contains(where: { !$0.allowing.isEmpty }) {
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
        let resourceDecided = resource?.allowing ?? []
        let identityAllows: Bool
        let identityDecided: [String]
        if case .root = principal.kind, principal.isIAMIdentity {
            // The root user may do anything its account may (semantics.md §4 world rules).
            identityAllows = true
            identityDecided = ["the root user of \(principal.account ?? "")"]
        } else {
            identityDecided = identity.flatMap(\.allowing)
            identityAllows = !identityDecided.isEmpty
        }
        let boundaryBlocks = boundaries.first { $0.allowing.isEmpty }
        let sessionBlocks = session.flatMap { $0.allowing.isEmpty ? $0 : nil }

        func limited(_ decided: [String], _ bypassLimits: Bool) -> Evaluation {
            if !bypassLimits, let boundary = boundaryBlocks {
                return result(.implicitlyDenied, "the \(boundary.trace.name) does not allow the request")
            }
            if !bypassLimits, let session = sessionBlocks {
                return result(.implicitlyDenied, "the \(session.trace.name) does not allow the request")
            }
            return result(.allowed, "allowed", decided)
        }

        guard principal.isIAMIdentity else {
            // Anonymous callers and AWS services: only the resource policy can grant.
            guard case .caller = resourceGrant else {
                return result(.implicitlyDenied, "no resource policy statement allows this caller")
            }
            return result(.allowed, "allowed by the resource policy", resourceDecided)
        }

        let policyName = isKMSKey ? "key policy" : isTrust ? "trust policy" : "resource policy"
        if isKMSKey || isTrust {
            // The key policy (or trust policy) must allow on its own (§1.3, §3.1).
            switch resourceGrant {
            case .none:
                return result(
                    .implicitlyDenied,
                    resource == nil
                        ? "there is no \(policyName), and an identity policy alone never grants this"
                        : "the \(policyName) does not allow the request; an identity policy alone never grants this")
            case .account:
                guard identityAllows else {
                    return result(
                        .implicitlyDenied,
                        "the \(policyName) delegates to account \(principal.account ?? "")'s IAM policies, and none of them allows the request"
                    )
                }
                return limited(resourceDecided + identityDecided, false)
            case .caller(let exact):
                if crossAccount && !identityAllows {
                    return result(
                        .implicitlyDenied,
                        "the \(policyName) allows the caller, but across accounts an identity policy in \(principal.account ?? "") must allow it too"
                    )
                }
                return limited(resourceDecided + (crossAccount ? identityDecided : []), exact && !crossAccount)
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
            return limited(resourceDecided + identityDecided, false)
        }

        // §1.3: same account, either side may allow.
        switch resourceGrant {
        case .caller(let exact):
            return limited(resourceDecided, exact)
        case .account, .none:
            guard identityAllows else {
                return result(.implicitlyDenied, "no identity or resource policy statement allows the request")
            }
            return limited(identityDecided + resourceDecided, false)
        }
    }

    /// Fills in the context keys AWS derives from the request itself, unless given.
    func deriveContext(_ request: inout EvaluationRequest, resourceAccount: String) {
        let principal = request.principal
        request.context.derive("aws:PrincipalArn", principal.principalARN)
        request.context.derive("aws:PrincipalAccount", principal.account)
        request.context.derive("aws:PrincipalType", principal.principalType)
        request.context.derive("aws:ResourceAccount", resourceAccount)
        if request.action.lowercased().hasPrefix("kms:") {
            request.context.derive("kms:CallerAccount", principal.account)
        }
        if case .user(let name) = principal.kind {
            request.context.derive("aws:username", name)
        }
        if case .service(let name) = principal.kind {
            request.context.derive("aws:PrincipalServiceName", name)
            request.context.derive("aws:PrincipalIsAWSService", "true")
        }
    }
}

/// One policy evaluated against one request.
struct TracedPolicy {
    var trace: PolicyTrace
    /// Statements that apply with Deny / Allow, as "policy: statement".
    var denying: [String]
    var allowing: [String]
    /// For resource policies: the strongest principal match among allowing statements.
    var grant: PrincipalMatch
}

/// The request, with helpers to evaluate statements against it.
struct Scope {
    let request: EvaluationRequest
    let actionLowercased: String
    let resourceScalars: [Unicode.Scalar]

    init(request: EvaluationRequest) {
        self.request = request
        actionLowercased = request.action.lowercased()
        resourceScalars = Array(request.resource.unicodeScalars)
    }

    func trace(_ policy: PolicyDocument, role: PolicyRole, name: String) -> TracedPolicy {
        let variables = policy.supportsVariables
        var statements: [StatementTrace] = []
        var denying: [String] = []
        var allowing: [String] = []
        var grant = PrincipalMatch.none
        let hasPrincipal = role == .resource || role == .resourceControl
        for statement in policy.statements {
            var principal: PrincipalMatch = .caller(namesCallerExactly: false)
            if hasPrincipal {
                principal = statement.principal.map { PrincipalMatcher.match($0, request.principal) } ?? .none
            }
            let action = statement.actions.map(actionMatches) ?? false
            let resource = statement.resources.map { resourceMatches($0, variables: variables) } ?? (role == .resource)
            let conditions = statement.conditions.map { condition in
                ConditionTrace(
                    operatorName: condition.operatorName.value, key: condition.key.value,
                    values: condition.values.map(\.value), requestValues: request.context[condition.key.value],
                    holds: ConditionEvaluator.holds(condition, in: request.context, variables: variables))
            }
            let applies = principal.matches && action && resource && conditions.allSatisfy(\.holds)
            if applies {
                let label = "\(name): \(statement.label)"
                if statement.effect.value == .deny {
                    denying.append(label)
                } else {
                    allowing.append(label)
                    switch principal {
                    case .caller(let exact):
                        grant = .caller(namesCallerExactly: exact || grant == .caller(namesCallerExactly: true))
                    case .account where grant == .none:
                        grant = .account
                    default:
                        break
                    }
                }
            }
            statements.append(
                StatementTrace(
                    statement: statement.label, effect: statement.effect.value.rawValue,
                    principal: hasPrincipal ? Self.describe(principal) : nil, action: action, resource: resource,
                    conditions: conditions, applies: applies))
        }
        let result = !denying.isEmpty ? "deny" : !allowing.isEmpty ? "allow" : "none"
        return TracedPolicy(
            trace: PolicyTrace(role: role, name: name, statements: statements, result: result), denying: denying,
            allowing: allowing, grant: grant)
    }

    static func describe(_ match: PrincipalMatch) -> String {
        switch match {
        case .none: return "none"
        case .account: return "account"
        case .caller: return "caller"
        }
    }

    func actionMatches(_ element: ListElement) -> Bool {
        let action = Array(actionLowercased.unicodeScalars)
        let any = element.values.contains { Wildcard.matches(Wildcard.tokens($0.value.lowercased()), action) }
        return element.negated ? !any : any
    }

    func resourceMatches(_ element: ListElement, variables: Bool) -> Bool {
        let any = element.values.contains { value in
            guard let tokens = PolicyVariables.resolve(value.value, in: request.context, enabled: variables) else {
                return false
            }
            return Wildcard.matches(tokens, resourceScalars)
        }
        return element.negated ? !any : any
    }
}
