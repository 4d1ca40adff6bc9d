import Foundation
import KBCrypto
import KBPolicy
import Synchronization

/// The IAM operations guides use to set up roles: create a role with its trust
/// policy, and put, get and delete its inline policies. Each call is authorized
/// by the policy model in the caller's account; IAM is global, so the Region
/// plays no part.
public struct IAM: Sendable {
    let world: World

    public struct Role: Sendable, Hashable {
        public var path: String
        public var roleName: String
        public var roleId: String
        public var arn: String
        public var createDate: Date
        public var assumeRolePolicyDocument: String?
    }

    public struct RolePolicy: Sendable, Hashable {
        public var roleName: String
        public var policyName: String
        public var policyDocument: String
    }

    public func createRole(
        _ caller: Caller, roleName: String, assumeRolePolicyDocument: String, path: String = "/"
    ) throws(ServiceError) -> Traced<Role> {
        guard let account = caller.account else { throw ServiceError("AccessDenied", "Access Denied") }
        try Self.validateName(roleName, what: "roleName", limit: 64)
        guard path.hasPrefix("/"), path.hasSuffix("/") else {
            throw ServiceError(
                "ValidationError", "The specified value for path is invalid. It must begin and end with / .")
        }
        let trust = try Self.parse(assumeRolePolicyDocument)
        let roleId = "AROA" + Self.identifierSuffix(world.random.bytes(17))
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let arn = "arn:aws:iam::\(account):role\(path)\(roleName)"
            try authorize(state, caller, "iam:CreateRole", resource: arn, account: account, &events)
            let key = "\(account)/role/\(roleName.lowercased())"
            guard state.principals[key] == nil else {
                throw ServiceError("EntityAlreadyExists", "Role with name \(roleName) already exists.", events: events)
            }
            let role = Role(
                path: path, roleName: roleName, roleId: roleId, arn: arn, createDate: state.now,
                assumeRolePolicyDocument: assumeRolePolicyDocument)
            state.principals[key] = PrincipalRecord(
                identityPolicies: [], permissionsBoundary: nil, role: role, trustPolicy: trust)
            return Traced(role, events: events)
        }
    }

    public func getRole(_ caller: Caller, roleName: String) throws(ServiceError) -> Traced<Role> {
        try withRole(caller, roleName, "iam:GetRole") { record, _, _ throws(ServiceError) in record.role! }
    }

    public func putRolePolicy(_ caller: Caller, roleName: String, policyName: String, policyDocument: String)
        throws(ServiceError) -> Traced<Void>
    {
        try Self.validateName(policyName, what: "policyName", limit: 128)
        let document = try Self.parse(policyDocument)
        return try withRole(caller, roleName, "iam:PutRolePolicy") { record, _, _ throws(ServiceError) in
            if let existing = record.inlinePolicies.firstIndex(where: { $0.name == policyName }) {
                record.inlinePolicies[existing] = InlinePolicy(
                    name: policyName, text: policyDocument, document: document)
            } else {
                record.inlinePolicies.append(InlinePolicy(name: policyName, text: policyDocument, document: document))
            }
        }
    }

    public func getRolePolicy(_ caller: Caller, roleName: String, policyName: String) throws(ServiceError)
        -> Traced<RolePolicy>
    {
        try withRole(caller, roleName, "iam:GetRolePolicy") { record, name, events throws(ServiceError) in
            guard let policy = record.inlinePolicies.first(where: { $0.name == policyName }) else {
                throw ServiceError(
                    "NoSuchEntity", "The role policy with name \(policyName) cannot be found.", events: events)
            }
            return RolePolicy(roleName: name, policyName: policy.name, policyDocument: policy.text)
        }
    }

    public func deleteRolePolicy(_ caller: Caller, roleName: String, policyName: String) throws(ServiceError)
        -> Traced<Void>
    {
        try withRole(caller, roleName, "iam:DeleteRolePolicy") { record, _, events throws(ServiceError) in
            guard let index = record.inlinePolicies.firstIndex(where: { $0.name == policyName }) else {
                throw ServiceError(
                    "NoSuchEntity", "The role policy with name \(policyName) cannot be found.", events: events)
            }
            record.inlinePolicies.remove(at: index)
        }
    }

    public func listRolePolicies(_ caller: Caller, roleName: String) throws(ServiceError) -> Traced<[String]> {
        try withRole(caller, roleName, "iam:ListRolePolicies") { record, _, _ throws(ServiceError) in
            record.inlinePolicies.map(\.name)
        }
    }

    public struct CallerIdentity: Sendable, Hashable {
        public var userId: String
        public var account: String
        public var arn: String
    }

    /// STS GetCallerIdentity: needs no permission, as in AWS.
    public func callerIdentity(_ caller: Caller) -> CallerIdentity {
        let principal = caller.principal
        let account = principal.account ?? ""
        let key = principal.account.map { WorldState.identityKey(principal, account: $0) } ?? ""
        let stored = world.state.withLock { $0.principals[key]?.role?.roleId }
        let seed = Array(key.utf8.reversed())
        switch principal.kind {
        case .root: return CallerIdentity(userId: account, account: account, arn: principal.text)
        case .assumedRole(_, let session):
            let roleId = stored ?? "AROA" + Self.identifierSuffix(seed)
            return CallerIdentity(userId: "\(roleId):\(session)", account: account, arn: principal.text)
        case .role:
            return CallerIdentity(
                userId: stored ?? "AROA" + Self.identifierSuffix(seed), account: account, arn: principal.text)
        default:
            return CallerIdentity(userId: "AIDA" + Self.identifierSuffix(seed), account: account, arn: principal.text)
        }
    }

    // MARK: - Shared

    /// Finds the caller's account's role, authorizes `action` on it, and lets
    /// `body` read or change its record.
    func withRole<Value: Sendable>(
        _ caller: Caller, _ roleName: String, _ action: String,
        _ body: (inout PrincipalRecord, String, [EngineEvent]) throws(ServiceError) -> Value
    ) throws(ServiceError) -> Traced<Value> {
        guard let account = caller.account else { throw ServiceError("AccessDenied", "Access Denied") }
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let key = "\(account)/role/\(roleName.lowercased())"
            let path = state.principals[key]?.role?.path ?? "/"
            try authorize(
                state, caller, action, resource: "arn:aws:iam::\(account):role\(path)\(roleName)", account: account,
                &events)
            guard var record = state.principals[key] else {
                throw ServiceError("NoSuchEntity", "The role with name \(roleName) cannot be found.", events: events)
            }
            if record.role == nil {
                // A role declared by the world's setup (a guide's profile) rather than created.
                record.role = Role(
                    path: "/", roleName: roleName, roleId: "AROA" + Self.identifierSuffix(Array(key.utf8.prefix(17))),
                    arn: "arn:aws:iam::\(account):role/\(roleName)", createDate: state.now)
            }
            let value = try body(&record, record.role!.roleName, events)
            state.principals[key] = record
            return Traced(value, events: events)
        }
    }

    func authorize(
        _ state: WorldState, _ caller: Caller, _ action: String, resource: String, account: String,
        _ events: inout [EngineEvent]
    ) throws(ServiceError) {
        let evaluation = state.authorize(
            caller, service: "iam", action: action, resource: resource, resourceAccount: account,
            resourcePolicy: nil, context: RequestContext(), events: &events)
        guard evaluation.decision == .allowed else {
            throw ServiceError(
                "AccessDenied",
                "User: \(caller.principal) is not authorized to perform: \(action) on resource: \(resource) because \(evaluation.reason)",
                events: events)
        }
    }

    static func parse(_ text: String) throws(ServiceError) -> PolicyDocument {
        do {
            return try KMS.parsePolicy(text)
        } catch {
            throw ServiceError("MalformedPolicyDocument", error.message)
        }
    }

    static func validateName(_ name: String, what: String, limit: Int) throws(ServiceError) {
        let allowed = name.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "+=,.@_-".unicodeScalars.contains($0))
        }
        guard !name.isEmpty, name.count <= limit, allowed else {
            throw ServiceError(
                "ValidationError",
                "1 validation error detected: Value '\(name)' at '\(what)' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
            )
        }
    }

    /// IAM unique ids: a type prefix and 17 upper-case letters and digits.
    static func identifierSuffix(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        return String(bytes.prefix(17).map { alphabet[Int($0) % alphabet.count] })
    }
}

/// A named policy embedded in a user or role.
struct InlinePolicy: Sendable {
    var name: String
    var text: String
    var document: PolicyDocument
}
