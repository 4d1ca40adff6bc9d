import Crypto
import Foundation
import KBCrypto
import KBPolicy
import Synchronization

extension KMS {
    public struct EncryptResult: Sendable {
        public var ciphertextBlob: [UInt8]
        public var keyId: String
    }

    public struct DecryptResult: Sendable {
        public var plaintext: [UInt8]
        public var keyId: String
    }

    public struct DataKey: Sendable {
        /// Nil for GenerateDataKeyWithoutPlaintext. Never stored by the engine.
        public var plaintext: [UInt8]?
        public var ciphertextBlob: [UInt8]
        public var keyId: String
    }

    /// Encrypt: 1–4,096 bytes of plaintext.
    public func encrypt(_ origin: Origin, keyId: String, plaintext: [UInt8], context: EncryptionContext = .init())
        throws(ServiceError) -> Traced<EncryptResult>
    {
        guard (1...4096).contains(plaintext.count) else {
            throw ServiceError(
                "ValidationException",
                "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length between 1 and 4096"
            )
        }
        return try seal(origin, keyId: keyId, plaintext: plaintext, context: context, action: "kms:Encrypt") {
            EncryptResult(ciphertextBlob: $0, keyId: $1)
        }
    }

    /// GenerateDataKey: `keySpec` AES_256 / AES_128, or `numberOfBytes` 1–1,024, not both.
    public func generateDataKey(
        _ origin: Origin, keyId: String, keySpec: String? = nil, numberOfBytes: Int? = nil,
        context: EncryptionContext = .init(), withPlaintext: Bool = true
    ) throws(ServiceError) -> Traced<DataKey> {
        let size: Int
        switch (keySpec, numberOfBytes) {
        case (nil, nil):
            throw ServiceError("ValidationException", "Please specify either number of bytes or key spec.")
        case (.some, .some):
            throw ServiceError("ValidationException", "Please specify either number of bytes or key spec, not both.")
        case (let spec?, nil):
            guard let bytes = ["AES_256": 32, "AES_128": 16][spec] else {
                throw ServiceError(
                    "ValidationException",
                    "1 validation error detected: Value '\(spec)' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]"
                )
            }
            size = bytes
        case (nil, let count?):
            guard (1...1024).contains(count) else {
                throw ServiceError(
                    "ValidationException",
                    "1 validation error detected: Value '\(count)' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024"
                )
            }
            size = count
        }
        let dataKey = world.random.bytes(size)
        let action = withPlaintext ? "kms:GenerateDataKey" : "kms:GenerateDataKeyWithoutPlaintext"
        return try seal(origin, keyId: keyId, plaintext: dataKey, context: context, action: action) {
            DataKey(plaintext: withPlaintext ? dataKey : nil, ciphertextBlob: $0, keyId: $1)
        }
    }

