import Crypto
import Foundation
import KBCrypto
import KBPolicy
import Synchronization

/// Live replication of new objects (replication.md), run when an object is
/// written, in the same step: the engine has no background work, so a source
/// object's status is COMPLETED or FAILED once the write returns, never
/// PENDING. S3 assumes the configuration's role and acts as its session: it
/// reads the source (s3:GetObjectVersionForReplication, and kms:Decrypt on the
/// source key for SSE-KMS objects), then writes the replica (s3:ReplicateObject,
/// and kms:Encrypt on the replica key) (replication-config-for-kms-objects.md).
/// Replicas are never replicated again (replication-what-is-isnot-replicated.md),
/// so A → B → A configurations end after one hop.
extension S3 {
    /// The replication status of one source object, and why it failed.
    struct ReplicationOutcome {
        var destination: String
        /// nil when replication worked; else AWS's failure reason where the
        /// replication-failure-codes.md table has one.
        var failure: String?
    }

    /// Replicates a newly written object by its bucket's rules and sets its
    /// status; does nothing for replicas or objects no rule covers.
    func replicate(
        _ state: inout WorldState, _ stored: inout StoredObject, key: String, bucket: Bucket,
        _ events: inout [EngineEvent]
    ) {
        guard let configuration = bucket.replication, stored.metadata.replicationStatus != "REPLICA",
            !stored.isDeleteMarker
        else { return }
        let isKMS = stored.metadata.serverSideEncryption?.hasPrefix("aws:kms") == true
        // One rule per destination: the highest priority among those that cover the key.
        var chosen: [String: ReplicationRule] = [:]
        for rule in configuration.rules where rule.covers(key) {
            let destination = rule.destination.bucket
            if let held = chosen[destination], (held.priority ?? 0) >= (rule.priority ?? 0) { continue }
            chosen[destination] = rule
        }
        // SSE-KMS objects are replicated only where the rule opts in.
        let eligible = chosen.values.filter { !isKMS || $0.sseKmsEncryptedObjects == true }
            .sorted { $0.destination.bucket < $1.destination.bucket }
        guard !eligible.isEmpty else { return }
        var outcomes: [ReplicationOutcome] = []
        for rule in eligible {
            let failure = replicateOnce(
                &state, stored, key: key, source: bucket, role: configuration.role, rule: rule, &events)
            outcomes.append(ReplicationOutcome(destination: rule.destination.bucket, failure: failure))
            events.append(
                .replication(
                    source: bucket.objectARN(key), destination: rule.destination.bucket,
                    status: failure == nil ? "COMPLETED" : "FAILED", reason: failure))
        }
        // COMPLETED only when every destination has the replica
        // (replication-status.md, "replicating to multiple destination buckets").
        stored.metadata.replicationStatus = outcomes.allSatisfy { $0.failure == nil } ? "COMPLETED" : "FAILED"
    }

    /// One destination: returns nil on success, else the failure reason.
    private func replicateOnce(
        _ state: inout WorldState, _ object: StoredObject, key: String, source: Bucket, role: String,
        rule: ReplicationRule, _ events: inout [EngineEvent]
    ) -> String? {
        // 1. S3 assumes the role: its trust policy must let s3.amazonaws.com in.
        events.append(.serviceCall(from: "s3", to: "sts", operation: "AssumeRole"))
        guard let session = assumeReplicationRole(state, role, source: source, &events) else {
            return "AssumeRoleNotPermitted"
        }
        let sourceOrigin = Origin(session, region: source.region)
        // 2. Read the source object version.
        do {
            try authorize(
                state, sourceOrigin, "s3:GetObjectVersionForReplication", resource: source.objectARN(key),
                account: source.account, policy: source.policy, &events)
        } catch {
            return "SrcGetObjectNotPermitted"
        }
        // 3. The destination: it must exist and keep versions.
        guard let name = rule.destination.bucketName, let destination = state.buckets[name] else {
            return "DstBucketNotFound"
        }
        guard destination.versioning else { return "DstBucketUnversioned" }
        let destinationOrigin = Origin(session, region: destination.region)
        var replica: StoredObject
        do {
            replica = try makeReplica(
                &state, object, key: key, source: source, destination: destination, rule: rule,
                sourceOrigin: sourceOrigin, destinationOrigin: destinationOrigin, &events)
        } catch {
            return error.code
        }
        // 4. Write the replica: s3:ReplicateObject (and the owner override when asked).
        var context: [String: [String]] = [:]
        if let algorithm = replica.metadata.serverSideEncryption {
            context["s3:x-amz-server-side-encryption"] = [algorithm]
        }
        if let keyARN = replica.metadata.kmsKeyArn {
            context["s3:x-amz-server-side-encryption-aws-kms-key-id"] = [keyARN]
        }
        let actions =
            ["s3:ReplicateObject"] + (rule.destination.ownerOverride ? ["s3:ObjectOwnerOverrideToBucketOwner"] : [])
        for action in actions {
            do {
                try authorize(
                    state, destinationOrigin, action, resource: destination.objectARN(key),
                    account: destination.account, policy: destination.policy, context: context, &events)
            } catch {
                return "DstPutObjectNotPermitted"
            }
        }
        if destination.blocksSSEC, replica.customerKey != nil { return "DstPutObjectNotPermitted" }
        replica.metadata.versionId = object.metadata.versionId
        replica.metadata.lastModified = object.metadata.lastModified
        replica.metadata.replicationStatus = "REPLICA"
        replica.metadata.owner = destination.account
        Self.write(replica, key: key, into: &state.contents[name, default: .init()], versioning: true)
        return nil
    }

