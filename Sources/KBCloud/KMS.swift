import Crypto
import Foundation
import KBCrypto
import KBDiagnostics
import KBJSON
import KBPolicy
import Synchronization

/// AWS KMS for symmetric keys: every call is authorized by the policy model with
/// the key policy as the resource policy, and cryptography is real AES-256-GCM.
/// Errors carry AWS's error codes (semantics.md §3.11).
public struct KMS: Sendable {
    let world: World

    /// Who asks, and whether through a service (S3 calls KMS on the caller's
    /// behalf, with `kms:ViaService`).
    public struct Origin: Sendable {
        public var caller: Caller
        public var region: String
        /// e.g. `s3.us-east-1.amazonaws.com`.
        public var viaService: String?
        /// Extra request context keys (aws:SecureTransport, …).
        public var context: [String: [String]]
        /// Grant tokens sent with the request: a grant counts at once for a request
        /// that carries its token (kms/grant-manage.md, "Using a grant token").
        public var grantTokens: [String]

        public init(
            _ caller: Caller, region: String, viaService: String? = nil, context: [String: [String]] = [:],
            grantTokens: [String] = []
        ) {
            self.caller = caller
            self.region = region
            self.viaService = viaService
            self.context = context
            self.grantTokens = grantTokens
        }
    }

    // MARK: - Keys and their policies

