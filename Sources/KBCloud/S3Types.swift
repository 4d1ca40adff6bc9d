import Crypto
import Foundation
import KBPolicy

/// Default encryption of a bucket (s3/default-bucket-encryption.md).
public struct BucketEncryption: Sendable, Hashable {
    /// `AES256` (SSE-S3), `aws:kms` (SSE-KMS) or `aws:kms:dsse`.
    public var algorithm: String
    /// A key id, key ARN or alias; nil with `aws:kms` means the AWS managed key.
    public var kmsKeyId: String?
    public var bucketKeyEnabled: Bool
    /// `BlockedEncryptionTypes`: `["SSE-C"]` refuses new SSE-C objects, `["NONE"]`
    /// allows them; nil leaves the bucket's setting as it is
    /// (blocking-unblocking-s3-c-encryption-gpb.html).
    public var blockedEncryptionTypes: [String]?

    public init(
        algorithm: String, kmsKeyId: String? = nil, bucketKeyEnabled: Bool = false,
        blockedEncryptionTypes: [String]? = nil
    ) {
        self.algorithm = algorithm
        self.kmsKeyId = kmsKeyId
        self.bucketKeyEnabled = bucketKeyEnabled
        self.blockedEncryptionTypes = blockedEncryptionTypes
    }
}

/// The encryption headers of a PutObject or CopyObject request.
public struct EncryptionRequest: Sendable, Hashable {
    public var serverSideEncryption: String?
    public var kmsKeyId: String?
    public var bucketKeyEnabled: Bool?
    /// `x-amz-server-side-encryption-context`: pairs S3 adds to the KMS
    /// encryption context beside `aws:s3:arn`.
    public var context: [String: String]?
    /// SSE-C: the customer's key, sent with this request only.
    public var customerKey: CustomerKey?

    public init(
        serverSideEncryption: String? = nil, kmsKeyId: String? = nil, bucketKeyEnabled: Bool? = nil,
        context: [String: String]? = nil, customerKey: CustomerKey? = nil
    ) {
        self.serverSideEncryption = serverSideEncryption
        self.kmsKeyId = kmsKeyId
        self.bucketKeyEnabled = bucketKeyEnabled
        self.context = context
        self.customerKey = customerKey
    }

    var isEmpty: Bool {
        serverSideEncryption == nil && kmsKeyId == nil && bucketKeyEnabled == nil && context == nil
            && customerKey == nil
    }
}

/// What HeadObject returns, and what ListObjectsV2 lists.
public struct ObjectMetadata: Sendable, Hashable {
    public var key: String
    public var size: Int
    public var eTag: String
    public var lastModified: Date
    public var versionId: String?
    /// `AES256`, `aws:kms`, or nil for an unencrypted object (pre-2023 behaviour).
    public var serverSideEncryption: String?
    public var kmsKeyArn: String?
    public var bucketKeyEnabled: Bool
    /// The owning account: with Object Ownership "bucket owner enforced" (the
    /// default since April 2023), always the bucket's owner, whoever wrote it.
    public var owner: String = ""
    /// SSE-C objects: `AES256` and the MD5 of the key, as S3 echoes them.
    public var sseCustomerAlgorithm: String?
    public var sseCustomerKeyMD5: String?
    /// User metadata (`x-amz-meta-*`), names in lower case as S3 returns them.
    /// Like all metadata it is stored in the clear: SSE encrypts only the data.
    public var userMetadata: [String: String] = [:]
    /// `x-amz-replication-status`: PENDING, COMPLETED or FAILED on a source object
    /// a replication rule covers, REPLICA on a replica; nil otherwise.
    public var replicationStatus: String?
}

