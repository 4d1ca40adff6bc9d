/// A request to decide: who, what, on which resource, with which context keys.
public struct EvaluationRequest: Sendable {
    public var principal: RequestPrincipal
    public var action: String
    public var resource: String
    /// The account owning the resource; taken from the ARN when it carries one.
    public var resourceAccount: String?
    public var context: RequestContext

    public init(
        principal: RequestPrincipal, action: String, resource: String, resourceAccount: String? = nil,
        context: RequestContext = RequestContext()
    ) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.resourceAccount = resourceAccount
        self.context = context
    }
}

/// Every policy that may apply to one request (semantics.md §1.2).
public struct PolicySet: Sendable {
    public var identityPolicies: [PolicyDocument]
    /// The bucket policy, key policy or role trust policy of the resource.
    public var resourcePolicy: PolicyDocument?
    public var permissionsBoundaries: [PolicyDocument]
    public var sessionPolicy: PolicyDocument?
    /// One inner list per organization level, root first.
    public var serviceControlPolicies: [[PolicyDocument]]
    public var resourceControlPolicies: [[PolicyDocument]]
    /// AWS attaches `RCPFullAWSAccess` (allow everything) at every level of the
    /// organization and it cannot be detached, so RCPs only ever deny. Off only for
    /// policy sets that test a level's own allows without it.
    public var implicitRCPFullAWSAccess = true
    /// KMS grants on the key that cover the request's operation and encryption
    /// context; only their grantee is left for the evaluator to match.
    public var grants: [KeyGrantPermission]

    public init(
        identityPolicies: [PolicyDocument] = [], resourcePolicy: PolicyDocument? = nil,
        permissionsBoundaries: [PolicyDocument] = [], sessionPolicy: PolicyDocument? = nil,
        serviceControlPolicies: [[PolicyDocument]] = [], resourceControlPolicies: [[PolicyDocument]] = [],
        grants: [KeyGrantPermission] = []
    ) {
        self.identityPolicies = identityPolicies
        self.resourcePolicy = resourcePolicy
        self.permissionsBoundaries = permissionsBoundaries
        self.sessionPolicy = sessionPolicy
        self.serviceControlPolicies = serviceControlPolicies
        self.resourceControlPolicies = resourceControlPolicies
        self.grants = grants
    }
}

/// A KMS grant as the evaluator sees it: it can only allow, and only its grantee
/// (kms/grants.md, "About grants"). The caller of the evaluator has already
/// checked the grant's operations and encryption-context constraints.
public struct KeyGrantPermission: Sendable, Hashable {
    public var grantId: String
    public var grantee: RequestPrincipal
    /// What the trace shows for the grant ("Decrypt, GenerateDataKey").
    public var operations: [String]

    public init(grantId: String, grantee: RequestPrincipal, operations: [String]) {
        self.grantId = grantId
        self.grantee = grantee
        self.operations = operations
    }
}

/// The three outcomes, in the words used across kbtool (semantics.md §1.5).
public enum Decision: String, Sendable, Codable {
    case allowed = "Allowed"
    case implicitlyDenied = "ImplicitlyDenied"
    case explicitlyDenied = "ExplicitlyDenied"
}

/// The kinds of policy a trace can show.
public enum PolicyRole: String, Sendable, Codable {
    case identity
    /// A resource's policy (a bucket policy, or any other service's).
    case resource
    case keyPolicy
    case trustPolicy
    case permissionsBoundary
    case session
    case serviceControl = "scp"
    case resourceControl = "rcp"
    /// A KMS grant on the key (kms/grants.md).
    case grant

    /// Policies attached to the resource, which name who they apply to.
    public var isResourceBased: Bool { self == .resource || self == .keyPolicy || self == .trustPolicy }
}

public struct ConditionTrace: Sendable, Codable, Hashable {
    public var operatorName: String
    public var key: String
    public var values: [String]
    /// The request's values for the key; nil when it does not carry it.
    public var requestValues: [String]?
    public var holds: Bool

    enum CodingKeys: String, CodingKey {
        case operatorName = "operator"
        case key, values, requestValues, holds
    }
}

public struct StatementTrace: Sendable, Codable, Hashable {
    public var statement: String
    public var effect: String
    /// "caller", "account" or "none"; nil where policies have no principal.
    public var principal: String?
    public var action: Bool
    public var resource: Bool
    public var conditions: [ConditionTrace]
    /// Whether the statement applies to the request (every part matched).
    public var applies: Bool
}

public struct PolicyTrace: Sendable, Codable, Hashable {
    public var role: PolicyRole
    /// "identity policy 1", "SCP level 2 policy 1", …
    public var name: String
    public var statements: [StatementTrace]
    /// "allow", "deny" or "none": what this policy says about the request.
    public var result: String
}

/// A decision, why, and every policy's part in it.
public struct Evaluation: Sendable, Codable {
    public var decision: Decision
    public var reason: String
    /// The statements that decided, as "policy name: statement".
    public var decidedBy: [String]
    public var trace: [PolicyTrace]
    /// The error the service returns when it refuses the request itself
    /// (`decidedBy` is then `["service"]`).
    public var error: ServiceGuardrails.Refusal?

    public init(
        decision: Decision, reason: String, decidedBy: [String], trace: [PolicyTrace],
        error: ServiceGuardrails.Refusal? = nil
    ) {
        self.decision = decision
        self.reason = reason
        self.decidedBy = decidedBy
        self.trace = trace
        self.error = error
    }
}

/// A request that cannot be evaluated as given.
public struct EvaluationError: Error, Sendable, CustomStringConvertible {
    public var description: String
}
