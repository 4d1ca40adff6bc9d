import Foundation
import KBCloud
import KBCrypto
import KBPolicy
import Testing

/// Rotation, imported key material and AWS managed keys (kms/rotate-keys.md,
/// rotating-keys-on-demand.html, kms/importing-keys.md, kms/key-state.md).
@Suite struct KMSKeyLifecycleTests {
    static let day: TimeInterval = 86_400

    @Test("rotating-keys-on-demand.html: on demand up to 25 times, without moving the automatic schedule")
    func onDemandRotation() throws {
        let env = KMSWorld()
        let key = try env.createKey()
        let kms = env.world.kms
        let admin = env.origin(env.admin)
        _ = try kms.enableKeyRotation(admin, keyId: key.keyId, rotationPeriodInDays: 730)
        let scheduled = try kms.getKeyRotationStatus(admin, keyId: key.keyId).value.nextRotationDate
        for _ in 0..<KMS.maxOnDemandRotations { _ = try kms.rotateKeyOnDemand(admin, keyId: key.keyId) }
        #expect(code { _ = try kms.rotateKeyOnDemand(admin, keyId: key.keyId) } == "LimitExceededException")
        let status = try kms.getKeyRotationStatus(admin, keyId: key.keyId).value
        #expect(status.nextRotationDate == scheduled)
        #expect(status.materialVersions == 26)
        let rotations = try kms.listKeyRotations(admin, keyId: key.keyId).value
        #expect(rotations.count == 25)
        #expect(rotations.allSatisfy { $0.rotationType == "ON_DEMAND" })
    }

    @Test("rotate-keys.md: automatic rotation is listed; disabling it leaves on-demand rotation")
    func automaticRotationAndDisabling() throws {
        let env = KMSWorld()
        let key = try env.createKey()
        let kms = env.world.kms
        let admin = env.origin(env.admin)
        _ = try kms.enableKeyRotation(admin, keyId: key.keyId, rotationPeriodInDays: 90)
        env.world.advance(by: 91 * Self.day)
        let listed = try kms.listKeyRotations(admin, keyId: key.keyId).value
        #expect(listed.map(\.rotationType) == ["AUTOMATIC"])
        #expect(listed.first?.rotationDate == key.creationDate + 90 * Self.day)
        _ = try kms.disableKeyRotation(admin, keyId: key.keyId)
        #expect(try kms.getKeyRotationStatus(admin, keyId: key.keyId).value.enabled == false)
        env.world.advance(by: 200 * Self.day)
        #expect(try kms.getKeyRotationStatus(admin, keyId: key.keyId).value.materialVersions == 2)
        _ = try kms.rotateKeyOnDemand(admin, keyId: key.keyId)
        #expect(try kms.getKeyRotationStatus(admin, keyId: key.keyId).value.materialVersions == 3)
    }

    @Test("rotate-keys.md: a multi-Region replica shares its primary's rotation")
    func replicasShareRotation() throws {
        let env = KMSWorld()
        let kms = env.world.kms
        let primary = try env.createKey(multiRegion: true)
        let replica = try kms.replicateKey(env.origin(env.admin), keyId: primary.arn, replicaRegion: "eu-west-1").value
        let there = env.origin(env.admin, "eu-west-1")
        #expect(code { _ = try kms.enableKeyRotation(there, keyId: replica.arn) } == "UnsupportedOperationException")
        _ = try kms.enableKeyRotation(env.origin(env.admin), keyId: primary.arn, rotationPeriodInDays: 180)
        let status = try kms.getKeyRotationStatus(there, keyId: replica.arn).value
        #expect(status.enabled)
        #expect(status.rotationPeriodInDays == 180)
        env.world.advance(by: 181 * Self.day)
        #expect(try kms.getKeyRotationStatus(there, keyId: replica.arn).value.materialVersions == 2)
    }