    /// Authorizes `action` on the key, checks its state and seals under its newest material.
    func seal<Result: Sendable>(
        _ origin: Origin, keyId: String, plaintext: [UInt8], context: EncryptionContext, action: String,
        _ make: ([UInt8], String) -> Result
    ) throws(ServiceError) -> Traced<Result> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let (blob, arn) = try sealLocked(
                state, origin, keyId: keyId, plaintext: plaintext, context: context, action: action, &events)
            return Traced(make(blob, arn), events: events)
        }
    }

    /// The body of `seal`, for callers that already hold the world's lock (S3).
    func sealLocked(
        _ state: WorldState, _ origin: Origin, keyId: String, plaintext: [UInt8], context: EncryptionContext,
        action: String,
        _ events: inout [EngineEvent]
    ) throws(ServiceError) -> (blob: [UInt8], keyARN: String) {
        let key = try resolve(state, keyId, origin)
        try authorize(state, origin, action, key: key, context: context, &events)
        try Self.requireUsable(key)
        let version = UInt32(key.materials.count)
        let blob = EnvelopeCipher.seal(
            plaintext, material: key.materials[Int(version) - 1], keyARN: key.arn, version: version, context: context,
            random: world.random)
        events.append(.keyUsed(keyARN: key.arn, materialVersion: version, purpose: action))
        events.append(.crypto(operation: "encrypt", bytes: plaintext.count, context: context.pairs))
        return (blob.bytes, key.arn)
    }

    /// Decrypt for callers that already hold the world's lock (S3).
    func decryptLocked(
        _ state: WorldState, _ origin: Origin, ciphertextBlob: [UInt8], context: EncryptionContext,
        _ events: inout [EngineEvent]
    ) throws(ServiceError) -> (plaintext: [UInt8], keyARN: String) {
        let (key, blob) = try open(state, origin, ciphertextBlob, keyId: nil)
        try authorize(state, origin, "kms:Decrypt", key: key, context: context, &events)
        try Self.requireUsable(key)
        return (try Self.decipher(blob, key: key, context: context, events: &events), key.arn)
    }

    /// Decrypt. The key comes from the blob; a `keyId` that names another key gives
    /// IncorrectKeyException. A multi-Region ciphertext decrypts with the replica in
    /// the request's Region.
    public func decrypt(
        _ origin: Origin, ciphertextBlob: [UInt8], keyId: String? = nil, context: EncryptionContext = .init()
    ) throws(ServiceError) -> Traced<DecryptResult> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let (key, blob) = try open(state, origin, ciphertextBlob, keyId: keyId)
            try authorize(state, origin, "kms:Decrypt", key: key, context: context, &events)
            try Self.requireUsable(key)
            let plaintext = try Self.decipher(blob, key: key, context: context, events: &events)
            return Traced(DecryptResult(plaintext: plaintext, keyId: key.arn), events: events)
        }
    }

    /// ReEncrypt: decrypt under one key and encrypt under another inside KMS;
    /// needs kms:ReEncryptFrom on the source and kms:ReEncryptTo on the destination.
    public func reEncrypt(
        _ origin: Origin, ciphertextBlob: [UInt8], sourceKeyId: String? = nil,
        sourceContext: EncryptionContext = .init(),
        destinationKeyId: String, destinationContext: EncryptionContext = .init()
    ) throws(ServiceError) -> Traced<EncryptResult> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let (source, blob) = try open(state, origin, ciphertextBlob, keyId: sourceKeyId)
            let destination = try resolve(state, destinationKeyId, origin)
            try authorize(state, origin, "kms:ReEncryptFrom", key: source, context: sourceContext, &events)
            try authorize(state, origin, "kms:ReEncryptTo", key: destination, context: destinationContext, &events)
            try Self.requireUsable(source)
            try Self.requireUsable(destination)
            let plaintext = try Self.decipher(blob, key: source, context: sourceContext, events: &events)
            let version = UInt32(destination.materials.count)
            let sealed = EnvelopeCipher.seal(
                plaintext, material: destination.materials[Int(version) - 1], keyARN: destination.arn, version: version,
                context: destinationContext, random: world.random)
            events.append(.keyUsed(keyARN: destination.arn, materialVersion: version, purpose: "kms:ReEncryptTo"))
            return Traced(EncryptResult(ciphertextBlob: sealed.bytes, keyId: destination.arn), events: events)
        }
    }

    /// Reads a blob and finds the key it names, as seen from the request's Region.
    func open(_ state: WorldState, _ origin: Origin, _ bytes: [UInt8], keyId: String?) throws(ServiceError)
        -> (KMSKey, CiphertextBlob)
    {
        guard let blob = CiphertextBlob(bytes: bytes), let named = ARN(blob.keyARN) else {
            throw ServiceError("InvalidCiphertextException", "The ciphertext is not valid.")
        }
        // The header is only authenticated when the blob is opened, so a key that
        // cannot be found means a damaged blob, as far as the caller can tell. KMS is
        // regional: only a multi-Region key's replica opens a blob from another Region.
        let id = named.resourceType.rest
        let region = named.region == origin.region || id.hasPrefix("mrk-") ? origin.region : ""
        guard let key = state.keys[KMSKey.storageKey(account: named.account, region: region, id: id)] else {
            throw ServiceError("InvalidCiphertextException", "The ciphertext is not valid.")
        }
        if let keyId {
            let requested = try resolve(state, keyId, origin)
            guard requested.id == key.id, requested.account == key.account else {
                throw ServiceError(
                    "IncorrectKeyException",
                    "The key ID in the request does not identify a KMS key that can perform this operation.")
            }
        }
        return (key, blob)
    }

    static func decipher(_ blob: CiphertextBlob, key: KMSKey, context: EncryptionContext, events: inout [EngineEvent])
        throws(ServiceError) -> [UInt8]
    {
        let version = Int(blob.materialVersion)
        guard version >= 1, version <= key.materials.count else {
            throw ServiceError("InvalidCiphertextException", "The ciphertext is not valid.", events: events)
        }
        do {
            let plaintext = try EnvelopeCipher.open(blob, material: key.materials[version - 1], context: context)
            events.append(.keyUsed(keyARN: key.arn, materialVersion: blob.materialVersion, purpose: "kms:Decrypt"))
            events.append(.crypto(operation: "decrypt", bytes: plaintext.count, context: context.pairs))
            return plaintext
        } catch {
            throw ServiceError("InvalidCiphertextException", "The ciphertext is not valid.", events: events)
        }
    }

    // MARK: - AWS managed keys

    /// The AWS managed key a service uses in an account and Region (`alias/aws/s3`),
    /// created on first use. Its policy lets the account use it only through the
    /// service, and cannot be changed.
    func awsManagedKey(_ state: inout WorldState, account: String, region: String, service: String) -> KMSKey {
        let alias = "alias/aws/\(service)"
        if let existing = state.keys.values.first(where: {
            $0.awsManaged && $0.account == account && $0.region == region && $0.description == alias
        }) {
            return existing
        }
        let text = """
            {"Version":"2012-10-17","Id":"auto-\(service)-2","Statement":[{"Sid":"Allow access through \(service) for all principals in the account that are authorized to use \(service)",\
            "Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],\
            "Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"\(account)","kms:ViaService":"\(service).\(region).amazonaws.com"}}},\
            {"Sid":"Allow direct access to key metadata to the account","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(account):root"},\
            "Action":["kms:Describe*","kms:Get*","kms:List*"],"Resource":"*"}]}
            """
        // The text above is well formed, so parsing cannot fail.
        let document = (try? Self.parsePolicy(text)) ?? PolicyDocument(statements: [])
        // AWS KMS rotates AWS managed keys every year (rotate-keys.md).
        let key = KMSKey(
            id: world.random.uuid(), account: account, region: region, description: alias, policy: document,
            policyText: text, materials: [SymmetricKey(data: world.random.bytes(32))], awsManaged: true,
            created: state.now, rotationPeriodDays: 365, nextRotation: state.now + 365 * 86_400)
        state.keys[key.storageKey] = key
        return key
    }
}
