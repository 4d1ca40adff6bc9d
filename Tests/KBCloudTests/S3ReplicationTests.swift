import Foundation
import KBCloud
import KBCrypto
import KBPolicy
import Testing

/// Replication of SSE-KMS objects from us-east-1 to us-west-2
/// (replication-config-for-kms-objects.md, replication-walkthrough-4.md).
struct ReplicationWorld {
    static let source = "src-reports"
    static let destination = "dst-reports"
    static let role = "arn:aws:iam::111122223333:role/Replication"
    let world = World(seed: "replication")
    let owner = try! Caller("arn:aws:iam::111122223333:root")
    let partnerRoot = try! Caller("arn:aws:iam::444455556666:root")
    let sourceKey: String
    let replicaKey: String

    static let trust =
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#

    /// The role's permissions, after the walkthrough's policy.
    static func rolePolicy(decrypt: Bool = true, encrypt: Bool = true, destination: String = destination) -> String {
        var statements = [
            #"{"Effect":"Allow","Action":["s3:GetReplicationConfiguration","s3:ListBucket","s3:GetObjectVersionForReplication"],"Resource":["arn:aws:s3:::src-reports","arn:aws:s3:::src-reports/*"]}"#,
            #"{"Effect":"Allow","Action":["s3:ReplicateObject","s3:ReplicateDelete"],"Resource":"arn:aws:s3:::\#(destination)/*"}"#,
        ]
        if decrypt {
            statements.append(
                #"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringLike":{"kms:ViaService":"s3.us-east-1.amazonaws.com","kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::src-reports/*"}}}"#
            )
        }
        if encrypt {
            statements.append(
                #"{"Effect":"Allow","Action":["kms:Encrypt","kms:GenerateDataKey"],"Resource":"*","Condition":{"StringLike":{"kms:ViaService":"s3.us-west-2.amazonaws.com","kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::\#(destination)/*"}}}"#
            )
        }
        return #"{"Version":"2012-10-17","Statement":[\#(statements.joined(separator: ","))]}"#
    }

    init(rolePolicy: String = Self.rolePolicy(), trust: String = Self.trust, destinationVersioned: Bool = true) throws {
        // Buckets that take SSE-C, as before April 2026.
        world.setBlockSSECOnNewBuckets(false)
        try world.setPrincipal(Self.role, identityPolicies: [policy(rolePolicy)], trustPolicy: policy(trust))
        let kms = world.kms
        sourceKey = try kms.createKey(.init(owner, region: "us-east-1")).value.arn
        replicaKey = try kms.createKey(.init(owner, region: "us-west-2")).value.arn
        let s3 = world.s3
        _ = try s3.createBucket(east, bucket: Self.source)
        _ = try s3.putBucketVersioning(east, bucket: Self.source, enabled: true)
        _ = try s3.putBucketEncryption(
            east, bucket: Self.source, BucketEncryption(algorithm: "aws:kms", kmsKeyId: sourceKey))
        _ = try s3.createBucket(west, bucket: Self.destination)
        _ = try s3.putBucketVersioning(west, bucket: Self.destination, enabled: destinationVersioned)
    }

    var east: S3.Origin { .init(owner, region: "us-east-1") }
    var west: S3.Origin { .init(owner, region: "us-west-2") }

    func rule(
        kms: Bool? = true, replicaKey: String? = nil, prefix: String = "", destination: String = Self.destination,
        account: String? = nil
    ) -> ReplicationRule {
        ReplicationRule(
            id: "r1", priority: 1, filter: ReplicationFilter(prefix: prefix),
            destination: ReplicationDestination(
                bucket: "arn:aws:s3:::\(destination)", account: account,
                replicaKmsKeyID: kms == true ? (replicaKey ?? self.replicaKey) : nil),
            sseKmsEncryptedObjects: kms, deleteMarkerReplication: false)
    }

    func configure(_ rules: [ReplicationRule]) throws {
        _ = try world.s3.putBucketReplication(
            east, bucket: Self.source, ReplicationConfiguration(role: Self.role, rules: rules))
    }

    func put(_ key: String = "Tax/2026.csv", encryption: EncryptionRequest = .init()) throws -> Traced<ObjectMetadata> {
        try world.s3.putObject(east, bucket: Self.source, key: key, body: Array("a,b".utf8), encryption: encryption)
    }

    func replica(
        _ key: String = "Tax/2026.csv", bucket: String = Self.destination, region: String = "us-west-2",
        as caller: Caller? = nil
    ) throws -> Traced<ObjectMetadata> {
        try world.s3.headObject(.init(caller ?? owner, region: region), bucket: bucket, key: key)
    }

