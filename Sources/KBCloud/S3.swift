import Crypto
import Foundation
import KBCrypto
import KBPolicy
import Synchronization

/// Amazon S3 for what encryption guides describe: buckets with policies and
/// default encryption, objects stored encrypted for real, and the KMS calls S3
/// makes on the caller's behalf (semantics.md §4).
public struct S3: Sendable {
    let world: World

    public struct Origin: Sendable {
        public var caller: Caller
        public var region: String
        /// Extra request context (aws:SourceIp, …); these win over derived keys.
        public var context: [String: [String]]
        /// How the request was signed: SigV4 in a header, as the AWS CLI does, by default.
        public var signature: RequestSignature
        /// HTTPS (the CLI's default) or plain HTTP; sets `aws:SecureTransport`.
        public var secureTransport: Bool

        public init(
            _ caller: Caller, region: String, context: [String: [String]] = [:], signature: RequestSignature = .sigV4,
            secureTransport: Bool = true
        ) {
            self.caller = caller
            self.region = region
            self.context = context
            self.signature = signature
            self.secureTransport = secureTransport
        }
    }

    // MARK: - Buckets

    /// CreateBucket. `objectOwnership` defaults to BucketOwnerEnforced for buckets
    /// made from April 2023 (ACLs off); a bucket ACL cannot go with it.
    public func createBucket(
        _ origin: Origin, bucket name: String, objectOwnership: String? = nil, acl: String? = nil
    ) throws(ServiceError) -> Traced<Void> {
        guard let account = origin.caller.account else { throw ServiceError("AccessDenied", "Access Denied") }
        guard Self.isValidBucketName(name) else {
            throw ServiceError("InvalidBucketName", "The specified bucket is not valid.")
        }
        if let objectOwnership, !Self.objectOwnershipSettings.contains(objectOwnership) {
            throw ServiceError("InvalidArgument", "Invalid x-amz-object-ownership header: \(objectOwnership)")
        }
        if let acl, !Self.cannedACLs.contains(acl) {
            throw ServiceError("InvalidArgument", "\(acl) is not a canned ACL.")
        }
        let s3Key = SymmetricKey(data: world.random.bytes(32))
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            guard state.buckets[name] == nil else {
                throw ServiceError(
                    state.buckets[name]?.account == account ? "BucketAlreadyOwnedByYou" : "BucketAlreadyExists",
                    "The requested bucket name is not available.")
            }
            try authorize(
                state, origin, "s3:CreateBucket", resource: "arn:aws:s3:::\(name)", account: account, policy: nil,
                &events)
            let ownership =
                objectOwnership
                ?? (state.now >= Self.objectOwnershipEnforcedForNewBucketsSince ? "BucketOwnerEnforced" : nil)
            if ownership == "BucketOwnerEnforced", let acl, acl != "private" {
                throw ServiceError(
                    "InvalidBucketAclWithObjectOwnership",
                    "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", events: events)
            }
            state.buckets[name] = Bucket(
                name: name, account: account, region: origin.region, created: state.now, s3Key: s3Key,
                blocksSSEC: state.blockSSECOnNewBuckets, objectOwnership: ownership,
                publicAccessBlock: state.now >= Self.blockPublicAccessForNewBucketsSince ? PublicAccessBlock() : nil)
            return Traced((), events: events)
        }
    }

    public struct BucketSummary: Sendable, Hashable {
        public var name: String
        public var creationDate: Date
    }

    /// ListBuckets: the caller's account's buckets, by name.
    public func listBuckets(_ origin: Origin) throws(ServiceError) -> Traced<[BucketSummary]> {
        guard let account = origin.caller.account else { throw ServiceError("AccessDenied", "Access Denied") }
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            try authorize(state, origin, "s3:ListAllMyBuckets", resource: "*", account: account, policy: nil, &events)
            let owned = state.buckets.values.filter { $0.account == account }.sorted { $0.name < $1.name }
            return Traced(owned.map { BucketSummary(name: $0.name, creationDate: $0.created) }, events: events)
        }
    }

    public func putBucketEncryption(_ origin: Origin, bucket: String, _ configuration: BucketEncryption)
        throws(ServiceError)
        -> Traced<Void>
    {
        guard ["AES256", "aws:kms", "aws:kms:dsse"].contains(configuration.algorithm) else {
            throw ServiceError(
                "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema")
        }
        if configuration.algorithm == "AES256", configuration.kmsKeyId != nil {
            throw ServiceError("InvalidArgument", "a KMS key id is only allowed with aws:kms")
        }
        if let blocked = configuration.blockedEncryptionTypes,
            blocked.isEmpty || !blocked.allSatisfy({ $0 == "SSE-C" || $0 == "NONE" })
                || (blocked.contains("SSE-C") && blocked.contains("NONE"))
        {
            throw ServiceError(
                "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema")
        }
        return try update(origin, bucket, action: "s3:PutEncryptionConfiguration") { bucket in
            var stored = configuration
            if let blocked = stored.blockedEncryptionTypes { bucket.blocksSSEC = blocked.contains("SSE-C") }
            stored.blockedEncryptionTypes = nil
            bucket.encryption = stored
        }
    }

    public func getBucketEncryption(_ origin: Origin, bucket: String) throws(ServiceError) -> Traced<BucketEncryption> {
        try read(origin, bucket, action: "s3:GetEncryptionConfiguration") { bucket, state throws(ServiceError) in
            // Since 2023 every bucket reports at least SSE-S3.
            guard
                var encryption = bucket.encryption
                    ?? (state.encryptNewObjectsByDefault ? BucketEncryption(algorithm: "AES256") : nil)
            else {
                throw ServiceError(
                    "ServerSideEncryptionConfigurationNotFoundError",
                    "The server side encryption configuration was not found")
            }
            if bucket.blocksSSEC { encryption.blockedEncryptionTypes = ["SSE-C"] }
            return encryption
        }
    }

    public func deleteBucketEncryption(_ origin: Origin, bucket: String) throws(ServiceError) -> Traced<Void> {
        try update(origin, bucket, action: "s3:PutEncryptionConfiguration") { $0.encryption = nil }
    }

    public func putBucketPolicy(_ origin: Origin, bucket: String, policy: String) throws(ServiceError) -> Traced<Void> {
        let document: PolicyDocument
        do {
            document = try KMS.parsePolicy(policy)
        } catch {
            throw ServiceError("MalformedPolicy", error.message)
        }
        return try update(origin, bucket, action: "s3:PutBucketPolicy") { bucket throws(ServiceError) in
            // access-control-block-public-access.md, BlockPublicPolicy.
            if bucket.publicAccessBlock?.blockPublicPolicy == true, Self.isPublic(document) {
                throw ServiceError(
                    "AccessDenied",
                    "User: \(origin.caller.principal) is not authorized to perform: s3:PutBucketPolicy on resource: \(bucket.arn) because public policies are blocked by the BlockPublicPolicy block public access setting."
                )
            }
            bucket.policy = document
            bucket.policyText = policy
        }
    }

    public func getBucketPolicy(_ origin: Origin, bucket: String) throws(ServiceError) -> Traced<String> {
        try read(origin, bucket, action: "s3:GetBucketPolicy") { bucket, _ throws(ServiceError) in
            guard let text = bucket.policyText else {
                throw ServiceError("NoSuchBucketPolicy", "The bucket policy does not exist")
            }
            return text
        }
    }

    public func putBucketVersioning(_ origin: Origin, bucket: String, enabled: Bool) throws(ServiceError) -> Traced<
        Void
    > {
        try update(origin, bucket, action: "s3:PutBucketVersioning") { $0.versioning = enabled }
    }

    // MARK: - Shared plumbing

    static func isValidBucketName(_ name: String) -> Bool {
        guard (3...63).contains(name.count), let first = name.first, let last = name.last,
            first.isLetter || first.isNumber, last.isLetter || last.isNumber
        else { return false }
        return name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "." }
            && !name.contains("..")
    }

    func findBucket(_ state: WorldState, _ name: String) throws(ServiceError) -> Bucket {
        guard let bucket = state.buckets[name] else {
            throw ServiceError("NoSuchBucket", "The specified bucket does not exist")
        }
        return bucket
    }

    func update(
        _ origin: Origin, _ name: String, action: String, _ change: (inout Bucket) throws(ServiceError) -> Void
    ) throws(ServiceError) -> Traced<Void> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            var bucket = try findBucket(state, name)
            try Self.checkEndpoint(origin, bucket)
            try Self.ownerOnly(origin, bucket, action)
            try authorize(
                state, origin, action, resource: bucket.arn, account: bucket.account, policy: bucket.policy, &events)
            do throws(ServiceError) {
                try change(&bucket)
            } catch {
                throw ServiceError(error.code, error.message, events: events)
            }
            state.buckets[name] = bucket
            return Traced((), events: events)
        }
    }

    /// Authorizes a read of bucket settings and answers it, all under one lock.
    func read<Value: Sendable>(
        _ origin: Origin, _ name: String, action: String, _ get: (Bucket, WorldState) throws(ServiceError) -> Value
    ) throws(ServiceError) -> Traced<Value> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let bucket = try findBucket(state, name)
            try Self.checkEndpoint(origin, bucket)
            try Self.ownerOnly(origin, bucket, action)
            try authorize(
                state, origin, action, resource: bucket.arn, account: bucket.account, policy: bucket.policy, &events)
            return Traced(try get(bucket, state), events: events)
        }
    }

    /// Bucket policy operations are for the owner's account only: S3 answers
    /// other accounts with 405 MethodNotAllowed, whatever the bucket policy says.
    static func ownerOnly(_ origin: Origin, _ bucket: Bucket, _ action: String) throws(ServiceError) {
        guard action.hasSuffix("BucketPolicy"), origin.caller.account != bucket.account else { return }
        throw ServiceError("MethodNotAllowed", "The specified method is not allowed against this resource.")
    }

    /// The policy model decides; S3 answers a denial with AccessDenied.
    func authorize(
        _ state: WorldState, _ origin: Origin, _ action: String, resource: String, account: String,
        policy: PolicyDocument?,
        context extra: [String: [String]] = [:], _ events: inout [EngineEvent]
    ) throws(ServiceError) {
        try Self.checkSignatureLifetime(origin, now: state.now)
        var context = RequestContext(Self.requestContext(origin, now: state.now))
        for (key, value) in extra { context[key] = value }
        if let bucket = Self.bucket(named: resource, in: state),
            Self.restrictsPublicAccess(bucket, caller: origin.caller)
        {
            let evaluation = Evaluation(
                decision: .implicitlyDenied,
                reason:
                    "the bucket policy is public and RestrictPublicBuckets admits only account \(bucket.account) and AWS services",
                decidedBy: [], trace: [])
            events.append(.authorization(service: "s3", action: action, resource: resource, evaluation: evaluation))
            throw ServiceError("AccessDenied", "Access Denied", events: events)
        }
        let evaluation = state.authorize(
            origin.caller, service: "s3", action: action, resource: resource, resourceAccount: account,
            resourcePolicy: policy, context: context, events: &events)
        guard evaluation.decision == .allowed else {
            throw ServiceError("AccessDenied", "Access Denied", events: events)
        }
    }

    /// The bucket an S3 ARN (`arn:aws:s3:::NAME` or `…:::NAME/KEY`) names.
    static func bucket(named resource: String, in state: WorldState) -> Bucket? {
        guard resource.hasPrefix("arn:aws:s3:::") else { return nil }
        let rest = resource.dropFirst(13)
        return state.buckets[String(rest.prefix { $0 != "/" })]
    }

    /// The KMS side of a request S3 makes for the caller, with kms:ViaService.
    func kmsOrigin(_ origin: Origin, bucket: Bucket) -> KMS.Origin {
        KMS.Origin(
            origin.caller, region: bucket.region, viaService: "s3.\(bucket.region).amazonaws.com",
            context: origin.context)
    }

    /// KMS errors reach an S3 caller as S3 errors: a denial is S3's AccessDenied,
    /// the rest keep their KMS name under a `KMS.` prefix.
    static func surface(_ error: ServiceError, events: [EngineEvent]) -> ServiceError {
        // KMS errors raised after recording carry the S3 events already.
        let all = error.events.isEmpty ? events : error.events
        if error.code == "AccessDeniedException" {
            return ServiceError("AccessDenied", "Access Denied", events: all)
        }
        return ServiceError("KMS.\(error.code)", error.message, events: all)
    }
}