    /// The replica's bytes and encryption. SSE-KMS: the same ciphertext, its data
    /// key decrypted under the source key and encrypted under the replica key.
    /// SSE-S3: re-sealed under the destination's S3 key. SSE-C: copied as it is,
    /// with the key's check (S3 never had the key). Unencrypted: the destination's
    /// default encryption (replication-config-for-kms-objects.md).
    private func makeReplica(
        _ state: inout WorldState, _ object: StoredObject, key: String, source: Bucket, destination: Bucket,
        rule: ReplicationRule, sourceOrigin: Origin, destinationOrigin: Origin, _ events: inout [EngineEvent]
    ) throws(ServiceError) -> StoredObject {
        if object.customerKey != nil { return object }
        if let blob = object.encryptedDataKey {
            let dataKey: [UInt8]
            do {
                dataKey = try world.kms.decryptLocked(
                    state, kmsOrigin(sourceOrigin, bucket: source), ciphertextBlob: blob,
                    context: EncryptionContext(object.context), &events
                ).plaintext
            } catch {
                throw ServiceError(Self.kmsFailure(error, side: "Src"), error.message)
            }
            let bucketKey = destination.encryption?.bucketKeyEnabled ?? false
            let context = ["aws:s3:arn": bucketKey ? destination.arn : destination.objectARN(key)]
            events.append(.serviceCall(from: "s3", to: "kms", operation: "Encrypt"))
            let sealed: (blob: [UInt8], keyARN: String)
            do {
                sealed = try world.kms.sealLocked(
                    state, kmsOrigin(destinationOrigin, bucket: destination),
                    keyId: rule.destination.replicaKmsKeyID ?? "", plaintext: dataKey,
                    context: EncryptionContext(context),
                    action: "kms:Encrypt", &events)
            } catch {
                throw ServiceError(Self.kmsFailure(error, side: "Dst"), error.message)
            }
            var replica = object
            replica.encryptedDataKey = sealed.blob
            replica.context = context
            replica.metadata.kmsKeyArn = sealed.keyARN
            replica.metadata.bucketKeyEnabled = bucketKey
            return replica
        }
        let body: [UInt8]
        do {
            body = try open(state, sourceOrigin, object, bucket: source, &events)
        } catch {
            throw ServiceError("SrcGetObjectNotPermitted", error.message)
        }
        if object.metadata.serverSideEncryption == "AES256" {
            let encryption = ResolvedEncryption(algorithm: "AES256", kmsKeyId: nil, bucketKeyEnabled: false)
            return sealObject(
                body, dataKey: destination.s3Key.withUnsafeBytes { Array($0) }, key: key,
                bucket: destination, encryption: encryption, state.now)
        }
        let encryption = try resolveEncryption(state, EncryptionRequest(), bucket: destination)
        do {
            return try store(
                &state, destinationOrigin, body, key: key, bucket: destination, encryption: encryption, &events)
        } catch {
            throw ServiceError(Self.kmsFailure(error, side: "Dst"), error.message)
        }
    }

    /// The failure reason for a KMS error on one side (replication-failure-codes.md:
    /// SrcKmsKeyInvalidState, DstKmsKeyInvalidState, DstKmsKeyNotFound). The table
    /// has no reason for a KMS permission denied; the engine says which call it was.
    static func kmsFailure(_ error: ServiceError, side: String) -> String {
        switch error.code.replacingOccurrences(of: "KMS.", with: "") {
        case "DisabledException", "KMSInvalidStateException": return "\(side)KmsKeyInvalidState"
        case "NotFoundException": return side == "Dst" ? "DstKmsKeyNotFound" : "SrcKmsKeyNotFound"
        default:
            return side == "Src"
                ? "AccessDenied: kms:Decrypt on the source object's key"
                : "AccessDenied: kms:Encrypt on the replica key"
        }
    }

    /// The role's session as S3 holds it, if the trust policy lets S3 assume it.
    private func assumeReplicationRole(
        _ state: WorldState, _ roleARN: String, source: Bucket, _ events: inout [EngineEvent]
    ) -> Caller? {
        guard let role = RequestPrincipal(roleARN), case .role(let name) = role.kind, let account = role.account,
            let record = state.principals[WorldState.identityKey(role, account: account)],
            let trust = record.trustPolicy,
            let service = RequestPrincipal("s3.amazonaws.com"),
            let session = RequestPrincipal("arn:aws:sts::\(account):assumed-role/\(name)/s3-replication")
        else { return nil }
        let evaluation = state.authorize(
            Caller(principal: service), service: "sts", action: "sts:AssumeRole", resource: roleARN,
            resourceAccount: account, resourcePolicy: trust,
            context: RequestContext(["aws:SourceAccount": [source.account], "aws:SourceArn": [source.arn]]),
            events: &events)
        return evaluation.decision == .allowed ? Caller(principal: session) : nil
    }
}
