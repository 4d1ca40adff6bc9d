import Foundation
import KBCrypto
import KBPolicy
import Synchronization

/// KMS grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant and
/// RevokeGrant (kms/grants.md, kms/create-grant-overview.md, kms/grant-manage.md).
/// A grant lets its grantee use the key for its operations, beside the key policy
/// and IAM: it only ever allows, so an explicit Deny still wins.
extension KMS {
    /// Grants per KMS key (kms/grants.md, "About grants").
    public static let maxGrantsPerKey = 50_000

    /// CreateGrant. `kms:CreateGrant` from a policy may grant any operation; from a
    /// grant, only that grant's operations under at least as strict constraints.
    public func createGrant(
        _ origin: Origin, keyId: String, granteePrincipal: String, operations: [String],
        retiringPrincipal: String? = nil, constraints: GrantConstraints? = nil, name: String? = nil
    ) throws(ServiceError) -> Traced<CreatedGrant> {
        let grantee = try Self.grantPrincipal(granteePrincipal, field: "granteePrincipal")
        let retiring = try retiringPrincipal.map { text throws(ServiceError) in
            try Self.grantPrincipal(text, field: "retiringPrincipal")
        }
        try Self.validateOperations(operations)
        try constraints?.validate()
        let operations = Self.unique(operations)
        let grantId = world.random.hex(32)
        let token = Self.base64URL(world.random.bytes(96))
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let key = try resolve(state, keyId, origin)
            if let invalid = operations.first(where: GrantOperation.notForSymmetricKeys.contains) {
                throw ServiceError(
                    "ValidationException", "\(invalid) is not a valid grant operation for a symmetric encryption key.")
            }
            var context: [String: [String]] = [
                "kms:GrantOperations": operations, "kms:GranteePrincipal": [granteePrincipal],
                "kms:GrantIsForAWSResource": [origin.viaService == nil ? "false" : "true"],
            ]
            if let retiringPrincipal { context["kms:RetiringPrincipal"] = [retiringPrincipal] }
            if let constraints { context["kms:GrantConstraintType"] = constraints.typeNames }
            let pairs = (constraints?.encryptionContextSubset ?? [:]).merging(
                constraints?.encryptionContextEquals ?? [:]
            ) { _, exact in exact }
            try authorize(
                state, origin, "kms:CreateGrant", key: key, context: pairs.isEmpty ? nil : EncryptionContext(pairs),
                extraContext: context,
                grantFilter: { parent in
                    // A grant delegates only what it holds, no less strictly.
                    Set(operations).isSubset(of: parent.entry.operations)
                        && GrantConstraints.child(constraints, isAtLeastAsStrictAs: parent.entry.constraints)
                }, &events)
            try Self.requireUsable(key)
            var grants = state.grants[key.storageKey] ?? []
            grants.removeAll { $0.retiredAt.map { state.now >= $0 + state.grantPropagationDelay } ?? false }
            // A retried request with the same name and properties makes no new grant.
            if let name, !name.isEmpty,
                let same = grants.first(where: {
                    $0.retiredAt == nil && $0.entry.name == name && $0.grantee == grantee && $0.retiring == retiring
                        && Set($0.entry.operations) == Set(operations) && $0.entry.constraints == constraints
                })
            {
                return Traced(CreatedGrant(grantToken: same.token, grantId: same.entry.grantId), events: events)
            }
            guard grants.count < Self.maxGrantsPerKey else {
                throw ServiceError(
                    "LimitExceededException", "\(key.arn) already has \(Self.maxGrantsPerKey) grants.", events: events)
            }
            let entry = GrantListEntry(
                keyId: key.arn, grantId: grantId, name: name ?? "", creationDate: state.now,
                granteePrincipal: granteePrincipal, retiringPrincipal: retiringPrincipal,
                issuingAccount: "arn:aws:iam::\(origin.caller.account ?? key.account):root", operations: operations,
                constraints: constraints)
            grants.append(KMSGrant(entry: entry, token: token, grantee: grantee, retiring: retiring))
            state.grants[key.storageKey] = grants
            return Traced(CreatedGrant(grantToken: token, grantId: grantId), events: events)
        }
    }

    /// ListGrants for one key, optionally narrowed to one grant or one grantee.
    /// Retired and revoked grants are not listed.
    public func listGrants(_ origin: Origin, keyId: String, grantId: String? = nil, granteePrincipal: String? = nil)
        throws(ServiceError) -> Traced<[GrantListEntry]>
    {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let key = try resolve(state, keyId, origin)
            try authorize(
                state, origin, "kms:ListGrants", key: key,
                extraContext: ["kms:GrantIsForAWSResource": [origin.viaService == nil ? "false" : "true"]], &events)
            let listed = (state.grants[key.storageKey] ?? []).filter {
                $0.retiredAt == nil && (grantId == nil || $0.entry.grantId == grantId)
                    && (granteePrincipal == nil || $0.entry.granteePrincipal == granteePrincipal)
            }
            return Traced(listed.map(\.entry), events: events)
        }
    }

    /// ListRetirableGrants: the grants in the request's Region, on keys of any
    /// account, whose retiring principal is the one named, which must be in the
    /// caller's account. IAM policies alone decide (grant-manage.md).
    public func listRetirableGrants(_ origin: Origin, retiringPrincipal: String) throws(ServiceError) -> Traced<
        [GrantListEntry]
    > {
        let named = try Self.grantPrincipal(retiringPrincipal, field: "retiringPrincipal")
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            guard let account = origin.caller.account, named.account == account else {
                throw ServiceError(
                    "AccessDeniedException", "The retiring principal must be a principal in the caller's account.")
            }
            try Self.validateRegion(origin.region)
            try authorize(
                state, origin, "kms:ListRetirableGrants", resource: "*", account: account, policy: nil, &events)
            let listed = state.grants.keys.sorted().flatMap { storage in
                (state.grants[storage] ?? []).filter {
                    $0.retiredAt == nil && $0.retiring?.text == named.text
                        && state.keys[storage]?.region == origin.region
                }
            }
            return Traced(listed.map(\.entry), events: events)
        }
    }

    /// RetireGrant, by its token or by key and grant id. The grant decides who may:
    /// its retiring principal, its grantee when it allows RetireGrant, or the
    /// account it was created in. `kms:RetireGrant` in IAM only delegates an
    /// account's right to its users or denies it (kms/grant-manage.md).
    public func retireGrant(_ origin: Origin, grantToken: String? = nil, keyId: String? = nil, grantId: String? = nil)
        throws(ServiceError) -> Traced<Void>
    {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let (storage, index) = try findGrant(state, origin, token: grantToken, keyId: keyId, grantId: grantId)
            let grant = state.grants[storage]![index]
            let evaluation = retireAuthorization(state, origin, grant)
            events.append(
                .authorization(
                    service: "kms", action: "kms:RetireGrant", resource: grant.entry.keyId, evaluation: evaluation))
            guard evaluation.decision == .allowed else {
                throw ServiceError(
                    "AccessDeniedException",
                    "User: \(origin.caller.principal) is not authorized to perform: kms:RetireGrant on resource: \(grant.entry.keyId) because \(evaluation.reason)",
                    events: events)
            }
            state.grants[storage]![index].retiredAt = state.now
            return Traced((), events: events)
        }
    }

    /// RevokeGrant: authorized like any key operation (a key administrator's
    /// permission); it takes no grant token.
    public func revokeGrant(_ origin: Origin, keyId: String, grantId: String) throws(ServiceError) -> Traced<Void> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let key = try resolve(state, keyId, origin)
            try authorize(
                state, origin, "kms:RevokeGrant", key: key,
                extraContext: ["kms:GrantIsForAWSResource": [origin.viaService == nil ? "false" : "true"]], &events)
            try Self.validateGrantId(grantId)
            guard
                let index = state.grants[key.storageKey]?.firstIndex(where: {
                    $0.entry.grantId == grantId && $0.retiredAt == nil
                })
            else {
                throw ServiceError("NotFoundException", "Grant ID \(grantId) not found", events: events)
            }
            state.grants[key.storageKey]![index].retiredAt = state.now
            return Traced((), events: events)
        }
    }

    // MARK: - Grants in authorization

    /// The key's grants that cover `action` for this request: an operation the
    /// grant allows, its constraints met by the request's encryption context, and
    /// in effect now (or named by one of the request's tokens).
    func applicableGrants(
        _ state: WorldState, _ origin: Origin, _ action: String, key: KMSKey, context: EncryptionContext?
    ) throws(ServiceError) -> [KMSGrant] {
        try validateTokens(state, origin.grantTokens)
        guard let grants = state.grants[key.storageKey], !grants.isEmpty, action.lowercased().hasPrefix("kms:")
        else { return [] }
        let operation = GrantOperation.all.first { "kms:" + $0.lowercased() == action.lowercased() }
        guard let operation else { return [] }
        let tokens = Set(origin.grantTokens)
        return grants.filter { grant in
            grant.allows(operation)
                && grant.isEffective(
                    at: state.now, delay: state.grantPropagationDelay, tokenPresented: tokens.contains(grant.token))
                && (!GrantOperation.takeEncryptionContext.contains(operation)
                    || (grant.entry.constraints?.admits(context?.pairs ?? [:]) ?? true))
        }
    }

    /// At most 10 tokens, each one KMS issued.
    func validateTokens(_ state: WorldState, _ tokens: [String]) throws(ServiceError) {
        guard !tokens.isEmpty else { return }
        guard tokens.count <= 10 else {
            throw ServiceError(
                "ValidationException",
                "1 validation error detected: Value at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10"
            )
        }
        for token in tokens where !state.grants.values.contains(where: { $0.contains { $0.token == token } }) {
            throw ServiceError("InvalidGrantTokenException", "The grant token is not valid: \(token.prefix(16))…")
        }
    }

    /// Finds a grant by token, or by key and grant id; returns its place.
    func findGrant(_ state: WorldState, _ origin: Origin, token: String?, keyId: String?, grantId: String?)
        throws(ServiceError) -> (String, Int)
    {
        if let token {
            for (storage, grants) in state.grants {
                if let index = grants.firstIndex(where: { $0.token == token && $0.retiredAt == nil }) {
                    return (storage, index)
                }
            }
            throw ServiceError("InvalidGrantTokenException", "The grant token is not valid: \(token.prefix(16))…")
        }
        guard let keyId, let grantId else {
            throw ServiceError(
                "ValidationException", "Specify either a grant token, or both a key id and a grant id.")
        }
        try Self.validateGrantId(grantId)
        let key = try resolve(state, keyId, origin)
        guard
            let index = state.grants[key.storageKey]?.firstIndex(where: {
                $0.entry.grantId == grantId && $0.retiredAt == nil
            })
        else {
            throw ServiceError("NotFoundException", "Grant ID \(grantId) not found")
        }
        return (key.storageKey, index)
    }

    /// Who may retire a grant. The caller's IAM policies are evaluated on their own
    /// for `kms:RetireGrant`: a Deny there always wins, and an Allow is what lets a
    /// named account's users act for it.
    func retireAuthorization(_ state: WorldState, _ origin: Origin, _ grant: KMSGrant) -> Evaluation {
        let caller = origin.caller.principal
        let identity = state.authorize(
            origin.caller, action: "kms:RetireGrant", resource: grant.entry.keyId,
            resourceAccount: caller.account ?? "", resourcePolicy: nil, context: RequestContext(origin.context))
        func decided(_ decision: Decision, _ reason: String) -> Evaluation {
            Evaluation(decision: decision, reason: reason, decidedBy: [], trace: identity.trace)
        }
        if identity.decision == .explicitlyDenied { return identity }
        let delegated = identity.decision == .allowed
        func admits(_ named: RequestPrincipal?) -> Bool {
            guard let named else { return false }
            switch named.relation(to: caller) {
            case .caller: return true
            case .account: return delegated
            case .none: return false
            }
        }
        if admits(grant.retiring) {
            return decided(.allowed, "the caller is the grant's retiring principal")
        }
        if grant.allows("RetireGrant"), admits(grant.grantee) {
            return decided(.allowed, "the grant allows its grantee RetireGrant")
        }
        if "arn:aws:iam::\(caller.account ?? ""):root" == grant.entry.issuingAccount,
            caller.kind == .root || delegated
        {
            return decided(.allowed, "the grant was created in the caller's account")
        }
        return decided(
            .implicitlyDenied,
            "the caller is neither the grant's retiring principal, nor a grantee allowed RetireGrant, nor in the account that created it"
        )
    }

    // MARK: - Validation

    /// Grantees and retiring principals are AWS principals: accounts, users, roles,
    /// sessions. Not services, groups or organizations (kms/grants.md).
    static func grantPrincipal(_ text: String, field: String) throws(ServiceError) -> RequestPrincipal {
        guard let principal = RequestPrincipal(text), principal.isIAMIdentity, principal.account != nil else {
            throw ServiceError(
                "ValidationException",
                "1 validation error detected: Value '\(text)' at '\(field)' is not a valid principal")
        }
        return principal
    }

    static func validateOperations(_ operations: [String]) throws(ServiceError) {
        guard !operations.isEmpty else {
            throw ServiceError(
                "ValidationException",
                "1 validation error detected: Value '[]' at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1"
            )
        }
        if let unknown = operations.first(where: { !GrantOperation.all.contains($0) }) {
            throw ServiceError(
                "ValidationException",
                "1 validation error detected: Value '[\(unknown)]' at 'operations' failed to satisfy constraint: Member must satisfy enum value set: [\(GrantOperation.all.joined(separator: ", "))]"
            )
        }
    }

    /// Grant ids are 64 hexadecimal digits.
    static func validateGrantId(_ id: String) throws(ServiceError) {
        guard id.utf8.count == 64, id.allSatisfy(\.isHexDigit) else {
            throw ServiceError("InvalidGrantIdException", "\(id) is not a valid grant id.")
        }
    }

    static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    /// Grant tokens are opaque base64 text.
    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