/// An object as stored: ciphertext only. For SSE-KMS the data key is kept only in
/// its KMS-encrypted form.
struct StoredObject: Sendable {
    var metadata: ObjectMetadata
    var sealed: AES.GCM.SealedBox?
    var plaintext: [UInt8]?
    var encryptedDataKey: [UInt8]?
    /// The encryption context S3 used with KMS (object or bucket ARN).
    var context: [String: String]
    /// A versioned bucket's DeleteObject leaves a marker; older versions stay.
    var isDeleteMarker = false
    /// SSE-C: the salted HMAC of the customer's key, never the key.
    var customerKey: CustomerKeyCheck?
    /// The canned ACL the writer gave, where ACLs are on.
    var acl: String?
    /// An SSE-C multipart upload's parts, each sealed under the customer's key;
    /// S3 cannot join them without the key, so they stay apart.
    var sealedParts: [AES.GCM.SealedBox] = []
}

struct Bucket: Sendable {
    var name: String
    var account: String
    var region: String
    var created: Date
    var policy: PolicyDocument?
    var policyText: String?
    var encryption: BucketEncryption?
    var versioning = false
    /// The key S3 holds for SSE-S3 objects in this bucket.
    var s3Key: SymmetricKey
    /// New SSE-C objects are refused (BlockedEncryptionTypes `SSE-C`).
    var blocksSSEC = false
    var replication: ReplicationConfiguration?
    /// Object Ownership; nil for a bucket that never had ownership controls
    /// (before April 2023), which behaves as ObjectWriter.
    var objectOwnership: String?
    /// Block Public Access; nil when never configured (buckets before April 2023).
    var publicAccessBlock: PublicAccessBlock?

    var arn: String { "arn:aws:s3:::\(name)" }
    func objectARN(_ key: String) -> String { "arn:aws:s3:::\(name)/\(key)" }
}

/// A bucket's objects and uploads, kept apart from its settings so that reading
/// the settings never pins (and copies) the object table.
struct BucketContents: Sendable {
    /// Each key's versions, newest last.
    var objects: [String: [StoredObject]] = [:]
    var uploads: [String: MultipartUpload] = [:]
}

/// What CreateMultipartUpload and UploadPart answer: the upload, its encryption,
/// and for a part its ETag.
public struct MultipartUploadInfo: Sendable, Hashable {
    public var uploadId: String
    public var serverSideEncryption: String?
    public var kmsKeyArn: String?
    public var bucketKeyEnabled: Bool
    public var eTag: String?
    public var sseCustomerAlgorithm: String?
    public var sseCustomerKeyMD5: String?
}

struct MultipartUpload: Sendable {
    var key: String
    var encryption: ResolvedEncryption
    var encryptedDataKey: [UInt8]?
    /// The KMS key the data key came from.
    var keyARN: String?
    /// SSE-C uploads: the check of the customer's key, which every part must bring.
    var customerKey: CustomerKeyCheck?
    /// The canned ACL, owner and user metadata the object will have.
    var acl: String?
    var owner: String?
    var userMetadata: [String: String] = [:]

    func info(_ uploadId: String) -> MultipartUploadInfo {
        MultipartUploadInfo(
            uploadId: uploadId, serverSideEncryption: encryption.algorithm, kmsKeyArn: keyARN,
            bucketKeyEnabled: encryption.bucketKeyEnabled, sseCustomerAlgorithm: customerKey.map { _ in "AES256" },
            sseCustomerKeyMD5: customerKey?.keyMD5)
    }
    var context: [String: String]
    /// Parts as uploaded, each already encrypted: under the upload's data key for
    /// SSE-KMS, under the bucket's S3 key otherwise.
    var parts: [Int: AES.GCM.SealedBox] = [:]
    /// Each part's ETag and size, to check the list CompleteMultipartUpload is given.
    var partETags: [Int: String] = [:]
    var partSizes: [Int: Int] = [:]
}

/// The encryption an object gets, after headers and defaults are applied.
struct ResolvedEncryption: Sendable, Hashable {
    var algorithm: String?
    var kmsKeyId: String?
    var bucketKeyEnabled: Bool
    /// Extra encryption context pairs the request asked for.
    var context: [String: String] = [:]
    /// SSE-C: the request's key, used for this request and then dropped.
    var customerKey: CustomerKey?
}
