import Crypto
import Foundation
import KBCrypto
import KBPolicy
import Synchronization

/// The states of semantics.md §3.7.
public enum KeyState: Sendable, Hashable, CustomStringConvertible {
    case enabled
    case disabled
    case pendingDeletion(until: Date)
    /// A key with imported key material that has none (importing-keys.md).
    case pendingImport

    public var description: String {
        switch self {
        case .enabled: return "Enabled"
        case .disabled: return "Disabled"
        case .pendingDeletion: return "PendingDeletion"
        case .pendingImport: return "PendingImport"
        }
    }
}

/// What DescribeKey returns.
public struct KeyMetadata: Sendable {
    public var keyId: String
    public var arn: String
    public var account: String
    public var region: String
    public var description: String
    public var keyState: KeyState
    /// CUSTOMER or AWS.
    public var keyManager: String
    public var creationDate: Date
    public var deletionDate: Date?
    public var multiRegion: Bool
    /// PRIMARY or REPLICA for multi-Region keys.
    public var multiRegionKeyType: String?
    public var keySpec = "SYMMETRIC_DEFAULT"
    public var keyUsage = "ENCRYPT_DECRYPT"
    /// AWS_KMS, or EXTERNAL for imported key material.
    public var origin = "AWS_KMS"
    /// Imported key material: when it expires (nil: it does not).
    public var validTo: Date?
    /// KEY_MATERIAL_EXPIRES or KEY_MATERIAL_DOES_NOT_EXPIRE, for EXTERNAL keys.
    public var expirationModel: String?
    /// A multi-Region primary scheduled for deletion while replicas remain.
    public var awaitingReplicaDeletion = false
    /// For multi-Region keys: the primary, and the replicas, as (ARN, Region).
    public var primaryKey: (arn: String, region: String)?
    public var replicaKeys: [(arn: String, region: String)] = []
    public var enabled: Bool { keyState == .enabled }
    /// The KeyState string DescribeKey shows, PendingReplicaDeletion included.
    public var keyStateName: String { awaitingReplicaDeletion ? "PendingReplicaDeletion" : keyState.description }
}

/// A KMS key as the world stores it. Its backing key material is never handed out.
struct KMSKey: Sendable {
    var id: String
    var account: String
    var region: String
    var description: String
    var policy: PolicyDocument
    var policyText: String
    var state: KeyState = .enabled
    /// Backing key material, version 1 first; rotation appends.
    var materials: [SymmetricKey]
    var awsManaged = false
    var created: Date
    var rotationPeriodDays: Int?
    var nextRotation: Date?
    var multiRegion = false
    var isReplica = false
    /// Imported key material (Origin EXTERNAL): the key starts PendingImport.
    var isExternal = false
    var materialExpires: Date?
    /// Whether the imported material expires.
    var expirationModel: String?
    /// The material first imported: the only material the key ever takes.
    var firstImported: SymmetricKey?
    /// Completed rotations, oldest first.
    var rotations: [KeyRotation] = []

    var arn: String { "arn:aws:kms:\(region):\(account):key/\(id)" }
    var storageKey: String { Self.storageKey(account: account, region: region, id: id) }

    static func storageKey(account: String, region: String, id: String) -> String { "\(account)/\(region)/\(id)" }

    var metadata: KeyMetadata {
        var deletion: Date?
        if case .pendingDeletion(let date) = state { deletion = date }
        return KeyMetadata(
            keyId: id, arn: arn, account: account, region: region, description: description, keyState: state,
            keyManager: awsManaged ? "AWS" : "CUSTOMER", creationDate: created, deletionDate: deletion,
            multiRegion: multiRegion, multiRegionKeyType: multiRegion ? (isReplica ? "REPLICA" : "PRIMARY") : nil,
            origin: isExternal ? "EXTERNAL" : "AWS_KMS", validTo: materialExpires,
            expirationModel: isExternal ? (expirationModel ?? "KEY_MATERIAL_DOES_NOT_EXPIRE") : nil)
    }
}

extension WorldState {
    /// Whether `key` is a multi-Region primary with replicas still in existence.
    func hasReplicas(_ key: KMSKey) -> Bool {
        key.multiRegion && !key.isReplica
            && keys.values.contains { $0.isReplica && $0.account == key.account && $0.id == key.id }
    }

    /// DescribeKey's view of `key`, which depends on its related multi-Region keys.
    func metadata(_ key: KMSKey) -> KeyMetadata {
        var metadata = key.metadata
        if case .pendingDeletion = key.state, hasReplicas(key) { metadata.awaitingReplicaDeletion = true }
        if key.multiRegion {
            let related = keys.values.filter { $0.account == key.account && $0.id == key.id }
                .sorted { $0.region < $1.region }
            metadata.primaryKey = related.first { !$0.isReplica }.map { ($0.arn, $0.region) }
            metadata.replicaKeys = related.filter(\.isReplica).map { ($0.arn, $0.region) }
        }
        return metadata
    }

    /// Rotations that came due and deletions whose window ended.
    /// At most this many rotations are applied by one clock move, so a huge jump
    /// cannot fill memory.
    static let maxRotationsPerAdvance = 1_000

    /// Sorted walk, so a seeded world draws its random material in the same order
    /// every run. Multi-Region keys share material: the primary's new version is
    /// copied to its replicas (replicas never rotate on their own).
    mutating func applyClock(random: any RandomSource) {
        for storage in keys.keys.sorted() {
            guard let key = keys[storage] else { continue }
            if case .pendingDeletion(let until) = key.state, now >= until {
                // A multi-Region primary waits until its replicas are gone
                // (PendingReplicaDeletion in AWS's words).
                if hasReplicas(key) { continue }
                keys[storage] = nil
                grants[storage] = nil
                aliases = aliases.filter { entry in
                    !(entry.key.hasPrefix("\(key.account)/\(key.region)/") && entry.value == key.id)
                }
                continue
            }
            // Imported material that expires is deleted; the key waits for it again
            // (importing-keys.md, "Setting an expiration time").
            if let expires = key.materialExpires, now >= expires {
                keys[storage]?.materials = []
                keys[storage]?.materialExpires = nil
                if case .pendingDeletion = key.state {} else { keys[storage]?.state = .pendingImport }
                continue
            }
            guard !key.isReplica, let period = key.rotationPeriodDays, var next = key.nextRotation else { continue }
            let seconds = TimeInterval(period) * 86_400
            var added: [SymmetricKey] = []
            var dates: [KeyRotation] = []
            while now >= next, added.count < Self.maxRotationsPerAdvance {
                added.append(SymmetricKey(data: random.bytes(32)))
                dates.append(KeyRotation(date: next, onDemand: false))
                next += seconds
            }
            if now >= next { next = now + seconds }
            for other in keys.keys where keys[other]?.account == key.account && keys[other]?.id == key.id {
                keys[other]?.materials.append(contentsOf: added)
                keys[other]?.rotations.append(contentsOf: dates)
            }
            keys[storage]?.nextRotation = next
        }
    }
}
