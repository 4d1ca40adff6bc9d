import Crypto
import Foundation
import KBCrypto
import KBPolicy
import Synchronization

extension S3 {
    // MARK: - Encryption of objects

    /// The condition keys S3 sets from a request's encryption headers.
    static func headerContext(_ headers: EncryptionRequest, acl: String? = nil) -> [String: [String]] {
        var context: [String: [String]] = [:]
        if let acl { context["s3:x-amz-acl"] = [acl] }
        if let algorithm = headers.serverSideEncryption { context["s3:x-amz-server-side-encryption"] = [algorithm] }
        if let key = headers.kmsKeyId { context["s3:x-amz-server-side-encryption-aws-kms-key-id"] = [key] }
        context.merge(customerKeyContext(headers.customerKey)) { _, new in new }
        return context
    }

    func resolveEncryption(
        _ state: WorldState, _ headers: EncryptionRequest, bucket: Bucket, events: [EngineEvent] = []
    ) throws(ServiceError) -> ResolvedEncryption {
        var resolved = try resolveRequestedEncryption(state, headers, bucket: bucket, events: events)
        // S3 Bucket Keys are not used with DSSE-KMS; S3 accepts the setting and
        // ignores it (AWS-EnableS3BucketKeys runbook; specifying-dsse-encryption).
        if resolved.algorithm == "aws:kms:dsse" { resolved.bucketKeyEnabled = false }
        return resolved
    }

    private func resolveRequestedEncryption(
        _ state: WorldState, _ headers: EncryptionRequest, bucket: Bucket, events: [EngineEvent]
    ) throws(ServiceError) -> ResolvedEncryption {
        if let customerKey = headers.customerKey {
            // SSE-C excludes the other modes, and a bucket may refuse it
            // (blocking-unblocking-s3-c-encryption-gpb.html: 403 AccessDenied).
            if headers.serverSideEncryption != nil || headers.kmsKeyId != nil {
                throw ServiceError(
                    "InvalidArgument",
                    "Server Side Encryption with Customer provided key is incompatible with the encryption method specified",
                    events: events)
            }
            try customerKey.validate()
            if bucket.blocksSSEC { throw ServiceError("AccessDenied", "Access Denied", events: events) }
            return ResolvedEncryption(algorithm: nil, kmsKeyId: nil, bucketKeyEnabled: false, customerKey: customerKey)
        }
        if let algorithm = headers.serverSideEncryption {
            guard ["AES256", "aws:kms", "aws:kms:dsse"].contains(algorithm) else {
                throw ServiceError("InvalidArgument", "The encryption method specified is not supported")
            }
            if headers.kmsKeyId != nil && algorithm == "AES256" {
                throw ServiceError(
                    "InvalidArgument",
                    "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms"
                )
            }
            return ResolvedEncryption(
                algorithm: algorithm, kmsKeyId: headers.kmsKeyId,
                bucketKeyEnabled: headers.bucketKeyEnabled ?? (bucket.encryption?.bucketKeyEnabled ?? false),
                context: headers.context ?? [:])
        }
        if headers.kmsKeyId != nil {
            throw ServiceError(
                "InvalidArgument",
                "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms"
            )
        }
        if let encryption = bucket.encryption {
            // The Bucket Key header overrides the bucket's setting (s3/bucket-key.md).
            return ResolvedEncryption(
                algorithm: encryption.algorithm, kmsKeyId: encryption.kmsKeyId,
                bucketKeyEnabled: headers.bucketKeyEnabled ?? encryption.bucketKeyEnabled,
                context: headers.context ?? [:])
        }
        return ResolvedEncryption(
            algorithm: state.encryptNewObjectsByDefault ? "AES256" : nil, kmsKeyId: nil, bucketKeyEnabled: false)
    }

    /// `aws:s3:arn` is the object ARN, or the bucket ARN with an S3 Bucket Key (§4.4).
    static func context(bucket: Bucket, key: String, encryption: ResolvedEncryption) -> [String: String] {
        var context = encryption.context
        context["aws:s3:arn"] = encryption.bucketKeyEnabled ? bucket.arn : bucket.objectARN(key)
        return context
    }

    /// Asks KMS for a data key on the caller's behalf; the AWS managed key is
    /// created on first use when no key is named.
    func dataKey(
        _ state: inout WorldState, _ origin: Origin, bucket: Bucket, encryption: ResolvedEncryption,
        context: [String: String],
        _ events: inout [EngineEvent]
    ) throws(ServiceError) -> (plaintext: [UInt8], blob: [UInt8], keyARN: String) {
        let kms = world.kms
        let reference: String
        // Naming alias/aws/s3 also creates the AWS managed key on first use.
        if let named = encryption.kmsKeyId, named != "alias/aws/s3" {
            reference = named
        } else {
            reference = kms.awsManagedKey(&state, account: bucket.account, region: bucket.region, service: "s3").arn
        }
        let kmsOrigin = kmsOrigin(origin, bucket: bucket)
        // The key must be in the bucket's Region (semantics.md §4.6).
        if let arn = ARN(reference), arn.service == "kms", arn.region != bucket.region {
            throw ServiceError("KMS.NotFoundException", "Invalid arn \(bucket.region)", events: events)
        }
        events.append(.serviceCall(from: "s3", to: "kms", operation: "GenerateDataKey"))
        let plaintext = world.random.bytes(32)
        do {
            let (blob, arn) = try kms.sealLocked(
                state, kmsOrigin, keyId: reference, plaintext: plaintext, context: EncryptionContext(context),
                action: "kms:GenerateDataKey", &events)
            return (plaintext, blob, arn)
        } catch {
            throw Self.surface(error, events: events)
        }
    }

