import Foundation
import KBCrypto
import KBPolicy
import Synchronization

/// The simulated AWS: accounts, principals with their policies, organization
/// policies, a clock, KMS and S3. One lock guards the whole state, so a world can
/// be shared between threads; each operation runs as one atomic step.
public final class World: Sendable {
    public let random: any RandomSource
    let state: Mutex<WorldState>

    /// `seed` makes key ids, key material and blobs reproducible, for examples and
    /// tests; it is not a secret. Without it the system generator is used.
    public init(seed: String? = nil, start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        self.random = seed.map { SeededRandom(seed: $0) } ?? SystemRandom()
        self.state = Mutex(WorldState(now: start))
    }

    public var kms: KMS { KMS(world: self) }
    public var s3: S3 { S3(world: self) }
    public var iam: IAM { IAM(world: self) }

    /// With `false`, authorizations are decided without building their policy
    /// trace (events still say which authorizations ran and their decisions); for
    /// bulk runs that only need results.
    public func setTracing(_ on: Bool) {
        state.withLock { $0.tracing = on }
    }

    /// Before 2023, S3 stored objects unencrypted unless asked; guides written then
    /// describe that. `true` (the default) is today's behaviour.
    public func setEncryptNewObjectsByDefault(_ on: Bool) {
        state.withLock { $0.encryptNewObjectsByDefault = on }
    }

    /// Since April 2026 new buckets refuse SSE-C uploads until PutBucketEncryption
    /// unblocks them (blocking-unblocking-s3-c-encryption-gpb.html). `true` (the
    /// default) is today's behaviour; `false` models the years before.
    public func setBlockSSECOnNewBuckets(_ on: Bool) {
        state.withLock { $0.blockSSECOnNewBuckets = on }
    }

    /// How long a new grant takes to reach every KMS endpoint, in seconds
    /// (kms/grants.md: "usually less than five minutes"). Until then the grant
    /// counts only for requests that carry its grant token, and a retired or
    /// revoked grant keeps counting. 0, the default, makes grants take effect (and
    /// end) at once; 300 is AWS's stated worst case.
    public func setGrantPropagationDelay(_ seconds: TimeInterval) {
        guard seconds.isFinite, seconds >= 0 else { return }
        state.withLock { $0.grantPropagationDelay = seconds }
    }

    // MARK: - Principals and organization policies

    /// Adds (or replaces) an IAM user or role with its identity policies. Sessions
    /// of a role (`arn:aws:sts::…:assumed-role/NAME/…`) use the role's policies.
    /// `trustPolicy`, for a role, says who may assume it (S3 assumes a
    /// replication configuration's role).
    public func setPrincipal(
        _ arn: String, identityPolicies: [PolicyDocument] = [], permissionsBoundary: PolicyDocument? = nil,
        trustPolicy: PolicyDocument? = nil
    ) throws(ServiceError) {
        guard let principal = RequestPrincipal(arn), let account = principal.account else {
            throw ServiceError("ValidationException", "\(arn) is not an IAM user or role ARN")
        }
        state.withLock {
            let key = WorldState.identityKey(principal, account: account)
            var record = $0.principals[key] ?? PrincipalRecord(identityPolicies: [])
            record.identityPolicies = identityPolicies
            record.permissionsBoundary = permissionsBoundary
            if let trustPolicy { record.trustPolicy = trustPolicy }
            $0.principals[key] = record
        }
    }

    /// Attaches another identity policy to a user or role that exists.
    public func attach(_ policy: PolicyDocument, to arn: String) throws(ServiceError) {
        guard let principal = RequestPrincipal(arn), let account = principal.account else {
            throw ServiceError("ValidationException", "\(arn) is not an IAM user or role ARN")
        }
        let key = WorldState.identityKey(principal, account: account)
        try state.withLock { state throws(ServiceError) in
            guard state.principals[key] != nil else { throw ServiceError("NoSuchEntity", "\(arn) does not exist") }
            state.principals[key]?.identityPolicies.append(policy)
        }
    }

    /// SCPs for an account's principals, one inner list per organization level.
    public func setServiceControlPolicies(account: String, levels: [[PolicyDocument]]) {
        state.withLock { $0.serviceControlPolicies[account] = levels }
    }

    /// RCPs for an account's resources, one inner list per organization level.
    public func setResourceControlPolicies(account: String, levels: [[PolicyDocument]]) {
        state.withLock { $0.resourceControlPolicies[account] = levels }
    }

    // MARK: - Time

    public var now: Date { state.withLock { $0.now } }

    /// Moves the simulated clock; scheduled key deletions and rotations happen.
    /// Negative, infinite or NaN amounts are ignored: time only moves forward.
    public func advance(by seconds: TimeInterval) {
        guard seconds.isFinite, seconds >= 0 else { return }
        state.withLock { state in
            state.now += seconds
            state.applyClock(random: random)
        }
    }
}

