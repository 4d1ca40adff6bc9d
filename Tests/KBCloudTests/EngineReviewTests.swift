import Foundation
import KBCloud
import KBCrypto
import KBPolicy
import Testing

/// Regression tests for behaviour a review found wrong; each names its semantics point.
@Suite struct EngineReviewTests {
    @Test("§3.9 a replica takes new key material from its primary's rotation")
    func replicasFollowTheirPrimarysRotation() throws {
        let env = KMSWorld()
        let kms = env.world.kms
        let primary = try env.createKey(multiRegion: true)
        _ = try kms.replicateKey(env.origin(env.admin), keyId: primary.keyId, replicaRegion: "eu-west-1")
        #expect(
            code { _ = try kms.enableKeyRotation(env.origin(env.admin, "eu-west-1"), keyId: primary.keyId) }
                == "UnsupportedOperationException")
        _ = try kms.enableKeyRotation(env.origin(env.admin), keyId: primary.keyId, rotationPeriodInDays: 90)
        env.world.advance(by: 91 * 86_400)
        let blob = try kms.encrypt(env.origin(env.app), keyId: primary.keyId, plaintext: Array("v2".utf8)).value
            .ciphertextBlob
        let opened = try kms.decrypt(env.origin(env.app, "eu-west-1"), ciphertextBlob: blob)
        #expect(String(decoding: opened.value.plaintext, as: UTF8.self) == "v2")
    }

    @Test("§3.5 KMS is regional: another Region's endpoint cannot use a key")
    func keysAreRegional() throws {
        let env = KMSWorld()
        let kms = env.world.kms
        let key = try env.createKey()
        #expect(
            code { _ = try kms.encrypt(env.origin(env.app, "eu-west-1"), keyId: key.arn, plaintext: [1]) }
                == "NotFoundException")
        let blob = try kms.encrypt(env.origin(env.app), keyId: key.keyId, plaintext: [1]).value.ciphertextBlob
        #expect(
            code { _ = try kms.decrypt(env.origin(env.app, "eu-west-1"), ciphertextBlob: blob) }
                == "InvalidCiphertextException")
        let mrk = try env.createKey(multiRegion: true)
        let mrkBlob = try kms.encrypt(env.origin(env.app), keyId: mrk.keyId, plaintext: [1]).value.ciphertextBlob
        #expect(
            code { _ = try kms.decrypt(env.origin(env.app, "ap-south-1"), ciphertextBlob: mrkBlob) }
                == "InvalidCiphertextException")
        #expect(code { _ = try kms.createKey(env.origin(env.admin, "not a region")) } == "ValidationException")
    }

    @Test("§3.6 every changed byte of a blob is InvalidCiphertextException")
    func tamperingAlwaysGivesInvalidCiphertext() throws {
        let env = KMSWorld()
        let kms = env.world.kms
        let key = try env.createKey()
        let blob = try kms.encrypt(env.origin(env.app), keyId: key.keyId, plaintext: Array("x".utf8)).value
            .ciphertextBlob
        for index in blob.indices {
            var tampered = blob
            tampered[index] ^= 0x01
            #expect(
                code { _ = try kms.decrypt(env.origin(env.app), ciphertextBlob: tampered) }
                    == "InvalidCiphertextException", "byte \(index)")
        }
    }

    @Test("§3.3 kms:BypassPolicyLockoutSafetyCheck is a condition key IAM can deny on")
    func theBypassFlagIsAConditionKey() throws {
        let env = KMSWorld()
        try env.world.setPrincipal(
            "arn:aws:iam::111122223333:role/KeyAdmin",
            identityPolicies: [
                policy(
                    #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"},{"Effect":"Deny","Action":["kms:CreateKey","kms:PutKeyPolicy"],"Resource":"*","Condition":{"Bool":{"kms:BypassPolicyLockoutSafetyCheck":"true"}}}]}"#
                )
            ])
        #expect(
            code {
                _ = try env.world.kms.createKey(
                    env.origin(env.admin), policy: KMSWorld.partnerKeyPolicy, bypassPolicyLockoutSafetyCheck: true)
            } == "AccessDeniedException")
        _ = try env.world.kms.createKey(env.origin(env.admin), policy: KMSWorld.partnerKeyPolicy)
    }

    @Test("§3.7 replicating or aliasing a key pending deletion is refused; deletion removes aliases")
    func pendingDeletionRulesForReplicasAndAliases() throws {
        let env = KMSWorld()
        let kms = env.world.kms
        let mrk = try env.createKey(multiRegion: true)
        _ = try kms.createAlias(env.origin(env.admin), aliasName: "alias/soon-gone", targetKeyId: mrk.keyId)
        _ = try kms.scheduleKeyDeletion(env.origin(env.admin), keyId: mrk.keyId, pendingWindowInDays: 7)
        #expect(
            code { _ = try kms.replicateKey(env.origin(env.admin), keyId: mrk.keyId, replicaRegion: "eu-west-1") }
                == "KMSInvalidStateException")
        #expect(
            code { _ = try kms.createAlias(env.origin(env.admin), aliasName: "alias/another", targetKeyId: mrk.keyId) }
                == "KMSInvalidStateException")
        #expect(
            code {
                _ = try kms.createAlias(env.origin(env.admin), aliasName: "alias/x", targetKeyId: "alias/soon-gone")
            } == "ValidationException")
        env.world.advance(by: 8 * 86_400)
        #expect(try kms.listAliases(env.origin(env.admin)).value.isEmpty)
    }

    @Test("§3.4 the AWS managed key is created on first use, also when named, and listed by its alias")
    func theAWSManagedKeyByName() throws {
        let env = try CrossAccountWorld()
        let put = try env.world.s3.putObject(
            env.ownerS3, bucket: CrossAccountWorld.bucket, key: "m.csv", body: [1],
            encryption: EncryptionRequest(serverSideEncryption: "aws:kms", kmsKeyId: "alias/aws/s3"))
        #expect(put.value.kmsKeyArn != env.keyARN)
        let aliases = try env.world.kms.listAliases(.init(env.owner, region: "us-east-1")).value
        #expect(aliases.map(\.aliasName).contains("alias/aws/s3"))
    }

    @Test("§4.1 DSSE-KMS is reported as aws:kms:dsse")
    func dsseIsReportedAsWritten() throws {
        let env = try CrossAccountWorld()
        let put = try env.world.s3.putObject(
            env.ownerS3, bucket: CrossAccountWorld.bucket, key: "d.csv", body: [1],
            encryption: EncryptionRequest(serverSideEncryption: "aws:kms:dsse", kmsKeyId: env.keyARN))
        #expect(put.value.serverSideEncryption == "aws:kms:dsse")
    }

    @Test("seeded worlds are reproducible, object nonces and rotations included")
    func seededWorldsAreReproducible() throws {
        func run() throws -> (String, [UInt8]) {
            let env = try CrossAccountWorld()
            _ = try env.world.kms.enableKeyRotation(
                .init(env.owner, region: "us-east-1"), keyId: env.keyARN, rotationPeriodInDays: 90)
            env.world.advance(by: 200 * 86_400)
            let eTag = try env.put().value.eTag
            let blob = try env.world.kms.encrypt(
                .init(env.owner, region: "us-east-1"), keyId: env.keyARN, plaintext: [1]
            ).value.ciphertextBlob
            return (eTag, blob)
        }
        let first = try run()
        let second = try run()
        #expect(first.0 == second.0)
        #expect(first.1 == second.1)
    }

    @Test("time only moves forward, and a huge jump finishes")
    func hugeClockJumpsFinish() throws {
        let env = try CrossAccountWorld()
        _ = try env.world.kms.enableKeyRotation(.init(env.owner, region: "us-east-1"), keyId: env.keyARN)
        let before = env.world.now
        env.world.advance(by: .infinity)
        env.world.advance(by: -5)
        #expect(env.world.now == before)
        env.world.advance(by: 1e15)
        let status = try env.world.kms.getKeyRotationStatus(.init(env.owner, region: "us-east-1"), keyId: env.keyARN)
            .value
        #expect(status.materialVersions <= 1_001)
        #expect(SeededRandom(seed: "s").bytes(-1).isEmpty)
    }

    @Test("S3 answers other Regions, other accounts' policy calls and unlisted misses as AWS does")
    func s3EndpointOwnershipAndMisses() throws {
        let env = try CrossAccountWorld()
        let s3 = env.world.s3
        #expect(
            serviceError {
                _ = try s3.putObject(
                    .init(env.owner, region: "eu-west-1"), bucket: CrossAccountWorld.bucket, key: "k", body: [1])
            }?.code == "PermanentRedirect")
        #expect(
            serviceError { _ = try s3.getBucketPolicy(env.partnerS3, bucket: CrossAccountWorld.bucket) }?.code
                == "MethodNotAllowed")
        // The partner may list the bucket, so a miss is NoSuchKey; without list rights it is AccessDenied.
        #expect(
            serviceError { _ = try s3.getObject(env.partnerS3, bucket: CrossAccountWorld.bucket, key: "missing") }?.code
                == "NoSuchKey")
        let noList = try CrossAccountWorld(
            bucketPolicy:
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ReportWriter"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::example-partner-reports/*"}]}"#
        )
        #expect(
            serviceError {
                _ = try noList.world.s3.getObject(noList.partnerS3, bucket: CrossAccountWorld.bucket, key: "missing")
            }?.code == "AccessDenied")
        #expect(
            serviceError {
                _ = try s3.copyObject(
                    env.ownerS3, sourceBucket: CrossAccountWorld.bucket, sourceKey: "missing",
                    bucket: CrossAccountWorld.bucket, key: "missing")
            }?.code == "NoSuchKey")
    }

    @Test("§4.3 multipart parts are encrypted, have ETags, and completion keeps versions")
    func multipartPartsAndVersions() throws {
        let env = try CrossAccountWorld()
        let s3 = env.world.s3
        _ = try s3.putBucketVersioning(env.ownerS3, bucket: CrossAccountWorld.bucket, enabled: true)
        _ = try env.put("big.csv")
        let id = try s3.createMultipartUpload(env.partnerS3, bucket: CrossAccountWorld.bucket, key: "big.csv").value
            .uploadId
        let eTag = try s3.uploadPart(
            env.partnerS3, bucket: CrossAccountWorld.bucket, key: "big.csv", uploadId: id, partNumber: 1,
            body: Array("part".utf8)
        ).value.eTag!
        #expect(eTag.hasPrefix("\"") && eTag.count == 34)
        let done = try s3.completeMultipartUpload(
            env.partnerS3, bucket: CrossAccountWorld.bucket, key: "big.csv", uploadId: id
        ).value
        #expect(done.versionId != nil)
        #expect(
            String(
                decoding: try s3.getObject(env.partnerS3, bucket: CrossAccountWorld.bucket, key: "big.csv").value.body,
                as: UTF8.self) == "part")
    }

    @Test("CompleteMultipartUpload checks the part list: order, ETags, and the 5 MiB minimum")
    func completeChecksThePartList() throws {
        let env = try CrossAccountWorld()
        let s3 = env.world.s3
        let id = try s3.createMultipartUpload(env.ownerS3, bucket: CrossAccountWorld.bucket, key: "p.bin").value
            .uploadId
        let small = try s3.uploadPart(
            env.ownerS3, bucket: CrossAccountWorld.bucket, key: "p.bin", uploadId: id, partNumber: 1, body: [1, 2]
        ).value.eTag!
        let last = try s3.uploadPart(
            env.ownerS3, bucket: CrossAccountWorld.bucket, key: "p.bin", uploadId: id, partNumber: 2, body: [3]
        ).value.eTag!
        func complete(_ parts: [(Int, String)]) -> String? {
            serviceError {
                _ = try s3.completeMultipartUpload(
                    env.ownerS3, bucket: CrossAccountWorld.bucket, key: "p.bin", uploadId: id, parts: parts)
            }?.code
        }
        #expect(complete([(2, last), (1, small)]) == "InvalidPartOrder")
        #expect(complete([(1, "\"nope\""), (2, last)]) == "InvalidPart")
        #expect(complete([(1, small), (2, last)]) == "EntityTooSmall")
        let single = try s3.completeMultipartUpload(
            env.ownerS3, bucket: CrossAccountWorld.bucket, key: "p.bin", uploadId: id, parts: [(2, last)]
        ).value
        #expect(single.size == 1)
    }

    @Test("§3.9 a multi-Region primary is not deleted while it has replicas")
    func primaryWaitsForItsReplicas() throws {
        let env = KMSWorld()
        let kms = env.world.kms
        let primary = try env.createKey(multiRegion: true)
        _ = try kms.replicateKey(env.origin(env.admin), keyId: primary.keyId, replicaRegion: "eu-west-1")
        _ = try kms.scheduleKeyDeletion(env.origin(env.admin), keyId: primary.keyId, pendingWindowInDays: 7)
        env.world.advance(by: 8 * 86_400)
        let waiting = try kms.describeKey(env.origin(env.admin), keyId: primary.keyId).value
        #expect(waiting.multiRegionKeyType == "PRIMARY")
        #expect(waiting.keyStateName == "PendingReplicaDeletion")
        _ = try kms.scheduleKeyDeletion(
            env.origin(env.admin, "eu-west-1"), keyId: primary.keyId, pendingWindowInDays: 7)
        env.world.advance(by: 8 * 86_400)
        #expect(
            code { _ = try kms.describeKey(env.origin(env.admin, "eu-west-1"), keyId: primary.keyId) }
                == "NotFoundException")
        env.world.advance(by: 1)
        #expect(code { _ = try kms.describeKey(env.origin(env.admin), keyId: primary.keyId) } == "NotFoundException")
    }
}
