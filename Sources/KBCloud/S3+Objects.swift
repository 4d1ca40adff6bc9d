import Crypto
import Foundation
import KBCrypto
import KBPolicy
import Synchronization

extension S3 {
    public struct GetObjectResult: Sendable {
        public var body: [UInt8]
        public var metadata: ObjectMetadata
    }

    /// PutObject: request headers override the bucket's default encryption; without
    /// either, the post-2023 baseline SSE-S3 applies (or nothing, in pre-2023 mode).
    public func putObject(
        _ origin: Origin, bucket name: String, key: String, body: [UInt8],
        encryption headers: EncryptionRequest = .init()
    ) throws(ServiceError) -> Traced<ObjectMetadata> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let bucket = try authorizeObject(
                state, origin, name, key, "s3:PutObject", context: Self.headerContext(headers), &events)
            let encryption = try resolveEncryption(state, headers, bucket: bucket)
            let stored = try store(&state, origin, body, key: key, bucket: bucket, encryption: encryption, &events)
            Self.write(stored, key: key, into: &state.contents[name, default: .init()], versioning: bucket.versioning)
            return Traced(stored.metadata, events: events)
        }
    }

    /// GetObject: for SSE-KMS objects S3 asks KMS to decrypt the data key on the
    /// caller's behalf, so the caller needs kms:Decrypt (semantics.md §4.3).
    public func getObject(_ origin: Origin, bucket name: String, key: String) throws(ServiceError) -> Traced<
        GetObjectResult
    > {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let (bucket, object) = try findObject(state, origin, name, key, action: "s3:GetObject", &events)
            let body = try open(state, origin, object, bucket: bucket, &events)
            return Traced(GetObjectResult(body: body, metadata: object.metadata), events: events)
        }
    }

    /// HeadObject: metadata only; no KMS call.
    public func headObject(_ origin: Origin, bucket name: String, key: String) throws(ServiceError) -> Traced<
        ObjectMetadata
    > {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let (_, object) = try findObject(state, origin, name, key, action: "s3:GetObject", &events)
            return Traced(object.metadata, events: events)
        }
    }

    /// ListObjectsV2: every object's key and metadata, whatever its encryption; no KMS call.
    public func listObjectsV2(_ origin: Origin, bucket name: String, prefix: String = "") throws(ServiceError)
        -> Traced<[ObjectMetadata]>
    {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let bucket = try findBucket(state, name)
            try Self.checkEndpoint(origin, bucket)
            try authorize(
                state, origin, "s3:ListBucket", resource: bucket.arn, account: bucket.account, policy: bucket.policy,
                context: prefix.isEmpty ? [:] : ["s3:prefix": [prefix]], &events)
            let listed = (state.contents[name]?.objects ?? [:]).filter { $0.key.hasPrefix(prefix) }.compactMap {
                $0.value.last.flatMap { $0.isDeleteMarker ? nil : $0.metadata }
            }
            .sorted { $0.key < $1.key }
            return Traced(listed, events: events)
        }
    }

    /// What DeleteObject answers: in a versioned bucket, the delete marker it added.
    public struct DeleteResult: Sendable, Hashable {
        public var deleteMarker: Bool
        public var versionId: String?
    }

    public func deleteObject(_ origin: Origin, bucket name: String, key: String) throws(ServiceError)
        -> Traced<DeleteResult>
    {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let bucket = try authorizeObject(state, origin, name, key, "s3:DeleteObject", &events)
            if bucket.versioning, state.contents[name]?.objects[key] != nil {
                let marker = ObjectMetadata(
                    key: key, size: 0, eTag: "", lastModified: state.now, versionId: world.random.hex(16),
                    serverSideEncryption: nil, kmsKeyArn: nil, bucketKeyEnabled: false)
                state.contents[name, default: .init()].objects[key, default: []].append(
                    StoredObject(
                        metadata: marker, sealed: nil, plaintext: [], encryptedDataKey: nil, context: [:],
                        isDeleteMarker: true))
                return Traced(DeleteResult(deleteMarker: true, versionId: marker.versionId), events: events)
            }
            state.contents[name, default: .init()].objects[key] = nil
            return Traced(DeleteResult(deleteMarker: false, versionId: nil), events: events)
        }
    }

    /// CopyObject: reads the source (Decrypt on its key, if SSE-KMS) and writes the
    /// destination (GenerateDataKey on its key). Copying an object onto itself is
    /// how old objects are re-encrypted; S3 refuses a self-copy that changes nothing.
    /// `replacingMetadata` is `--metadata-directive REPLACE`: a change of its own,
    /// so a self-copy with it is allowed.
    public func copyObject(
        _ origin: Origin, sourceBucket: String, sourceKey: String, bucket name: String, key: String,
        encryption headers: EncryptionRequest = .init(), replacingMetadata: Bool = false
    ) throws(ServiceError) -> Traced<ObjectMetadata> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            // The source may be in another Region; the request goes to the destination's.
            let (source, object) = try findObject(
                state, origin, sourceBucket, sourceKey, action: "s3:GetObject", endpointRegion: false, &events)
            let destination = try authorizeObject(
                state, origin, name, key, "s3:PutObject", context: Self.headerContext(headers), &events)
            if sourceBucket == name, sourceKey == key, headers.isEmpty, !replacingMetadata {
                throw ServiceError(
                    "InvalidRequest",
                    "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
                    events: events)
            }
            let body = try open(state, origin, object, bucket: source, &events)
            let encryption = try resolveEncryption(state, headers, bucket: destination)
            let stored = try store(&state, origin, body, key: key, bucket: destination, encryption: encryption, &events)
            Self.write(
                stored, key: key, into: &state.contents[name, default: .init()], versioning: destination.versioning)
            return Traced(stored.metadata, events: events)
        }
    }

    // MARK: - Multipart upload

    /// CreateMultipartUpload: for SSE-KMS, S3 generates the data key now.
    public func createMultipartUpload(
        _ origin: Origin, bucket name: String, key: String, encryption headers: EncryptionRequest = .init()
    ) throws(ServiceError) -> Traced<MultipartUploadInfo> {
        let uploadId = world.random.hex(16)
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let bucket = try authorizeObject(
                state, origin, name, key, "s3:PutObject", context: Self.headerContext(headers), &events)
            let encryption = try resolveEncryption(state, headers, bucket: bucket)
            var upload = MultipartUpload(key: key, encryption: encryption, context: [:])
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
    /// caller needs kms:Decrypt as well as kms:GenerateDataKey.
    public func uploadPart(
        _ origin: Origin, bucket name: String, key: String, uploadId: String, partNumber: Int, body: [UInt8]
    )
        throws(ServiceError) -> Traced<MultipartUploadInfo>
    {
        guard (1...10_000).contains(partNumber) else {
            throw ServiceError("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive")
        }
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let bucket = try authorizeObject(state, origin, name, key, "s3:PutObject", &events)
            guard let upload = state.contents[name]?.uploads[uploadId], upload.key == key else {
                throw ServiceError("NoSuchUpload", "The specified upload does not exist.")
            }
            let partKey = try self.partKey(state, origin, upload, bucket: bucket, &events)
            // A 12-byte nonce is valid, and sealing with a 32-byte key cannot fail.
            let nonce = try! AES.GCM.Nonce(data: world.random.bytes(12))
            let sealed = try! AES.GCM.seal(body, using: SymmetricKey(data: partKey), nonce: nonce)
            let eTag =
                "\""
                + (upload.encryption.algorithm?.hasPrefix("aws:kms") == true
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
            Self.write(stored, key: key, into: &state.contents[name, default: .init()], versioning: bucket.versioning)
            return Traced(stored.metadata, events: events)
        }
    }

    /// Keeps every version in a versioned bucket, the newest only otherwise.
    static func write(_ stored: StoredObject, key: String, into contents: inout BucketContents, versioning: Bool) {
        if versioning {
            contents.objects[key, default: []].append(stored)
        } else {
            contents.objects[key] = [stored]
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

    // MARK: - Encryption of objects

    /// The condition keys S3 sets from a request's encryption headers.
    static func headerContext(_ headers: EncryptionRequest) -> [String: [String]] {
        var context: [String: [String]] = [:]
        if let algorithm = headers.serverSideEncryption { context["s3:x-amz-server-side-encryption"] = [algorithm] }
        if let key = headers.kmsKeyId { context["s3:x-amz-server-side-encryption-aws-kms-key-id"] = [key] }
        return context
    }

    func resolveEncryption(_ state: WorldState, _ headers: EncryptionRequest, bucket: Bucket) throws(ServiceError)
        -> ResolvedEncryption
    {
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
        let digest =
            encryption.algorithm?.hasPrefix("aws:kms") == true && tag != nil
            ? Hex.encode(tag ?? []) : Hex.encode(Insecure.MD5.hash(data: body))
        return ObjectMetadata(
            key: key, size: body.count, eTag: "\"\(digest)\"", lastModified: now,
            versionId: bucket.versioning ? world.random.hex(16) : nil, serverSideEncryption: encryption.algorithm,
            kmsKeyArn: nil,
            bucketKeyEnabled: encryption.bucketKeyEnabled && encryption.algorithm?.hasPrefix("aws:kms") == true,
            owner: bucket.account)
    }

    /// A request must reach the bucket's own Region.
    static func checkEndpoint(_ origin: Origin, _ bucket: Bucket) throws(ServiceError) {
        guard origin.region == bucket.region else {
            throw ServiceError(
                "PermanentRedirect",
                "The bucket you are attempting to access must be addressed using the specified endpoint (\(bucket.region))."
            )
        }
    }

    /// Finds a bucket and authorizes an action on one of its objects.
    func authorizeObject(
        _ state: WorldState, _ origin: Origin, _ name: String, _ key: String, _ action: String,
        context: [String: [String]] = [:], endpointRegion: Bool = true, _ events: inout [EngineEvent]
    ) throws(ServiceError) -> Bucket {
        let bucket = try findBucket(state, name)
        if endpointRegion { try Self.checkEndpoint(origin, bucket) }
        try authorize(
            state, origin, action, resource: bucket.objectARN(key), account: bucket.account, policy: bucket.policy,
            context: context, &events)
        return bucket
    }

    func findObject(
        _ state: WorldState, _ origin: Origin, _ name: String, _ key: String, action: String,
        endpointRegion: Bool = true, _ events: inout [EngineEvent]
    ) throws(ServiceError) -> (Bucket, StoredObject) {
        let bucket = try authorizeObject(state, origin, name, key, action, endpointRegion: endpointRegion, &events)
        guard let object = state.contents[name]?.objects[key]?.last, !object.isDeleteMarker else {
            // S3 says NoSuchKey only to callers allowed to list the bucket; to others, AccessDenied.
            var probe: [EngineEvent] = []
            do throws(ServiceError) {
                try authorize(
                    state, origin, "s3:ListBucket", resource: bucket.arn, account: bucket.account,
                    policy: bucket.policy, &probe)
            } catch {
                throw ServiceError("AccessDenied", "Access Denied", events: events + probe)
            }
            throw ServiceError("NoSuchKey", "The specified key does not exist.", events: events + probe)
        }
        return (bucket, object)
    }

    /// Decrypts a stored object, asking KMS for its data key when it is SSE-KMS.
    func open(
        _ state: WorldState, _ origin: Origin, _ object: StoredObject, bucket: Bucket, _ events: inout [EngineEvent]
    )
        throws(ServiceError) -> [UInt8]
    {
        if let plaintext = object.plaintext { return plaintext }
        var dataKey = bucket.s3Key.withUnsafeBytes { Array($0) }
        if let blob = object.encryptedDataKey {
            try Self.requireSigV4ForKMS(origin, events: events)
            events.append(.serviceCall(from: "s3", to: "kms", operation: "Decrypt"))
            do {
                dataKey = try world.kms.decryptLocked(
                    state, kmsOrigin(origin, bucket: bucket), ciphertextBlob: blob,
                    context: EncryptionContext(object.context),
                    &events
                ).plaintext
            } catch {
                throw Self.surface(error, events: events)
            }
        }
        guard let sealed = object.sealed, let body = try? AES.GCM.open(sealed, using: SymmetricKey(data: dataKey))
        else {
            throw ServiceError("InternalError", "The object could not be decrypted.", events: events)
        }
        return Array(body)
    }

    static func keyARN(fromBlob blob: [UInt8]) -> String? { CiphertextBlob(bytes: blob)?.keyARN }
}
