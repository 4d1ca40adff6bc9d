import Crypto
import Foundation
import KBCrypto
import KBPolicy
import Synchronization

/// Key rotation (kms/rotate-keys.md): new backing material under the same key id
/// and ARN, every earlier version kept for Decrypt. Automatic rotation every
/// 90–2560 days (365 by default), on demand up to 25 times per key
/// (rotating-keys-on-demand.html), never for keys with imported material, and
/// always yearly, beyond anyone's control, for AWS managed keys.
extension KMS {
    /// On-demand rotations a key may have (rotating-keys-on-demand.html; the API
    /// reference's older text says 10).
    public static let maxOnDemandRotations = 25

    /// Automatic rotation every `rotationPeriodInDays` (90–2560, default 365).
    public func enableKeyRotation(_ origin: Origin, keyId: String, rotationPeriodInDays: Int = 365) throws(ServiceError)
        -> Traced<Void>
    {
        guard (90...2560).contains(rotationPeriodInDays) else {
            throw ServiceError(
                "ValidationException",
                "The rotation period must be between 90 and 2560 days, not \(rotationPeriodInDays).")
        }
        return try changeState(origin, keyId: keyId, action: "kms:EnableKeyRotation") { key, now throws(ServiceError) in
            try Self.requireRotatable(key)
            key.rotationPeriodDays = rotationPeriodInDays
            key.nextRotation = now + TimeInterval(rotationPeriodInDays) * 86_400
        }
    }

    /// DisableKeyRotation: no more automatic rotations; on-demand ones still work.
    public func disableKeyRotation(_ origin: Origin, keyId: String) throws(ServiceError) -> Traced<Void> {
        try changeState(origin, keyId: keyId, action: "kms:DisableKeyRotation") { key, _ throws(ServiceError) in
            try Self.requireRotatable(key)
            key.rotationPeriodDays = nil
            key.nextRotation = nil
        }
    }

    /// The key states and kinds that take rotation settings (key-state.md
    /// footnotes 1, 3, 6, 7; multi-region-keys-overview.md for replicas).
    static func requireRotatable(_ key: KMSKey) throws(ServiceError) {
        if key.isExternal { throw externalOrigin(key) }
        try requireUsable(key)
        if key.awsManaged {
            throw ServiceError(
                "UnsupportedOperationException",
                "\(key.arn) is an AWS managed key: AWS KMS rotates it every year; its rotation cannot be changed.")
        }
        // Replicas take their material from the primary.
        if key.isReplica {
            throw ServiceError(
                "UnsupportedOperationException",
                "\(key.arn) is a multi-Region replica key; enable rotation on its primary.")
        }
    }

    public struct RotationStatus: Sendable, Hashable {
        public var enabled: Bool
        public var rotationPeriodInDays: Int?
        public var nextRotationDate: Date?
        /// How many versions of backing material the key has.
        public var materialVersions: Int
    }

    /// A multi-Region replica reports its primary's rotation: they share their
    /// material and its schedule (rotate-keys.md, "Multi-Region keys").
    public func getKeyRotationStatus(_ origin: Origin, keyId: String) throws(ServiceError) -> Traced<RotationStatus> {
        try read(origin, keyId: keyId, action: "kms:GetKeyRotationStatus") { state, key in
            let schedule =
                key.isReplica
                ? state.keys.values.first {
                    $0.multiRegion && !$0.isReplica && $0.id == key.id && $0.account == key.account
                }
                    ?? key : key
            return RotationStatus(
                enabled: schedule.rotationPeriodDays != nil, rotationPeriodInDays: schedule.rotationPeriodDays,
                nextRotationDate: schedule.nextRotation, materialVersions: key.materials.count)
        }
    }

    /// RotateKeyOnDemand: new backing material now; old versions stay for Decrypt,
    /// and the automatic schedule does not move.
    public func rotateKeyOnDemand(_ origin: Origin, keyId: String) throws(ServiceError) -> Traced<Void> {
        let material = SymmetricKey(data: world.random.bytes(32))
        return try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let key = try resolve(state, keyId, origin)
            try authorize(state, origin, "kms:RotateKeyOnDemand", key: key, &events)
            if key.isExternal { throw Self.externalOrigin(key) }
            try Self.requireUsable(key)
            if key.isReplica {
                throw ServiceError("UnsupportedOperationException", "\(key.arn) is a replica key; rotate its primary.")
            }
            guard key.rotations.filter(\.onDemand).count < Self.maxOnDemandRotations else {
                throw ServiceError(
                    "LimitExceededException",
                    "\(key.arn) has had the most on-demand rotations a key may have (\(Self.maxOnDemandRotations)).",
                    events: events)
            }
            // Multi-Region keys share their material: every replica rotates with the primary.
            for storage in state.keys.keys
            where state.keys[storage]?.id == key.id && state.keys[storage]?.account == key.account {
                state.keys[storage]?.materials.append(material)
                state.keys[storage]?.rotations.append(KeyRotation(date: state.now, onDemand: true))
            }
            return Traced((), events: events)
        }
    }

    public struct RotationEntry: Sendable, Hashable {
        public var keyId: String
        public var rotationDate: Date
        /// AUTOMATIC or ON_DEMAND.
        public var rotationType: String
    }

    /// ListKeyRotations: every completed rotation, oldest first.
    public func listKeyRotations(_ origin: Origin, keyId: String) throws(ServiceError) -> Traced<[RotationEntry]> {
        try world.state.withLock { state throws(ServiceError) in
            var events: [EngineEvent] = []
            let key = try resolve(state, keyId, origin)
            try authorize(state, origin, "kms:ListKeyRotations", key: key, &events)
            if key.isExternal { throw Self.externalOrigin(key) }
            return Traced(
                key.rotations.map {
                    RotationEntry(
                        keyId: key.arn, rotationDate: $0.date, rotationType: $0.onDemand ? "ON_DEMAND" : "AUTOMATIC")
                }, events: events)
        }
    }

    /// key-state.md footnote 6.
    static func externalOrigin(_ key: KMSKey) -> ServiceError {
        ServiceError(
            "UnsupportedOperationException", "\(key.arn) origin is EXTERNAL which is not valid for this operation.")
    }
}

/// One completed rotation of a key's material.
struct KeyRotation: Sendable, Hashable {
    var date: Date
    var onDemand: Bool
}