    @Test("rotate-keys.md: AWS managed keys rotate every year, and nobody can change that")
    func awsManagedKeysRotateYearly() throws {
        let env = try CrossAccountWorld()
        _ = try env.world.s3.putObject(
            env.ownerS3, bucket: CrossAccountWorld.bucket, key: "managed.txt", body: [1],
            encryption: EncryptionRequest(serverSideEncryption: "aws:kms"))
        let kms = env.world.kms
        let root = KMS.Origin(env.owner, region: "us-east-1")
        let status = try kms.getKeyRotationStatus(root, keyId: "alias/aws/s3").value
        #expect(status.enabled)
        #expect(status.rotationPeriodInDays == 365)
        // Its key policy lets the account read it, not manage it.
        #expect(code { _ = try kms.disableKeyRotation(root, keyId: "alias/aws/s3") } == "AccessDeniedException")
        #expect(
            code { _ = try kms.putKeyPolicy(root, keyId: "alias/aws/s3", policy: KMSWorld.partnerKeyPolicy) }
                == "AccessDeniedException")
        env.world.advance(by: 366 * Self.day)
        #expect(try kms.getKeyRotationStatus(root, keyId: "alias/aws/s3").value.materialVersions == 2)
        // Old objects still decrypt with the version that encrypted them.
        #expect(
            try env.world.s3.getObject(env.ownerS3, bucket: CrossAccountWorld.bucket, key: "managed.txt").value.body
                == [1])
    }

    @Test("key-state.md: a key for imported material is PendingImport until it has material, and again after")
    func importedKeyMaterial() throws {
        let env = KMSWorld()
        let kms = env.world.kms
        let admin = env.origin(env.admin)
        let key = try kms.createKey(admin, keyMaterialOrigin: "EXTERNAL").value
        #expect(key.keyStateName == "PendingImport")
        #expect(key.origin == "EXTERNAL")
        let sealAttempt = try #require(
            serviceError { _ = try kms.encrypt(admin, keyId: key.keyId, plaintext: [1]) })
        #expect(sealAttempt.code == "KMSInvalidStateException")
        #expect(sealAttempt.message.hasSuffix("is pending import."))
        #expect(code { _ = try kms.enableKey(admin, keyId: key.keyId) } == "KMSInvalidStateException")
        #expect(code { _ = try kms.enableKeyRotation(admin, keyId: key.keyId) } == "UnsupportedOperationException")
        let material = Array(repeating: UInt8(5), count: 32)
        _ = try kms.importKeyMaterial(admin, keyId: key.keyId, keyMaterial: material)
        #expect(try kms.describeKey(admin, keyId: key.keyId).value.keyStateName == "Enabled")
        let sealed = try kms.encrypt(admin, keyId: key.keyId, plaintext: [9]).value.ciphertextBlob
        _ = try kms.deleteImportedKeyMaterial(admin, keyId: key.keyId)
        #expect(code { _ = try kms.decrypt(admin, ciphertextBlob: sealed) } == "KMSInvalidStateException")
        // Only the same material restores it, and then old ciphertexts decrypt again.
        #expect(
            code {
                _ = try kms.importKeyMaterial(admin, keyId: key.keyId, keyMaterial: Array(repeating: 6, count: 32))
            } == "IncorrectKeyMaterialException")
        _ = try kms.importKeyMaterial(admin, keyId: key.keyId, keyMaterial: material, validTo: env.world.now + Self.day)
        #expect(try kms.decrypt(admin, ciphertextBlob: sealed).value.plaintext == [9])
        #expect(try kms.describeKey(admin, keyId: key.keyId).value.expirationModel == "KEY_MATERIAL_EXPIRES")
        // Expired material is deleted.
        env.world.advance(by: Self.day)
        #expect(try kms.describeKey(admin, keyId: key.keyId).value.keyStateName == "PendingImport")
        #expect(
            code { _ = try kms.importKeyMaterial(admin, keyId: try env.createKey().keyId, keyMaterial: material) }
                == "UnsupportedOperationException")
    }

    @Test("key-state.md: S3 cannot use a key that is pending import")
    func s3AndAKeyPendingImport() throws {
        let env = try CrossAccountWorld()
        let external = try env.world.kms.createKey(.init(env.owner, region: "us-east-1"), keyMaterialOrigin: "EXTERNAL")
            .value
        let error = try #require(
            serviceError {
                _ = try env.world.s3.putObject(
                    env.ownerS3, bucket: CrossAccountWorld.bucket, key: "x", body: [1],
                    encryption: EncryptionRequest(serverSideEncryption: "aws:kms", kmsKeyId: external.arn))
            })
        #expect(error.code == "KMS.KMSInvalidStateException")
    }
}
