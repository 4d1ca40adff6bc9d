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
    /// `acl` is a canned ACL (`--acl`): refused where the bucket has ACLs off.
    /// `metadata` is user metadata (`--metadata k=v`).
    public func putObject(
        _ origin: Origin, bucket name: String, key: String, body: [UInt8],
        encryption headers: EncryptionRequest = .init(), acl: String? = nil, metadata: [String: String] = [:]
    ) throws(ServiceError) -> Traced<ObjectMetadata> {
        try Self.requireTLSForCustomerKey(origin, headers.customerKey)
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let bucket = try authorizeObject(
                state, origin, name, key, "s3:PutObject", context: Self.headerContext(headers, acl: acl), &events)
            try Self.checkObjectACL(acl, bucket: bucket, events: events)
            let encryption = try resolveEncryption(state, headers, bucket: bucket, events: events)
            var stored = try store(&state, origin, body, key: key, bucket: bucket, encryption: encryption, &events)
            Self.setOwner(&stored, writer: origin.caller, acl: acl, bucket: bucket)
            stored.metadata.userMetadata = Self.userMetadata(metadata)
            replicate(&state, &stored, key: key, bucket: bucket, &events)
            Self.write(stored, key: key, into: &state.contents[name, default: .init()], versioning: bucket.versioning)
            return Traced(stored.metadata, events: events)
        }
    }

    /// GetObject: for SSE-KMS objects S3 asks KMS to decrypt the data key on the
    /// caller's behalf, so the caller needs kms:Decrypt (semantics.md §4.3). An
    /// SSE-C object needs the key it was written with (`customerKey`).
    public func getObject(_ origin: Origin, bucket name: String, key: String, customerKey: CustomerKey? = nil)
        throws(ServiceError) -> Traced<GetObjectResult>
    {
        try Self.requireTLSForCustomerKey(origin, customerKey)
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let (bucket, object) = try findObject(state, origin, name, key, action: "s3:GetObject", &events)
            let body = try open(state, origin, object, bucket: bucket, customerKey: customerKey, &events)
            return Traced(GetObjectResult(body: body, metadata: object.metadata), events: events)
        }
    }

    /// HeadObject: metadata only; no KMS call. An SSE-C object's metadata needs
    /// its key too (ServerSideEncryptionCustomerKeys.md).
    public func headObject(_ origin: Origin, bucket name: String, key: String, customerKey: CustomerKey? = nil)
        throws(ServiceError) -> Traced<ObjectMetadata>
    {
        try Self.requireTLSForCustomerKey(origin, customerKey)
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let (_, object) = try findObject(state, origin, name, key, action: "s3:GetObject", &events)
            try Self.checkCustomerKey(object.customerKey, customerKey, events: events)
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
    /// so a self-copy with it is allowed. An SSE-C source needs its key
    /// (`sourceCustomerKey`); the copy is SSE-C only if the headers ask for it.
    public func copyObject(
        _ origin: Origin, sourceBucket: String, sourceKey: String, bucket name: String, key: String,
        encryption headers: EncryptionRequest = .init(), replacingMetadata: Bool = false,
        sourceCustomerKey: CustomerKey? = nil, acl: String? = nil, metadata: [String: String] = [:]
    ) throws(ServiceError) -> Traced<ObjectMetadata> {
        try Self.requireTLSForCustomerKey(origin, headers.customerKey ?? sourceCustomerKey)
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            // The source may be in another Region; the request goes to the destination's.
            let (source, object) = try findObject(
                state, origin, sourceBucket, sourceKey, action: "s3:GetObject", endpointRegion: false, &events)
            let destination = try authorizeObject(
                state, origin, name, key, "s3:PutObject", context: Self.headerContext(headers, acl: acl), &events)
            try Self.checkObjectACL(acl, bucket: destination, events: events)
            if sourceBucket == name, sourceKey == key, headers.isEmpty, !replacingMetadata {
                throw ServiceError(
                    "InvalidRequest",
                    "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
                    events: events)
            }
            let body = try open(state, origin, object, bucket: source, customerKey: sourceCustomerKey, &events)
            let encryption = try resolveEncryption(state, headers, bucket: destination, events: events)
            var stored = try store(&state, origin, body, key: key, bucket: destination, encryption: encryption, &events)
            Self.setOwner(&stored, writer: origin.caller, acl: acl, bucket: destination)
            // The metadata directive: COPY keeps the source's, REPLACE takes the request's.
            stored.metadata.userMetadata =
                replacingMetadata ? Self.userMetadata(metadata) : object.metadata.userMetadata
            replicate(&state, &stored, key: key, bucket: destination, &events)
            Self.write(
                stored, key: key, into: &state.contents[name, default: .init()], versioning: destination.versioning)
            return Traced(stored.metadata, events: events)
        }
    }

    /// User metadata names are case-insensitive; S3 returns them in lower case.
    static func userMetadata(_ given: [String: String]) -> [String: String] {
        Dictionary(given.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// Keeps every version in a versioned bucket, the newest only otherwise.
    static func write(_ stored: StoredObject, key: String, into contents: inout BucketContents, versioning: Bool) {
        if versioning {
            contents.objects[key, default: []].append(stored)
        } else {
            contents.objects[key] = [stored]
        }
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
            try missingObject(state, origin, bucket, events: events)
        }
        // Where ACLs are on, an object another account wrote is readable only as
        // its ACL says (about-object-ownership.md).
        guard Self.aclAllowsRead(object, caller: origin.caller, bucket: bucket) else {
            throw ServiceError("AccessDenied", "Access Denied", events: events)
        }
        return (bucket, object)
    }

    /// S3 says NoSuchKey only to callers allowed to list the bucket; to others, AccessDenied.
    func missingObject(_ state: WorldState, _ origin: Origin, _ bucket: Bucket, events: [EngineEvent])
        throws(ServiceError) -> Never
    {
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

    /// Decrypts a stored object, asking KMS for its data key when it is SSE-KMS,
    /// and checking the customer's key when it is SSE-C.
    func open(
        _ state: WorldState, _ origin: Origin, _ object: StoredObject, bucket: Bucket,
        customerKey: CustomerKey? = nil, _ events: inout [EngineEvent]
    )
        throws(ServiceError) -> [UInt8]
    {
        try Self.checkCustomerKey(object.customerKey, customerKey, events: events)
        if let customerKey, object.customerKey != nil {
            return try Self.openCustomerSealed(object, key: customerKey, events: events)
        }
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
