import Crypto
import Foundation
import KBCrypto
import KBPolicy
import Synchronization

extension S3 {
    // MARK: - Multipart upload

    /// CreateMultipartUpload: for SSE-KMS, S3 generates the data key now.
    public func createMultipartUpload(
        _ origin: Origin, bucket name: String, key: String, encryption headers: EncryptionRequest = .init(),
        acl: String? = nil, metadata: [String: String] = [:]
    ) throws(ServiceError) -> Traced<MultipartUploadInfo> {
        let uploadId = world.random.hex(16)
        try Self.requireTLSForCustomerKey(origin, headers.customerKey)
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let bucket = try authorizeObject(
                state, origin, name, key, "s3:PutObject", context: Self.headerContext(headers, acl: acl), &events)
            try Self.checkObjectACL(acl, bucket: bucket, events: events)
            var encryption = try resolveEncryption(state, headers, bucket: bucket, events: events)
            // An SSE-C upload keeps only the check of the key; each part brings the key.
            let customerKey = encryption.customerKey.map { CustomerKeyCheck($0, salt: world.random.bytes(16)) }
            encryption.customerKey = nil
            var upload = MultipartUpload(key: key, encryption: encryption, customerKey: customerKey, context: [:])
            upload.acl = acl
            upload.userMetadata = Self.userMetadata(metadata)
            upload.owner = Self.objectOwner(writer: origin.caller, acl: acl, bucket: bucket)
            if encryption.algorithm?.hasPrefix("aws:kms") == true {
                try Self.requireSigV4ForKMS(origin, events: events)
                let context = Self.context(bucket: bucket, key: key, encryption: encryption)
                let (_, blob, keyARN) = try dataKey(
                    &state, origin, bucket: bucket, encryption: encryption, context: context, &events)
                upload.encryptedDataKey = blob
                upload.context = context
                upload.keyARN = keyARN
            }
            state.contents[name, default: .init()].uploads[uploadId] = upload
            return Traced(upload.info(uploadId), events: events)
        }
    }

    /// UploadPart: with SSE-KMS, S3 must decrypt the upload's data key, so the
    /// caller needs kms:Decrypt as well as kms:GenerateDataKey. An SSE-C upload's
    /// parts each need the key the upload began with
    /// (ServerSideEncryptionCustomerKeys.md, "Multipart Upload").
    public func uploadPart(
        _ origin: Origin, bucket name: String, key: String, uploadId: String, partNumber: Int, body: [UInt8],
        customerKey: CustomerKey? = nil
    )
        throws(ServiceError) -> Traced<MultipartUploadInfo>
    {
        guard (1...10_000).contains(partNumber) else {
            throw ServiceError("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive")
        }
        try Self.requireTLSForCustomerKey(origin, customerKey)
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let bucket = try authorizeObject(state, origin, name, key, "s3:PutObject", &events)
            guard let upload = state.contents[name]?.uploads[uploadId], upload.key == key else {
                throw ServiceError("NoSuchUpload", "The specified upload does not exist.")
            }
            try Self.checkCustomerKey(upload.customerKey, customerKey, events: events)
            let partKey: [UInt8]
            if let customerKey {
                partKey = customerKey.key
            } else {
                partKey = try self.partKey(state, origin, upload, bucket: bucket, &events)
            }
            // A 12-byte nonce is valid, and sealing with a 32-byte key cannot fail.
            let nonce = try! AES.GCM.Nonce(data: world.random.bytes(12))
            let sealed = try! AES.GCM.seal(body, using: SymmetricKey(data: partKey), nonce: nonce)
            let eTag =
                "\""
                + (upload.encryption.algorithm?.hasPrefix("aws:kms") == true || upload.customerKey != nil
                    ? Hex.encode(sealed.tag) : Hex.encode(Insecure.MD5.hash(data: body))) + "\""
            state.contents[name, default: .init()].uploads[uploadId]?.parts[partNumber] = sealed
            state.contents[name, default: .init()].uploads[uploadId]?.partETags[partNumber] = eTag
            state.contents[name, default: .init()].uploads[uploadId]?.partSizes[partNumber] = body.count
            var info = upload.info(uploadId)
            info.eTag = eTag
            return Traced(info, events: events)
        }
    }

    /// The key parts are sealed under: the upload's data key (S3 must ask KMS to
    /// decrypt it, so the caller needs kms:Decrypt), or the bucket's S3 key.
    func partKey(
        _ state: WorldState, _ origin: Origin, _ upload: MultipartUpload, bucket: Bucket, _ events: inout [EngineEvent]
    )
        throws(ServiceError) -> [UInt8]
    {
        guard let blob = upload.encryptedDataKey else { return bucket.s3Key.withUnsafeBytes { Array($0) } }
        events.append(.serviceCall(from: "s3", to: "kms", operation: "Decrypt"))
        do throws(ServiceError) {
            return try world.kms.decryptLocked(
                state, kmsOrigin(origin, bucket: bucket), ciphertextBlob: blob,
                context: EncryptionContext(upload.context),
                &events
            ).plaintext
        } catch {
            throw Self.surface(error, events: events)
        }
    }

    /// The smallest size of every part but the last.
    public static let minimumPartSize = 5 * 1_048_576

    /// CompleteMultipartUpload with the parts to assemble, as (part number, ETag)
    /// in ascending order; nil takes every uploaded part.
    public func completeMultipartUpload(
        _ origin: Origin, bucket name: String, key: String, uploadId: String, parts requested: [(Int, String)]? = nil
    ) throws(ServiceError) -> Traced<ObjectMetadata> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let bucket = try authorizeObject(state, origin, name, key, "s3:PutObject", &events)
            guard var upload = state.contents[name]?.uploads[uploadId], upload.key == key, !upload.parts.isEmpty else {
                throw ServiceError("NoSuchUpload", "The specified upload does not exist.")
            }
            let chosen = requested ?? upload.partETags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            guard zip(chosen, chosen.dropFirst()).allSatisfy({ $0.0 < $1.0 }) else {
                throw ServiceError("InvalidPartOrder", "The list of parts was not in ascending order.")
            }
            for (number, eTag) in chosen where upload.partETags[number] != eTag {
                throw ServiceError("InvalidPart", "One or more of the specified parts could not be found.")
            }
            for (number, _) in chosen.dropLast() where (upload.partSizes[number] ?? 0) < Self.minimumPartSize {
                throw ServiceError(
                    "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.")
            }
            upload.parts = upload.parts.filter { part in chosen.contains { $0.0 == part.key } }
            if let check = upload.customerKey {
                // Without the customer's key S3 cannot join the parts: they stay sealed apart.
                var stored = customerSealedObject(upload, check: check, key: key, bucket: bucket, now: state.now)
                Self.setUploadOwner(&stored, upload, bucket: bucket)
                replicate(&state, &stored, key: key, bucket: bucket, &events)
                state.contents[name, default: .init()].uploads[uploadId] = nil
                Self.write(
                    stored, key: key, into: &state.contents[name, default: .init()], versioning: bucket.versioning)
                return Traced(stored.metadata, events: events)
            }
            let rawKey = try self.partKey(state, origin, upload, bucket: bucket, &events)
            let partKey = SymmetricKey(data: rawKey)
            var body: [UInt8] = []
            for (_, part) in upload.parts.sorted(by: { $0.key < $1.key }) {
                guard let plaintext = try? AES.GCM.open(part, using: partKey) else {
                    throw ServiceError("InternalError", "An uploaded part could not be decrypted.", events: events)
                }
                body += plaintext
            }
            var stored: StoredObject
            if let blob = upload.encryptedDataKey {
                stored = sealObject(
                    body, dataKey: rawKey, key: key, bucket: bucket, encryption: upload.encryption, state.now)
                stored.encryptedDataKey = blob
                stored.context = upload.context
                stored.metadata.kmsKeyArn = Self.keyARN(fromBlob: blob)
            } else {
                stored = try store(
                    &state, origin, body, key: key, bucket: bucket, encryption: upload.encryption, &events)
            }
            state.contents[name, default: .init()].uploads[uploadId] = nil
            Self.setUploadOwner(&stored, upload, bucket: bucket)
            replicate(&state, &stored, key: key, bucket: bucket, &events)
            Self.write(stored, key: key, into: &state.contents[name, default: .init()], versioning: bucket.versioning)
            return Traced(stored.metadata, events: events)
        }
    }

    public func abortMultipartUpload(_ origin: Origin, bucket name: String, key: String, uploadId: String)
        throws(ServiceError) -> Traced<Void>
    {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            _ = try authorizeObject(state, origin, name, key, "s3:AbortMultipartUpload", &events)
            // An upload id is only valid with the key it was created for.
            guard state.contents[name]?.uploads[uploadId]?.key == key else {
                throw ServiceError("NoSuchUpload", "The specified upload does not exist.")
            }
            state.contents[name, default: .init()].uploads[uploadId] = nil
            return Traced((), events: events)
        }
    }

    /// The object an SSE-C multipart upload becomes: its parts, still sealed under
    /// the customer's key; its ETag is the parts' tags and their count, as for
    /// other multipart objects.
    func customerSealedObject(
        _ upload: MultipartUpload, check: CustomerKeyCheck, key: String, bucket: Bucket, now: Date
    ) -> StoredObject {
        let parts = upload.parts.sorted { $0.key < $1.key }.map(\.value)
        let tags = parts.flatMap { Array($0.tag) }
        let size = upload.partSizes.filter { upload.parts[$0.key] != nil }.values.reduce(0, +)
        var metadata = ObjectMetadata(
            key: key, size: size, eTag: "\"\(Hex.encode(Insecure.MD5.hash(data: tags)))-\(parts.count)\"",
            lastModified: now, versionId: bucket.versioning ? world.random.hex(16) : nil, serverSideEncryption: nil,
            kmsKeyArn: nil, bucketKeyEnabled: false, owner: bucket.account)
        metadata.sseCustomerAlgorithm = "AES256"
        metadata.sseCustomerKeyMD5 = check.keyMD5
        return StoredObject(
            metadata: metadata, sealed: nil, plaintext: nil, encryptedDataKey: nil, context: [:],
            customerKey: check, sealedParts: parts)
    }

    /// The owner and ACL fixed when the upload began.
    static func setUploadOwner(_ stored: inout StoredObject, _ upload: MultipartUpload, bucket: Bucket) {
        stored.metadata.owner = upload.owner ?? bucket.account
        stored.metadata.userMetadata = upload.userMetadata
        stored.acl = bucket.aclsDisabled ? nil : upload.acl
    }
}