/// A caller: who, plus an optional session policy for role sessions.
public struct Caller: Sendable {
    public var principal: RequestPrincipal
    public var sessionPolicy: PolicyDocument?

    public init(_ arn: String, sessionPolicy: PolicyDocument? = nil) throws(ServiceError) {
        guard let principal = RequestPrincipal(arn) else {
            throw ServiceError("ValidationException", "\(arn) is not a principal")
        }
        self.principal = principal
        self.sessionPolicy = sessionPolicy
    }

    init(principal: RequestPrincipal) {
        self.principal = principal
    }

    public var account: String? { principal.account }
}

struct PrincipalRecord: Sendable {
    /// Policies attached by the world's setup.
    var identityPolicies: [PolicyDocument]
    var permissionsBoundary: PolicyDocument?
    /// Set for roles made by CreateRole (or first touched through IAM).
    var role: IAM.Role?
    var trustPolicy: PolicyDocument?
    /// Policies put by PutRolePolicy, by name.
    var inlinePolicies: [InlinePolicy] = []

    var allIdentityPolicies: [PolicyDocument] { identityPolicies + inlinePolicies.map(\.document) }
}

/// Everything the world holds. Only touched under the world's lock.
struct WorldState: Sendable {
    var now: Date
    var principals: [String: PrincipalRecord] = [:]
    var serviceControlPolicies: [String: [[PolicyDocument]]] = [:]
    var resourceControlPolicies: [String: [[PolicyDocument]]] = [:]
    var keys: [String: KMSKey] = [:]
    /// "account/region/alias/name" → key id.
    var aliases: [String: String] = [:]
    /// Grants by their key's storage key, oldest first.
    var grants: [String: [KMSGrant]] = [:]
    var grantPropagationDelay: TimeInterval = 0
    /// Simulated credentials, by principal ARN and by access key id, for presigning.
    var accessKeys: [String: AccessKey] = [:]
    var accessKeysByID: [String: AccessKey] = [:]
    var buckets: [String: Bucket] = [:]
    var contents: [String: BucketContents] = [:]
    /// Since 5 January 2023 every new object is encrypted at least with SSE-S3;
    /// false models the earlier behaviour that older guides describe.
    var encryptNewObjectsByDefault = true
    /// Since April 2026 new buckets block SSE-C; false models the time before.
    var blockSSECOnNewBuckets = true
    /// Whether authorizations keep their policy trace in the events (on by default).
    var tracing = true

    /// Users and roles by "account/user/name" or "account/role/name"; a session
    /// maps to its role.
    static func identityKey(_ principal: RequestPrincipal, account: String) -> String {
        switch principal.kind {
        case .user(let name): return "\(account)/user/\(name.lowercased())"
        case .role(let name), .assumedRole(let name, _): return "\(account)/role/\(name.lowercased())"
        default: return "\(account)/\(principal.text)"
        }
    }

    /// Decides a request and records the decision, with its trace, in `events`.
    func authorize(
        _ caller: Caller, service: String, action: String, resource: String, resourceAccount: String,
        resourcePolicy: PolicyDocument?, context: RequestContext, grants: [KeyGrantPermission] = [],
        events: inout [EngineEvent]
    ) -> Evaluation {
        let evaluation = authorize(
            caller, action: action, resource: resource, resourceAccount: resourceAccount,
            resourcePolicy: resourcePolicy,
            context: context, grants: grants)
        events.append(.authorization(service: service, action: action, resource: resource, evaluation: evaluation))
        return evaluation
    }

    /// Decides a request with the caller's policies, the resource's policy and the
    /// organization policies of both accounts.
    func authorize(
        _ caller: Caller, action: String, resource: String, resourceAccount: String, resourcePolicy: PolicyDocument?,
        context: RequestContext, grants: [KeyGrantPermission] = []
    ) -> Evaluation {
        let principal = caller.principal
        var policies = PolicySet(resourcePolicy: resourcePolicy, grants: grants)
        if let account = principal.account {
            let record = principals[Self.identityKey(principal, account: account)]
            policies.identityPolicies = record?.allIdentityPolicies ?? []
            policies.permissionsBoundaries = record?.permissionsBoundary.map { [$0] } ?? []
            policies.serviceControlPolicies = serviceControlPolicies[account] ?? []
        }
        if case .assumedRole = principal.kind { policies.sessionPolicy = caller.sessionPolicy }
        policies.resourceControlPolicies = resourceControlPolicies[resourceAccount] ?? []
        let request = EvaluationRequest(
            principal: principal, action: action, resource: resource, resourceAccount: resourceAccount, context: context
        )
        // The request is well formed by construction: the resource account is given.
        return (try? PolicyEvaluator().evaluate(request, policies: policies, traced: tracing))
            ?? Evaluation(
                decision: .implicitlyDenied, reason: "the request could not be evaluated", decidedBy: [], trace: [])
    }
}