    static func failure(_ traced: Traced<ObjectMetadata>) -> String? {
        for case .replication(_, _, _, let reason) in traced.events { return reason }
        return nil
    }
}

@Suite struct S3ReplicationTests {
    @Test("replication-config-for-kms-objects.md: an SSE-KMS object reaches another Region under the replica key")
    func sseKMSObjectsReplicateAcrossRegions() throws {
        let env = try ReplicationWorld()
        try env.configure([env.rule()])
        let put = try env.put()
        #expect(put.value.replicationStatus == "COMPLETED")
        let replica = try env.replica()
        #expect(replica.value.replicationStatus == "REPLICA")
        #expect(replica.value.kmsKeyArn == env.replicaKey)
        #expect(replica.value.versionId == put.value.versionId)
        // The source key decrypts in the source Region, the replica key encrypts in
        // the destination's, both through S3 as the role.
        let kmsCalls = put.events.compactMap { event -> String? in
            if case .authorization("kms", let action, let resource, let evaluation) = event,
                evaluation.decision == .allowed
            {
                return "\(action) \(resource)"
            }
            return nil
        }
        #expect(kmsCalls.contains("kms:Decrypt \(env.sourceKey)"))
        #expect(kmsCalls.contains("kms:Encrypt \(env.replicaKey)"))
        let body = try env.world.s3.getObject(env.west, bucket: ReplicationWorld.destination, key: "Tax/2026.csv")
        #expect(String(decoding: body.value.body, as: UTF8.self) == "a,b")
    }

    @Test("replication-config-for-kms-objects.md: without SseKmsEncryptedObjects, SSE-KMS objects stay behind")
    func sseKMSObjectsNeedTheOptIn() throws {
        let env = try ReplicationWorld()
        try env.configure([env.rule(kms: nil)])
        let put = try env.put()
        #expect(put.value.replicationStatus == nil)
        #expect(serviceError { _ = try env.replica() }?.code == "NoSuchKey")
        // Objects that are not SSE-KMS are replicated by the same rule.
        let plain = try env.put("Tax/plain.csv", encryption: EncryptionRequest(serverSideEncryption: "AES256"))
        #expect(plain.value.replicationStatus == "COMPLETED")
        #expect(try env.replica("Tax/plain.csv").value.serverSideEncryption == "AES256")
    }

    @Test(
        "replication-config-for-kms-objects.md: the role needs kms:Decrypt on the source key and kms:Encrypt on the replica key"
    )
    func theRoleNeedsBothKMSPermissions() throws {
        let noEncrypt = try ReplicationWorld(rolePolicy: ReplicationWorld.rolePolicy(encrypt: false))
        try noEncrypt.configure([noEncrypt.rule()])
        let failed = try noEncrypt.put()
        #expect(failed.value.replicationStatus == "FAILED")
        #expect(ReplicationWorld.failure(failed)?.contains("kms:Encrypt") == true)
        #expect(serviceError { _ = try noEncrypt.replica() }?.code == "NoSuchKey")

        let noDecrypt = try ReplicationWorld(rolePolicy: ReplicationWorld.rolePolicy(decrypt: false))
        try noDecrypt.configure([noDecrypt.rule()])
        let failedToo = try noDecrypt.put()
        #expect(failedToo.value.replicationStatus == "FAILED")
        #expect(ReplicationWorld.failure(failedToo)?.contains("kms:Decrypt") == true)
        // The writer's own PutObject succeeded all the same.
        #expect(failedToo.value.serverSideEncryption == "aws:kms")
    }

    @Test("replication-failure-codes.md: the reasons S3 gives")
    func failureReasons() throws {
        let untrusted = try ReplicationWorld(
            trust:
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        )
        try untrusted.configure([untrusted.rule()])
        #expect(ReplicationWorld.failure(try untrusted.put()) == "AssumeRoleNotPermitted")

        let unversioned = try ReplicationWorld(destinationVersioned: false)
        try unversioned.configure([unversioned.rule()])
        #expect(ReplicationWorld.failure(try unversioned.put()) == "DstBucketUnversioned")

        let missing = try ReplicationWorld(rolePolicy: ReplicationWorld.rolePolicy(destination: "no-such-bucket"))
        try missing.configure([missing.rule(destination: "no-such-bucket")])
        #expect(ReplicationWorld.failure(try missing.put()) == "DstBucketNotFound")

        // The replica key must be in the destination's Region.
        let wrongRegion = try ReplicationWorld()
        try wrongRegion.configure([wrongRegion.rule(replicaKey: wrongRegion.sourceKey)])
        #expect(ReplicationWorld.failure(try wrongRegion.put()) == "DstKmsKeyNotFound")

        let disabled = try ReplicationWorld()
        _ = try disabled.world.kms.disableKey(.init(disabled.owner, region: "us-west-2"), keyId: disabled.replicaKey)
        try disabled.configure([disabled.rule()])
        #expect(ReplicationWorld.failure(try disabled.put()) == "DstKmsKeyInvalidState")

        let noRead = try ReplicationWorld(
            rolePolicy:
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ReplicateObject","kms:*"],"Resource":"*"}]}"#
        )
        try noRead.configure([noRead.rule()])
        #expect(ReplicationWorld.failure(try noRead.put()) == "SrcGetObjectNotPermitted")
    }