    /// Encrypts a body as the resolved encryption says and builds its metadata.
    func store(
        _ state: inout WorldState, _ origin: Origin, _ body: [UInt8], key: String, bucket: Bucket,
        encryption: ResolvedEncryption, _ events: inout [EngineEvent]
    ) throws(ServiceError) -> StoredObject {
        if let customerKey = encryption.customerKey {
            // S3 encrypts with the customer's key, keeps a salted HMAC of it, and
            // forgets the key (ServerSideEncryptionCustomerKeys.md).
            var stored = sealObject(
                body, dataKey: customerKey.key, key: key, bucket: bucket, encryption: encryption, state.now)
            let check = CustomerKeyCheck(customerKey, salt: world.random.bytes(16))
            stored.customerKey = check
            stored.metadata.sseCustomerAlgorithm = customerKey.algorithm
            stored.metadata.sseCustomerKeyMD5 = check.keyMD5
            return stored
        }
        switch encryption.algorithm {
        case let algorithm? where algorithm.hasPrefix("aws:kms"):
            try Self.requireSigV4ForKMS(origin, events: events)
            let context = Self.context(bucket: bucket, key: key, encryption: encryption)
            let (plaintextKey, blob, arn) = try dataKey(
                &state, origin, bucket: bucket, encryption: encryption, context: context, &events)
            var stored = sealObject(
                body, dataKey: plaintextKey, key: key, bucket: bucket, encryption: encryption, state.now)
            stored.encryptedDataKey = blob
            stored.context = context
            stored.metadata.kmsKeyArn = arn
            events.append(.crypto(operation: "encrypt object", bytes: body.count, context: context))
            return stored
        case "AES256":
            let dataKey = bucket.s3Key.withUnsafeBytes { Array($0) }
            return sealObject(body, dataKey: dataKey, key: key, bucket: bucket, encryption: encryption, state.now)
        default:
            var stored = sealObject([], dataKey: [], key: key, bucket: bucket, encryption: encryption, state.now)
            stored.sealed = nil
            stored.plaintext = body
            stored.metadata = metadata(body, key: key, bucket: bucket, encryption: encryption, state.now)
            return stored
        }
    }

    func sealObject(
        _ body: [UInt8], dataKey: [UInt8], key: String, bucket: Bucket, encryption: ResolvedEncryption, _ now: Date
    )
        -> StoredObject
    {
        // From the world's generator, so a seeded world gives the same bytes every run.
        let nonce = try! AES.GCM.Nonce(data: world.random.bytes(12))
        let sealed = dataKey.isEmpty ? nil : try? AES.GCM.seal(body, using: SymmetricKey(data: dataKey), nonce: nonce)
        return StoredObject(
            metadata: metadata(
                body, key: key, bucket: bucket, encryption: encryption, now, tag: sealed.map { Array($0.tag) }),
            sealed: sealed, plaintext: nil, encryptedDataKey: nil, context: [:])
    }

    /// An object's metadata. The ETag is the MD5 of the data for SSE-S3 and
    /// unencrypted objects; for SSE-KMS objects S3's ETag is not an MD5 digest of
    /// the data, and here it is taken from the authentication tag instead.
    func metadata(
        _ body: [UInt8], key: String, bucket: Bucket, encryption: ResolvedEncryption, _ now: Date, tag: [UInt8]? = nil
    ) -> ObjectMetadata {
        // SSE-C ETags are not the data's MD5 either (ServerSideEncryptionCustomerKeys.md).
        let digest =
            (encryption.algorithm?.hasPrefix("aws:kms") == true || encryption.customerKey != nil) && tag != nil
            ? Hex.encode(tag ?? []) : Hex.encode(Insecure.MD5.hash(data: body))
        return ObjectMetadata(
            key: key, size: body.count, eTag: "\"\(digest)\"", lastModified: now,
            versionId: bucket.versioning ? world.random.hex(16) : nil, serverSideEncryption: encryption.algorithm,
            kmsKeyArn: nil,
            bucketKeyEnabled: encryption.bucketKeyEnabled && encryption.algorithm?.hasPrefix("aws:kms") == true,
            owner: bucket.account)
    }

    /// Opens an SSE-C object with the key the request brought (already checked
    /// against the stored HMAC).
    static func openCustomerSealed(_ object: StoredObject, key: CustomerKey, events: [EngineEvent])
        throws(ServiceError) -> [UInt8]
    {
        let boxes = object.sealedParts.isEmpty ? object.sealed.map { [$0] } ?? [] : object.sealedParts
        var body: [UInt8] = []
        for box in boxes {
            guard let part = try? AES.GCM.open(box, using: SymmetricKey(data: key.key)) else {
                throw ServiceError("AccessDenied", "Access Denied", events: events)
            }
            body += part
        }
        return body
    }
}