    /// CreateKey. With `policy`, the lockout safety check runs unless bypassed;
    /// without it the key gets the default key policy (its account's root may do anything).
    /// `keyId` pins the new key's id, so a guide's policies, which name a key by
    /// its ARN, can be run as written (KMS itself always chooses the id).
    /// `keyMaterialOrigin` EXTERNAL makes a key for imported material: it has none
    /// and stays PendingImport until ImportKeyMaterial (importing-keys.md).
    public func createKey(
        _ origin: Origin, policy: String? = nil, description: String = "", multiRegion: Bool = false,
        bypassPolicyLockoutSafetyCheck: Bool = false, keyId: String? = nil, keyMaterialOrigin: String = "AWS_KMS"
    ) throws(ServiceError) -> Traced<KeyMetadata> {
        guard ["AWS_KMS", "EXTERNAL"].contains(keyMaterialOrigin) else {
            throw ServiceError(
                "UnsupportedOperationException",
                "Origin \(keyMaterialOrigin) is not supported here (AWS_KMS, EXTERNAL).")
        }
        let external = keyMaterialOrigin == "EXTERNAL"
        guard let account = origin.caller.account else {
            throw ServiceError("AccessDeniedException", "\(origin.caller.principal) cannot create keys")
        }
        try Self.validateRegion(origin.region)
        var origin = origin
        origin.context["kms:BypassPolicyLockoutSafetyCheck"] = [bypassPolicyLockoutSafetyCheck ? "true" : "false"]
        let id = keyId ?? (multiRegion ? "mrk-" + world.random.hex(16) : world.random.uuid())
        let material = SymmetricKey(data: world.random.bytes(32))
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            // CreateKey has no key to name yet: IAM authorizes it on "*".
            try authorize(state, origin, "kms:CreateKey", resource: "*", account: account, policy: nil, &events)
            let text = policy ?? Self.defaultPolicy(account: account)
            let document = try Self.parsePolicy(text)
            guard state.keys[KMSKey.storageKey(account: account, region: origin.region, id: id)] == nil else {
                throw ServiceError("AlreadyExistsException", "A key with id \(id) already exists.")
            }
            var key = KMSKey(
                id: id, account: account, region: origin.region, description: description, policy: document,
                policyText: text, materials: external ? [] : [material], created: state.now, multiRegion: multiRegion)
            if external {
                key.isExternal = true
                key.state = .pendingImport
            }
            if policy != nil, !bypassPolicyLockoutSafetyCheck {
                try lockoutCheck(state, origin, key: key, &events)
            }
            key.policy = document
            state.keys[key.storageKey] = key
            return Traced(state.metadata(key), events: events)
        }
    }

    public func describeKey(_ origin: Origin, keyId: String) throws(ServiceError) -> Traced<KeyMetadata> {
        try read(origin, keyId: keyId, action: "kms:DescribeKey") { state, key in state.metadata(key) }
    }

    public func getKeyPolicy(_ origin: Origin, keyId: String) throws(ServiceError) -> Traced<String> {
        try read(origin, keyId: keyId, action: "kms:GetKeyPolicy") { _, key in key.policyText }
    }

    /// Resolves a key, authorizes a read-only action on it and answers from it.
    func read<Value: Sendable>(
        _ origin: Origin, keyId: String, action: String, _ answer: (WorldState, KMSKey) -> Value
    )
        throws(ServiceError) -> Traced<Value>
    {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let key = try resolve(state, keyId, origin)
            try authorize(state, origin, action, key: key, &events)
            return Traced(answer(state, key), events: events)
        }
    }

    public func putKeyPolicy(
        _ origin: Origin, keyId: String, policy: String, bypassPolicyLockoutSafetyCheck: Bool = false
    )
        throws(ServiceError) -> Traced<Void>
    {
        var origin = origin
        origin.context["kms:BypassPolicyLockoutSafetyCheck"] = [bypassPolicyLockoutSafetyCheck ? "true" : "false"]
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            var key = try resolve(state, keyId, origin)
            try authorize(state, origin, "kms:PutKeyPolicy", key: key, &events)
            let document = try Self.parsePolicy(policy)
            var candidate = key
            candidate.policy = document
            if !bypassPolicyLockoutSafetyCheck { try lockoutCheck(state, origin, key: candidate, &events) }
            key.policy = document
            key.policyText = policy
            state.keys[key.storageKey] = key
            return Traced((), events: events)
        }
    }

    // MARK: - States

    public func enableKey(_ origin: Origin, keyId: String) throws(ServiceError) -> Traced<Void> {
        try changeState(origin, keyId: keyId, action: "kms:EnableKey") { key, _ throws(ServiceError) in
            if case .pendingDeletion = key.state { throw Self.pendingDeletion(key) }
            if case .pendingImport = key.state { throw Self.pendingImport(key) }
            key.state = .enabled
        }
    }

    public func disableKey(_ origin: Origin, keyId: String) throws(ServiceError) -> Traced<Void> {
        try changeState(origin, keyId: keyId, action: "kms:DisableKey") { key, _ throws(ServiceError) in
            if case .pendingDeletion = key.state { throw Self.pendingDeletion(key) }
            if case .pendingImport = key.state { throw Self.pendingImport(key) }
            key.state = .disabled
        }
    }

    /// ScheduleKeyDeletion: 7–30 days, 30 by default. Returns the deletion date.
    public func scheduleKeyDeletion(_ origin: Origin, keyId: String, pendingWindowInDays: Int = 30) throws(ServiceError)
        -> Traced<Date>
    {
        guard (7...30).contains(pendingWindowInDays) else {
            throw ServiceError(
                "ValidationException",
                "1 validation error detected: Value '\(pendingWindowInDays)' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30"
            )
        }
        var until = Date.distantPast
        let traced = try changeState(origin, keyId: keyId, action: "kms:ScheduleKeyDeletion") {
            key, now throws(ServiceError) in
            if case .pendingDeletion = key.state { throw Self.pendingDeletion(key) }
            until = now + TimeInterval(pendingWindowInDays) * 86_400
            key.state = .pendingDeletion(until: until)
        }
        return Traced(until, events: traced.events)
    }

    /// CancelKeyDeletion leaves the key Disabled (semantics.md §3.7).
    public func cancelKeyDeletion(_ origin: Origin, keyId: String) throws(ServiceError) -> Traced<Void> {
        try changeState(origin, keyId: keyId, action: "kms:CancelKeyDeletion") { key, _ throws(ServiceError) in
            guard case .pendingDeletion = key.state else {
                throw ServiceError("KMSInvalidStateException", "\(key.arn) is not pending deletion.")
            }
            // A key whose imported material is gone goes back to waiting for it.
            key.state = key.materials.isEmpty ? .pendingImport : .disabled
        }
    }

    /// Authorizes `action` on a key and applies a change; `change` gets the
    /// world's time as read under the lock.
    func changeState(
        _ origin: Origin, keyId: String, action: String, _ change: (inout KMSKey, Date) throws(ServiceError) -> Void
    ) throws(ServiceError) -> Traced<Void> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            var key = try resolve(state, keyId, origin)
            try authorize(state, origin, action, key: key, &events)
            try change(&key, state.now)
            state.keys[key.storageKey] = key
            return Traced((), events: events)
        }
    }

    // MARK: - Multi-Region keys

    /// ReplicateKey: a replica in another Region with the same id and key material,
    /// and a key policy of its own.
    /// The replica shares the primary's key material and id; its description and
    /// policy are its own (the description is not a shared property).
    public func replicateKey(
        _ origin: Origin, keyId: String, replicaRegion: String, policy: String? = nil, description: String? = nil
    ) throws(ServiceError) -> Traced<KeyMetadata> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let primary = try resolve(state, keyId, origin)
            guard primary.multiRegion, !primary.isReplica else {
                throw ServiceError("UnsupportedOperationException", "\(primary.arn) is not a multi-Region primary key.")
            }
            try authorize(state, origin, "kms:ReplicateKey", key: primary, &events)
            try Self.requireUsable(primary)
            try Self.validateRegion(replicaRegion)
            // The replica is a new key in its Region: CreateKey must be allowed there too.
            var there = origin
            there.region = replicaRegion
            try authorize(state, there, "kms:CreateKey", resource: "*", account: primary.account, policy: nil, &events)
            guard replicaRegion != primary.region,
                state.keys[KMSKey.storageKey(account: primary.account, region: replicaRegion, id: primary.id)] == nil
            else {
                throw ServiceError("AlreadyExistsException", "\(primary.id) already has a key in \(replicaRegion).")
            }
            let text = policy ?? Self.defaultPolicy(account: primary.account)
            var replica = primary
            replica.region = replicaRegion
            replica.isReplica = true
            replica.policy = try Self.parsePolicy(text)
            replica.policyText = text
            replica.description = description ?? ""
            replica.created = state.now
            replica.rotationPeriodDays = nil
            replica.nextRotation = nil
            if policy != nil { try lockoutCheck(state, there, key: replica, &events) }
            state.keys[replica.storageKey] = replica
            return Traced(state.metadata(replica), events: events)
        }
    }

    // MARK: - Aliases

    public func createAlias(_ origin: Origin, aliasName: String, targetKeyId: String) throws(ServiceError) -> Traced<
        Void
    > {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            guard let account = origin.caller.account else {
                throw ServiceError("AccessDeniedException", "\(origin.caller.principal) cannot create aliases")
            }
            try Self.validateAliasName(aliasName)
            let key = try Self.aliasTarget(state, targetKeyId, origin, resolve)
            guard key.account == account, key.region == origin.region else {
                throw ServiceError("NotFoundException", "Key '\(targetKeyId)' does not exist")
            }
            let storage = "\(account)/\(origin.region)/\(aliasName)"
            guard state.aliases[storage] == nil else {
                throw ServiceError(
                    "AlreadyExistsException",
                    "An alias with the name arn:aws:kms:\(origin.region):\(account):\(aliasName) already exists")
            }
            let aliasARN = "arn:aws:kms:\(origin.region):\(account):\(aliasName)"
            try authorize(state, origin, "kms:CreateAlias", resource: aliasARN, account: account, policy: nil, &events)
            try authorize(state, origin, "kms:CreateAlias", key: key, &events)
            state.aliases[storage] = key.id
            return Traced((), events: events)
        }
    }

    public func updateAlias(_ origin: Origin, aliasName: String, targetKeyId: String) throws(ServiceError) -> Traced<
        Void
    > {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            guard let account = origin.caller.account else {
                throw ServiceError("AccessDeniedException", "\(origin.caller.principal) cannot update aliases")
            }
            let storage = "\(account)/\(origin.region)/\(aliasName)"
            guard let current = state.aliases[storage],
                let old = state.keys[KMSKey.storageKey(account: account, region: origin.region, id: current)]
            else {
                throw ServiceError(
                    "NotFoundException", "Alias arn:aws:kms:\(origin.region):\(account):\(aliasName) is not found.")
            }
            let key = try Self.aliasTarget(state, targetKeyId, origin, resolve)
            guard key.account == account, key.region == origin.region else {
                throw ServiceError("NotFoundException", "Key '\(targetKeyId)' does not exist")
            }
            let aliasARN = "arn:aws:kms:\(origin.region):\(account):\(aliasName)"
            try authorize(state, origin, "kms:UpdateAlias", resource: aliasARN, account: account, policy: nil, &events)
            try authorize(state, origin, "kms:UpdateAlias", key: old, &events)
            try authorize(state, origin, "kms:UpdateAlias", key: key, &events)
            state.aliases[storage] = key.id
            return Traced((), events: events)
        }
    }

    public func deleteAlias(_ origin: Origin, aliasName: String) throws(ServiceError) -> Traced<Void> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            guard let account = origin.caller.account else {
                throw ServiceError("AccessDeniedException", "\(origin.caller.principal) cannot delete aliases")
            }
            let storage = "\(account)/\(origin.region)/\(aliasName)"
            guard let current = state.aliases[storage] else {
                throw ServiceError(
                    "NotFoundException", "Alias arn:aws:kms:\(origin.region):\(account):\(aliasName) is not found.")
            }
            let aliasARN = "arn:aws:kms:\(origin.region):\(account):\(aliasName)"
            try authorize(state, origin, "kms:DeleteAlias", resource: aliasARN, account: account, policy: nil, &events)
            if let key = state.keys[KMSKey.storageKey(account: account, region: origin.region, id: current)] {
                try authorize(state, origin, "kms:DeleteAlias", key: key, &events)
            }
            state.aliases[storage] = nil
            return Traced((), events: events)
        }
    }

    public struct AliasEntry: Sendable, Hashable {
        public var aliasName: String
        public var aliasArn: String
        public var targetKeyId: String
    }

    /// ListAliases in the caller's account and Region, optionally for one key.
    public func listAliases(_ origin: Origin, keyId: String? = nil) throws(ServiceError) -> Traced<[AliasEntry]> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            guard let account = origin.caller.account else {
                throw ServiceError("AccessDeniedException", "\(origin.caller.principal) cannot list aliases")
            }
            try authorize(
                state, origin, "kms:ListAliases", resource: "*", account: account, policy: nil, &events)
            let filter = try keyId.map { id throws(ServiceError) in try resolve(state, id, origin).id }
            let prefix = "\(account)/\(origin.region)/"
            var entries = state.aliases.filter { $0.key.hasPrefix(prefix) && (filter == nil || $0.value == filter) }
                .map { storage, target in
                    let name = String(storage.dropFirst(prefix.count))
                    return AliasEntry(
                        aliasName: name, aliasArn: "arn:aws:kms:\(origin.region):\(account):\(name)",
                        targetKeyId: target)
                }
            // AWS managed keys carry their service alias (alias/aws/s3).
            for key in state.keys.values
            where key.awsManaged && key.account == account && key.region == origin.region
                && (filter == nil || key.id == filter)
            {
                entries.append(
                    AliasEntry(
                        aliasName: key.description,
                        aliasArn: "arn:aws:kms:\(origin.region):\(account):\(key.description)",
                        targetKeyId: key.id))
            }
            entries.sort { $0.aliasName < $1.aliasName }
            return Traced(entries, events: events)
        }
    }

    /// An alias targets a key named by key id or key ARN (not by another alias), in
    /// a state that can take one.
    static func aliasTarget(
        _ state: WorldState, _ reference: String, _ origin: Origin,
        _ resolve: (WorldState, String, Origin) throws(ServiceError) -> KMSKey
    ) throws(ServiceError) -> KMSKey {
        if reference.hasPrefix("alias/") || (ARN(reference)?.resource.hasPrefix("alias/") ?? false) {
            throw ServiceError(
                "ValidationException", "TargetKeyId must be a key id or key ARN, not an alias: \(reference)")
        }
        let key = try resolve(state, reference, origin)
        if case .pendingDeletion = key.state { throw pendingDeletion(key) }
        return key
    }

    static func validateAliasName(_ name: String) throws(ServiceError) {
        guard name.hasPrefix("alias/"), name.count > 6, name.count <= 256,
            name.dropFirst(6).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/_-".contains($0)) })
        else {
            throw ServiceError(
                "ValidationException", "Alias must start with the prefix \"alias/\" and use only a-zA-Z0-9/_-")
        }
        if name.hasPrefix("alias/aws/") {
            throw ServiceError("NotAuthorizedException", "Cannot create alias with prefix 'alias/aws/'")
        }
    }

    // MARK: - Helpers shared by the operations

    /// Finds a key from a key id, key ARN, alias name or alias ARN. Ids and alias
    /// names resolve in the caller's account and the request's Region; ARNs name
    /// their own (semantics.md §3.5).
    func resolve(_ state: WorldState, _ reference: String, _ origin: Origin) throws(ServiceError) -> KMSKey {
        try Self.validateRegion(origin.region)
        var account = origin.caller.account ?? ""
        let region = origin.region
        var name = reference
        if let arn = ARN(reference), arn.service == "kms" {
            // KMS is regional: an ARN names a key only at its own Region's endpoint.
            guard arn.region == region else {
                // KMS names only the endpoint's Region in this message.
                throw ServiceError("NotFoundException", "Invalid arn \(region)")
            }
            account = arn.account
            name = arn.resource
        }
        if name.hasPrefix("alias/") {
            guard
                let id = state.aliases["\(account)/\(region)/\(name)"]
                    ?? Self.awsManagedAlias(state, account, region, name),
                let key = state.keys[KMSKey.storageKey(account: account, region: region, id: id)]
            else {
                throw ServiceError("NotFoundException", "Alias arn:aws:kms:\(region):\(account):\(name) is not found.")
            }
            return key
        }
        let id = name.hasPrefix("key/") ? String(name.dropFirst(4)) : name
        guard let key = state.keys[KMSKey.storageKey(account: account, region: region, id: id)] else {
            throw ServiceError("NotFoundException", "Key 'arn:aws:kms:\(region):\(account):key/\(id)' does not exist")
        }
        return key
    }

    static func awsManagedAlias(_ state: WorldState, _ account: String, _ region: String, _ name: String) -> String? {
        guard name.hasPrefix("alias/aws/") else { return nil }
        return state.keys.values.first {
            $0.awsManaged && $0.account == account && $0.region == region && $0.description == name
        }?.id
    }

    /// Authorizes an action on a key: its key policy, the caller's policies, and
    /// the key's grants that cover the action (kms/policy-evaluation.md).
    /// `grantFilter` narrows the grants further (CreateGrant's delegation rules).
    func authorize(
        _ state: WorldState, _ origin: Origin, _ action: String, key: KMSKey, context: EncryptionContext? = nil,
        extraContext: [String: [String]] = [:], grantFilter: (KMSGrant) -> Bool = { _ in true },
        _ events: inout [EngineEvent]
    ) throws(ServiceError) {
        let grants = try applicableGrants(state, origin, action, key: key, context: context).filter(grantFilter)
        try authorize(
            state, origin, action, resource: key.arn, account: key.account, policy: key.policy, context: context,
            extraContext: extraContext, grants: grants.map(\.permission), &events)
    }

    /// Runs the policy model; an implicit or explicit deny becomes AccessDeniedException.
    func authorize(
        _ state: WorldState, _ origin: Origin, _ action: String, resource: String, account: String,
        policy: PolicyDocument?,
        context encryption: EncryptionContext? = nil, extraContext: [String: [String]] = [:],
        grants: [KeyGrantPermission] = [], _ events: inout [EngineEvent]
    ) throws(ServiceError) {
        var context = RequestContext(origin.context)
        for (key, value) in extraContext { context[key] = value }
        if let via = origin.viaService {
            context["kms:ViaService"] = [via]
            context["aws:ViaAWSService"] = ["true"]
        }
        if let encryption {
            for (key, value) in encryption.pairs { context["kms:EncryptionContext:\(key)"] = [value] }
            context["kms:EncryptionContextKeys"] = encryption.pairs.keys.sorted()
        }
        let evaluation = state.authorize(
            origin.caller, service: "kms", action: action, resource: resource, resourceAccount: account,
            resourcePolicy: policy, context: context, grants: grants, events: &events)
        guard evaluation.decision == .allowed else {
            throw ServiceError(
                "AccessDeniedException",
                "User: \(origin.caller.principal) is not authorized to perform: \(action) on resource: \(resource) because \(evaluation.reason)",
                events: events)
        }
    }

    /// The lockout safety check (semantics.md §3.3): the caller must still be able
    /// to change the policy afterwards.
    func lockoutCheck(_ state: WorldState, _ origin: Origin, key: KMSKey, _ events: inout [EngineEvent])
        throws(ServiceError)
    {
        let evaluation = state.authorize(
            origin.caller, service: "kms", action: "kms:PutKeyPolicy", resource: key.arn, resourceAccount: key.account,
            resourcePolicy: key.policy, context: RequestContext(), events: &events)
        guard evaluation.decision == .allowed else {
            throw ServiceError(
                "MalformedPolicyDocumentException",
                "The new key policy will not allow you to update the key policy in the future.", events: events)
        }
    }

    static func parsePolicy(_ text: String) throws(ServiceError) -> PolicyDocument {
        let source = SourceText(path: "policy", text: text)
        let parsed = JSONParser.parse(text)
        guard let value = parsed.value, !parsed.issues.contains(where: \.isError) else {
            throw ServiceError("MalformedPolicyDocumentException", "The policy is not valid JSON.")
        }
        let policy = PolicyParser.parse(value, locate: SourceLocator(source))
        if let error = policy.diagnostics.first(where: { $0.severity == .error }) {
            throw ServiceError("MalformedPolicyDocumentException", error.message)
        }
        return policy.document
    }

    /// The default key policy: the account's root may do anything, so IAM
    /// policies in the account decide (kms/key-policy-default.md).
    static func defaultPolicy(account: String) -> String {
        """
        {"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions",\
        "Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(account):root"},"Action":"kms:*","Resource":"*"}]}
        """
    }

    /// Regions look like us-east-1 or ap-southeast-2; anything else would corrupt ARNs.
    static func validateRegion(_ region: String) throws(ServiceError) {
        // Lower-case words and a final number, joined by hyphens: `us-east-1`.
        let parts = region.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        let valid =
            region.utf8.count <= 32 && parts.count >= 3 && parts.allSatisfy { !$0.isEmpty }
            && parts.dropLast().allSatisfy { $0.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) } }
            && parts.last!.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard valid else { throw ServiceError("ValidationException", "'\(region)' is not an AWS Region") }
    }

    /// key-state.md footnote 5.
    static func pendingImport(_ key: KMSKey) -> ServiceError {
        ServiceError("KMSInvalidStateException", "\(key.arn) is pending import.")
    }

    static func pendingDeletion(_ key: KMSKey) -> ServiceError {
        ServiceError("KMSInvalidStateException", "\(key.arn) is pending deletion.")
    }

    /// Cryptographic operations need an Enabled key.
    static func requireUsable(_ key: KMSKey) throws(ServiceError) {
        switch key.state {
        case .enabled: return
        case .pendingImport: throw pendingImport(key)
        case .disabled: throw ServiceError("DisabledException", "\(key.arn) is disabled.")
        case .pendingDeletion: throw pendingDeletion(key)
        }
    }
}
