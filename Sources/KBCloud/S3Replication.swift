import Foundation
import KBPolicy
import Synchronization

/// A bucket's replication configuration (replication-add-config.md), as
/// `put-bucket-replication` takes it.
public struct ReplicationConfiguration: Sendable, Hashable {
    /// The IAM role S3 assumes to replicate.
    public var role: String
    public var rules: [ReplicationRule]

    public init(role: String, rules: [ReplicationRule]) {
        self.role = role
        self.rules = rules
    }
}

public struct ReplicationRule: Sendable, Hashable {
    public var id: String?
    public var priority: Int?
    /// `Status`: Enabled or Disabled.
    public var enabled: Bool
    /// The first schema's top-level `Prefix`.
    public var prefix: String?
    /// The current schema's `Filter` (an empty filter matches every object).
    public var filter: ReplicationFilter?
    public var destination: ReplicationDestination
    /// `SourceSelectionCriteria.SseKmsEncryptedObjects.Status`: without `true`,
    /// SSE-KMS objects are not replicated (replication-config-for-kms-objects.md).
    public var sseKmsEncryptedObjects: Bool?
    /// `DeleteMarkerReplication.Status`; required with a `Filter`.
    public var deleteMarkerReplication: Bool?

    public init(
        id: String? = nil, priority: Int? = nil, enabled: Bool = true, prefix: String? = nil,
        filter: ReplicationFilter? = nil, destination: ReplicationDestination, sseKmsEncryptedObjects: Bool? = nil,
        deleteMarkerReplication: Bool? = nil
    ) {
        self.id = id
        self.priority = priority
        self.enabled = enabled
        self.prefix = prefix
        self.filter = filter
        self.destination = destination
        self.sseKmsEncryptedObjects = sseKmsEncryptedObjects
        self.deleteMarkerReplication = deleteMarkerReplication
    }

    /// Whether the rule covers an object. Objects carry no tags in the engine, so
    /// a filter on tags matches none.
    func covers(_ key: String) -> Bool {
        guard enabled else { return false }
        if let filter { return filter.tags.isEmpty && key.hasPrefix(filter.prefix ?? "") }
        return key.hasPrefix(prefix ?? "")
    }
}

public struct ReplicationFilter: Sendable, Hashable {
    public var prefix: String?
    public var tags: [String: String]

    public init(prefix: String? = nil, tags: [String: String] = [:]) {
        self.prefix = prefix
        self.tags = tags
    }
}

public struct ReplicationDestination: Sendable, Hashable {
    /// The destination bucket's ARN, `arn:aws:s3:::NAME`.
    public var bucket: String
    public var account: String?
    /// `EncryptionConfiguration.ReplicaKmsKeyID`: the key, in the destination's
    /// Region, that encrypts replicas of SSE-KMS objects.
    public var replicaKmsKeyID: String?
    public var storageClass: String?
    /// `AccessControlTranslation.Owner` = Destination.
    public var ownerOverride: Bool

    public init(
        bucket: String, account: String? = nil, replicaKmsKeyID: String? = nil, storageClass: String? = nil,
        ownerOverride: Bool = false
    ) {
        self.bucket = bucket
        self.account = account
        self.replicaKmsKeyID = replicaKmsKeyID
        self.storageClass = storageClass
        self.ownerOverride = ownerOverride
    }

    var bucketName: String? {
        guard bucket.hasPrefix("arn:aws:s3:::"), !bucket.dropFirst(13).contains("/") else { return nil }
        return String(bucket.dropFirst(13))
    }
}

