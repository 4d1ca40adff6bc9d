import Foundation
import KBPolicy
import Synchronization

/// S3 Block Public Access at the bucket level (access-control-block-public-access.md).
/// Buckets made from April 2023 have all four settings on. Account-level and
/// access point settings are not modelled.
public struct PublicAccessBlock: Sendable, Hashable {
    /// Refuse requests that set a public ACL.
    public var blockPublicAcls: Bool
    /// Treat public ACLs as private.
    public var ignorePublicAcls: Bool
    /// Refuse a bucket policy that is public.
    public var blockPublicPolicy: Bool
    /// With a public bucket policy, admit only the owner's account and AWS services.
    public var restrictPublicBuckets: Bool

    public init(
        blockPublicAcls: Bool = true, ignorePublicAcls: Bool = true, blockPublicPolicy: Bool = true,
        restrictPublicBuckets: Bool = true
    ) {
        self.blockPublicAcls = blockPublicAcls
        self.ignorePublicAcls = ignorePublicAcls
        self.blockPublicPolicy = blockPublicPolicy
        self.restrictPublicBuckets = restrictPublicBuckets
    }
}

extension S3 {
    /// AWS gives the month (April 2023); the first of it is the engine's choice.
    public static let blockPublicAccessForNewBucketsSince = Date(timeIntervalSince1970: 1_680_307_200)

    public func putPublicAccessBlock(_ origin: Origin, bucket: String, _ configuration: PublicAccessBlock)
        throws(ServiceError) -> Traced<Void>
    {
        try update(origin, bucket, action: "s3:PutBucketPublicAccessBlock") { $0.publicAccessBlock = configuration }
    }

    public func getPublicAccessBlock(_ origin: Origin, bucket: String) throws(ServiceError) -> Traced<
        PublicAccessBlock
    > {
        try read(origin, bucket, action: "s3:GetBucketPublicAccessBlock") { bucket, _ throws(ServiceError) in
            guard let block = bucket.publicAccessBlock else {
                throw ServiceError(
                    "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")
            }
            return block
        }
    }

    /// DeletePublicAccessBlock is authorized as s3:PutBucketPublicAccessBlock.
    public func deletePublicAccessBlock(_ origin: Origin, bucket: String) throws(ServiceError) -> Traced<Void> {
        try update(origin, bucket, action: "s3:PutBucketPublicAccessBlock") { $0.publicAccessBlock = nil }
    }

    /// ACLs that grant to AllUsers or AuthenticatedUsers.
    static func isPublicACL(_ acl: String?) -> Bool {
        ["public-read", "public-read-write", "authenticated-read"].contains(acl ?? "")
    }

    /// Condition keys whose fixed values make an Allow to everyone non-public
    /// ("The meaning of public"; aws:PrincipalOrgID, aws:PrincipalAccount and
    /// aws:PrincipalArn name principals).
    static let narrowingKeys: Set<String> = [
        "aws:principalorgid", "aws:principalaccount", "aws:principalarn", "aws:sourceip", "aws:sourcearn",
        "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner", "aws:sourceaccount",
        "s3:x-amz-server-side-encryption-aws-kms-key-id", "aws:userid", "s3:dataaccesspointarn",
        "s3:dataaccesspointaccount",
    ]

    /// Whether S3 considers a bucket policy public: an Allow that reaches
    /// everyone (`*`, a federated principal, or NotPrincipal) unless one of its
    /// conditions pins a narrowing key to fixed values.
    static func isPublic(_ policy: PolicyDocument?) -> Bool {
        guard let policy else { return false }
        return policy.statements.contains { statement in
            guard statement.effect.value == .allow, let principal = statement.principal else { return false }
            let reachesEveryone =
                principal.negated || principal.isWildcard || principal.entries.contains { $0.type == .federated }
            return reachesEveryone && !statement.conditions.contains(where: narrows)
        }
    }

    static func narrows(_ condition: Condition) -> Bool {
        let key = condition.key.value.lowercased()
        let name = condition.operatorName.value
        guard narrowingKeys.contains(key), !name.contains("Not"), !name.hasSuffix("IfExists"), name != "Null",
            !condition.values.isEmpty
        else { return false }
        return condition.values.allSatisfy { located in
            let value = located.value
            guard !value.contains("*"), !value.contains("?"), !value.contains("${") else { return false }
            if key == "aws:userid" { return true }
            guard key == "aws:sourceip" else { return true }
            // IPv4 ranges wider than /8 and IPv6 wider than /32 count as public.
            guard let slash = value.lastIndex(of: "/"), let bits = Int(value[value.index(after: slash)...]) else {
                return true
            }
            return value.contains(":") ? bits >= 32 : bits >= 8
        }
    }

    /// RestrictPublicBuckets: a bucket with a public policy serves only its own
    /// account and AWS services; anonymous and cross-account callers are refused,
    /// even those a non-public statement names.
    static func restrictsPublicAccess(_ bucket: Bucket, caller: Caller) -> Bool {
        guard bucket.publicAccessBlock?.restrictPublicBuckets == true, isPublic(bucket.policy) else { return false }
        switch caller.principal.kind {
        case .service: return false
        case .anonymous: return true
        default: return caller.account != bucket.account
        }
    }
}
