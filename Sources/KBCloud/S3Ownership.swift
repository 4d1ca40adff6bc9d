import Foundation
import KBPolicy
import Synchronization

/// S3 Object Ownership and canned ACLs (about-object-ownership.md). Buckets made
/// from April 2023 are BucketOwnerEnforced: ACLs are off, the bucket owner owns
/// every object and policies alone decide. With ACLs on (ObjectWriter, or
/// BucketOwnerPreferred without `bucket-owner-full-control`), an object written
/// by another account belongs to that account, and the bucket owner reads it only
/// if its ACL grants them. Only canned ACLs are modelled, not grant lists.
extension S3 {
    /// AWS gives the month (April 2023); the first of it is the engine's choice.
    public static let objectOwnershipEnforcedForNewBucketsSince = Date(timeIntervalSince1970: 1_680_307_200)
    public static let objectOwnershipSettings: Set<String> = [
        "BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter",
    ]
    public static let cannedACLs: Set<String> = [
        "private", "public-read", "public-read-write", "authenticated-read", "aws-exec-read", "bucket-owner-read",
        "bucket-owner-full-control",
    ]

    public func putBucketOwnershipControls(_ origin: Origin, bucket: String, objectOwnership: String)
        throws(ServiceError) -> Traced<Void>
    {
        guard Self.objectOwnershipSettings.contains(objectOwnership) else {
            throw ServiceError(
                "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema")
        }
        return try update(origin, bucket, action: "s3:PutBucketOwnershipControls") {
            $0.objectOwnership = objectOwnership
        }
    }

    public func getBucketOwnershipControls(_ origin: Origin, bucket: String) throws(ServiceError) -> Traced<String> {
        try read(origin, bucket, action: "s3:GetBucketOwnershipControls") { bucket, _ throws(ServiceError) in
            guard let ownership = bucket.objectOwnership else {
                throw ServiceError(
                    "OwnershipControlsNotFoundError", "The bucket ownership controls were not found")
            }
            return ownership
        }
    }

    /// DeleteBucketOwnershipControls: the bucket behaves as ObjectWriter again.
    public func deleteBucketOwnershipControls(_ origin: Origin, bucket: String) throws(ServiceError) -> Traced<Void> {
        try update(origin, bucket, action: "s3:PutBucketOwnershipControls") { $0.objectOwnership = nil }
    }

    /// An ACL on a write: refused where ACLs are off, except the one that says
    /// nothing new (`bucket-owner-full-control`).
    static func checkObjectACL(_ acl: String?, bucket: Bucket, events: [EngineEvent]) throws(ServiceError) {
        guard let acl else { return }
        guard cannedACLs.contains(acl) else {
            throw ServiceError("InvalidArgument", "\(acl) is not a canned ACL.", events: events)
        }
        if bucket.aclsDisabled, acl != "bucket-owner-full-control" {
            throw ServiceError("AccessControlListNotSupported", "The bucket does not allow ACLs", events: events)
        }
        // access-control-block-public-access.md, BlockPublicAcls.
        if bucket.publicAccessBlock?.blockPublicAcls == true, isPublicACL(acl) {
            throw ServiceError("AccessDenied", "Access Denied", events: events)
        }
    }

    /// Records who owns a written object and its ACL.
    static func setOwner(_ stored: inout StoredObject, writer: Caller, acl: String?, bucket: Bucket) {
        stored.metadata.owner = objectOwner(writer: writer, acl: acl, bucket: bucket)
        stored.acl = bucket.aclsDisabled ? nil : acl
    }

    /// Who owns an object a caller writes.
    static func objectOwner(writer: Caller, acl: String?, bucket: Bucket) -> String {
        switch bucket.objectOwnership {
        case "BucketOwnerEnforced": return bucket.account
        case "BucketOwnerPreferred" where acl == "bucket-owner-full-control": return bucket.account
        default: return writer.account ?? bucket.account
        }
    }

    /// Whether an object's ACL lets the caller read it. Only asked when the object
    /// belongs to another account than the caller's: the bucket policy does not
    /// cover objects the bucket owner does not own.
    static func aclAllowsRead(_ object: StoredObject, caller: Caller, bucket: Bucket) -> Bool {
        let owner = object.metadata.owner
        guard !bucket.aclsDisabled, owner != bucket.account, caller.account != owner else { return true }
        var acl = object.acl ?? "private"
        // IgnorePublicAcls: public ACLs count as private.
        if bucket.publicAccessBlock?.ignorePublicAcls == true, isPublicACL(acl) { acl = "private" }
        switch acl {
        case "public-read", "public-read-write": return true
        case "authenticated-read": return caller.account != nil
        case "bucket-owner-read", "bucket-owner-full-control": return caller.account == bucket.account
        default: return false
        }
    }
}

extension Bucket {
    /// ACLs are off only with BucketOwnerEnforced.
    var aclsDisabled: Bool { objectOwnership == "BucketOwnerEnforced" }
}