    @Test(
        "replication-walkthrough-4.md: a multi-Region key's replica in the destination Region can encrypt replicas; S3 treats it as a key of that Region"
    )
    func multiRegionKeysAsReplicaKeys() throws {
        let env = try ReplicationWorld()
        let kms = env.world.kms
        let primary = try kms.createKey(.init(env.owner, region: "us-east-1"), multiRegion: true).value
        let replicaOfKey = try kms.replicateKey(
            .init(env.owner, region: "us-east-1"), keyId: primary.arn, replicaRegion: "us-west-2"
        ).value
        try env.configure([env.rule(replicaKey: primary.arn)])
        #expect(ReplicationWorld.failure(try env.put("Tax/a.csv")) == "DstKmsKeyNotFound")
        try env.configure([env.rule(replicaKey: replicaOfKey.arn)])
        let put = try env.put("Tax/b.csv")
        #expect(put.value.replicationStatus == "COMPLETED")
        #expect(try env.replica("Tax/b.csv").value.kmsKeyArn == replicaOfKey.arn)
    }

    @Test("replication-config-for-kms-objects.md: across accounts the destination's bucket policy must admit the role")
    func crossAccountReplication() throws {
        let env = try ReplicationWorld()
        let partnerWest = S3.Origin(env.partnerRoot, region: "us-west-2")
        _ = try env.world.s3.createBucket(partnerWest, bucket: "partner-archive")
        _ = try env.world.s3.putBucketVersioning(partnerWest, bucket: "partner-archive", enabled: true)
        let partnerKey = try env.world.kms.createKey(
            .init(env.partnerRoot, region: "us-west-2"),
            policy: #"""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:*","Resource":"*"},
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Replication"},"Action":"kms:Encrypt","Resource":"*"}]}
                """#
        ).value.arn
        try env.world.setPrincipal(
            ReplicationWorld.role,
            identityPolicies: [policy(ReplicationWorld.rolePolicy(destination: "partner-archive"))])
        try env.configure([env.rule(replicaKey: partnerKey, destination: "partner-archive", account: "444455556666")])
        #expect(ReplicationWorld.failure(try env.put("Tax/1.csv")) == "DstPutObjectNotPermitted")
        _ = try env.world.s3.putBucketPolicy(
            partnerWest, bucket: "partner-archive",
            policy:
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Replication"},"Action":["s3:ReplicateObject","s3:ReplicateDelete"],"Resource":"arn:aws:s3:::partner-archive/*"}]}"#
        )
        let put = try env.put("Tax/2.csv")
        #expect(put.value.replicationStatus == "COMPLETED")
        let replica = try env.replica("Tax/2.csv", bucket: "partner-archive", as: env.partnerRoot)
        #expect(replica.value.owner == "444455556666")
        #expect(replica.value.kmsKeyArn == partnerKey)
    }

    @Test(
        "replication-what-is-isnot-replicated.md: replicas are not replicated again, so A → B → A stops after one hop")
    func replicationChainsEndAfterOneHop() throws {
        let env = try ReplicationWorld(
            rolePolicy:
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","kms:*"],"Resource":"*"}]}"#)
        try env.configure([env.rule(kms: nil)])
        // The destination replicates back to the source.
        _ = try env.world.s3.putBucketReplication(
            env.west, bucket: ReplicationWorld.destination,
            ReplicationConfiguration(
                role: ReplicationWorld.role,
                rules: [
                    ReplicationRule(
                        id: "back", priority: 1, filter: ReplicationFilter(),
                        destination: ReplicationDestination(bucket: "arn:aws:s3:::src-reports"),
                        deleteMarkerReplication: false)
                ]))
        let put = try env.put("Tax/loop.csv", encryption: EncryptionRequest(serverSideEncryption: "AES256"))
        #expect(put.value.replicationStatus == "COMPLETED")
        #expect(try env.replica("Tax/loop.csv").value.replicationStatus == "REPLICA")
        let versions = put.events.filter { if case .replication = $0 { return true } else { return false } }
        #expect(versions.count == 1)
        // The source keeps only its own object, not a replica of its replica.
        #expect(
            try env.world.s3.headObject(env.east, bucket: ReplicationWorld.source, key: "Tax/loop.csv").value
                .replicationStatus == "COMPLETED")
    }

    @Test("replication-add-config.md: what PutBucketReplication checks")
    func putBucketReplicationChecks() throws {
        let env = try ReplicationWorld()
        let s3 = env.world.s3
        #expect(
            serviceError { _ = try s3.getBucketReplication(env.east, bucket: ReplicationWorld.source) }?.code
                == "ReplicationConfigurationNotFoundError")
        var noReplicaKey = env.rule()
        noReplicaKey.destination.replicaKmsKeyID = nil
        #expect(serviceError { try env.configure([noReplicaKey]) }?.code == "InvalidRequest")
        var noMarkerStatus = env.rule()
        noMarkerStatus.deleteMarkerReplication = nil
        #expect(
            serviceError { try env.configure([noMarkerStatus]) }?.message.contains("DeleteMarkerReplication") == true)
        var sameBucket = env.rule()
        sameBucket.destination.bucket = "arn:aws:s3:::src-reports"
        #expect(serviceError { try env.configure([sameBucket]) }?.code == "InvalidRequest")
        // The source bucket must keep versions.
        _ = try s3.createBucket(env.east, bucket: "unversioned-src")
        #expect(
            serviceError {
                _ = try s3.putBucketReplication(
                    env.east, bucket: "unversioned-src",
                    ReplicationConfiguration(role: ReplicationWorld.role, rules: [env.rule()]))
            }?.code == "InvalidRequest")
        // Passing the role needs iam:PassRole.
        let admin = try Caller("arn:aws:iam::111122223333:role/BucketAdmin")
        try env.world.setPrincipal(
            "arn:aws:iam::111122223333:role/BucketAdmin",
            identityPolicies: [
                policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
            ])
        #expect(
            serviceError {
                _ = try s3.putBucketReplication(
                    .init(admin, region: "us-east-1"), bucket: ReplicationWorld.source,
                    ReplicationConfiguration(role: ReplicationWorld.role, rules: [env.rule()]))
            }?.code == "AccessDenied")
        try env.configure([env.rule()])
        #expect(try s3.getBucketReplication(env.east, bucket: ReplicationWorld.source).value.rules.count == 1)
        _ = try s3.deleteBucketReplication(env.east, bucket: ReplicationWorld.source)
        #expect(try env.put().value.replicationStatus == nil)
    }

    @Test("replication-status.md: objects outside the rule's prefix get no status")
    func prefixFilters() throws {
        let env = try ReplicationWorld()
        try env.configure([env.rule(prefix: "Tax/")])
        #expect(try env.put("Other/x.csv").value.replicationStatus == nil)
        #expect(try env.put("Tax/x.csv").value.replicationStatus == "COMPLETED")
    }

    @Test("ServerSideEncryptionCustomerKeys.md: SSE-C objects replicate without their key, and read with it")
    func sseCObjectsReplicate() throws {
        let env = try ReplicationWorld()
        try env.configure([env.rule(kms: nil)])
        let key = CustomerKey(key: Array(repeating: 9, count: 32))
        let put = try env.put("Tax/c.bin", encryption: EncryptionRequest(customerKey: key))
        #expect(put.value.replicationStatus == "COMPLETED")
        let got = try env.world.s3.getObject(
            env.west, bucket: ReplicationWorld.destination, key: "Tax/c.bin", customerKey: key)
        #expect(got.value.body == Array("a,b".utf8))
    }

    @Test(
        "replication-config-for-kms-objects.md: a plaintext object takes the destination's default SSE-KMS, with kms:GenerateDataKey"
    )
    func plaintextObjectsTakeTheDestinationDefault() throws {
        let env = try ReplicationWorld()
        env.world.setEncryptNewObjectsByDefault(false)
        _ = try env.world.s3.deleteBucketEncryption(env.east, bucket: ReplicationWorld.source)
        _ = try env.world.s3.putBucketEncryption(
            env.west, bucket: ReplicationWorld.destination,
            BucketEncryption(algorithm: "aws:kms", kmsKeyId: env.replicaKey))
        try env.configure([env.rule(kms: nil)])
        let put = try env.put("Tax/plain.csv")
        #expect(put.value.serverSideEncryption == nil)
        #expect(put.value.replicationStatus == "COMPLETED")
        let replica = try env.replica("Tax/plain.csv")
        #expect(replica.value.serverSideEncryption == "aws:kms")
        #expect(replica.value.kmsKeyArn == env.replicaKey)
    }
}