extension S3 {
    /// PutBucketReplication. The caller needs s3:PutReplicationConfiguration and
    /// iam:PassRole on the role (replication-add-config.md); the source bucket must
    /// be versioned. The destination and the replica key are not checked here: a
    /// bad one makes replication fail later, as in AWS
    /// (replication-config-for-kms-objects.md: "PutBucketReplication doesn't check
    /// the validity of KMS keys").
    public func putBucketReplication(_ origin: Origin, bucket name: String, _ configuration: ReplicationConfiguration)
        throws(ServiceError) -> Traced<Void>
    {
        try Self.validate(configuration, source: name)
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            var bucket = try findBucket(state, name)
            try Self.checkEndpoint(origin, bucket)
            try authorize(
                state, origin, "s3:PutReplicationConfiguration", resource: bucket.arn, account: bucket.account,
                policy: bucket.policy, &events)
            guard bucket.versioning else {
                throw ServiceError(
                    "InvalidRequest", "Versioning must be 'Enabled' on the bucket to apply a replication configuration",
                    events: events)
            }
            let roleAccount = ARN(configuration.role)?.account ?? ""
            let passRole = state.authorize(
                origin.caller, service: "iam", action: "iam:PassRole", resource: configuration.role,
                resourceAccount: roleAccount, resourcePolicy: nil,
                context: RequestContext(["iam:PassedToService": ["s3.amazonaws.com"]]), events: &events)
            guard passRole.decision == .allowed else {
                throw ServiceError("AccessDenied", "Access Denied", events: events)
            }
            bucket.replication = configuration
            state.buckets[name] = bucket
            return Traced((), events: events)
        }
    }

    public func getBucketReplication(_ origin: Origin, bucket: String) throws(ServiceError) -> Traced<
        ReplicationConfiguration
    > {
        try read(origin, bucket, action: "s3:GetReplicationConfiguration") { bucket, _ throws(ServiceError) in
            guard let replication = bucket.replication else {
                throw ServiceError(
                    "ReplicationConfigurationNotFoundError", "The replication configuration was not found")
            }
            return replication
        }
    }

    /// DeleteBucketReplication is authorized as s3:PutReplicationConfiguration.
    public func deleteBucketReplication(_ origin: Origin, bucket: String) throws(ServiceError) -> Traced<Void> {
        try update(origin, bucket, action: "s3:PutReplicationConfiguration") { $0.replication = nil }
    }

    /// The checks S3 makes of the document itself. Messages in AWS's words where
    /// known; the engine's words otherwise.
    static func validate(_ configuration: ReplicationConfiguration, source: String) throws(ServiceError) {
        let malformed = ServiceError(
            "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
        guard (1...1_000).contains(configuration.rules.count) else { throw malformed }
        guard let role = RequestPrincipal(configuration.role), case .role = role.kind else {
            throw ServiceError("InvalidArgument", "Invalid Role: \(configuration.role) is not an IAM role ARN")
        }
        let current = configuration.rules.filter { $0.filter != nil }
        // The two schemas do not mix: Prefix on the rule, or Filter.
        guard current.isEmpty || current.count == configuration.rules.count,
            configuration.rules.allSatisfy({ $0.filter == nil || $0.prefix == nil })
        else { throw malformed }
        if !current.isEmpty {
            if current.contains(where: { $0.deleteMarkerReplication == nil }) {
                throw ServiceError(
                    "InvalidRequest",
                    "DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema."
                )
            }
            if current.count > 1, current.contains(where: { $0.priority == nil }) {
                throw ServiceError(
                    "InvalidRequest",
                    "Priority must be specified for this version of Cross Region Replication configuration schema.")
            }
        }
        let ids = configuration.rules.compactMap(\.id)
        guard Set(ids).count == ids.count else {
            throw ServiceError("InvalidArgument", "Rule Id must be unique")
        }
        for rule in configuration.rules {
            guard let destination = rule.destination.bucketName, S3.isValidBucketName(destination) else {
                throw ServiceError("InvalidArgument", "Invalid bucket ARN: \(rule.destination.bucket)")
            }
            guard destination != source else {
                throw ServiceError(
                    "InvalidRequest", "Destination bucket cannot be the same as the source bucket.")
            }
            // SSE-KMS objects are replicated only on request, and then need a key for
            // their replicas; a replica key without that request is refused too.
            if rule.sseKmsEncryptedObjects == true, rule.destination.replicaKmsKeyID == nil {
                throw ServiceError(
                    "InvalidRequest", "ReplicaKmsKeyID must be specified if SseKmsEncryptedObjects tag is present.")
            }
            if rule.sseKmsEncryptedObjects != true, rule.destination.replicaKmsKeyID != nil {
                throw ServiceError(
                    "InvalidRequest",
                    "SseKmsEncryptedObjects must be enabled if ReplicaKmsKeyID is specified in EncryptionConfiguration."
                )
            }
        }
    }
}
