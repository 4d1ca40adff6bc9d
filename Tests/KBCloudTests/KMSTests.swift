import Foundation
import KBCloud
import KBCrypto
import KBDiagnostics
import KBJSON
import KBPolicy
import Testing

func policy(_ json: String) -> PolicyDocument {
    let source = SourceText(path: "test.json", text: json)
    return PolicyParser.parse(JSONParser.parse(json).value!, locate: SourceLocator(source)).document
}

/// Owner account A with a key administrator, partner account B with a writer role.
struct KMSWorld {
    static let a = "111122223333"
    static let b = "444455556666"
    let world = World(seed: "kms-tests")
    let root = try! Caller("arn:aws:iam::111122223333:root")
    let admin = try! Caller("arn:aws:iam::111122223333:role/KeyAdmin")
    let app = try! Caller("arn:aws:sts::111122223333:assumed-role/App/s1")
    let partner = try! Caller("arn:aws:sts::444455556666:assumed-role/ReportWriter/s1")

    init() {
        try! world.setPrincipal(
            "arn:aws:iam::111122223333:role/KeyAdmin",
            identityPolicies: [
                policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}"#)
            ])
        try! world.setPrincipal(
            "arn:aws:iam::111122223333:role/App",
            identityPolicies: [
                policy(
                    #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt","kms:GenerateDataKey","kms:ReEncrypt*"],"Resource":"*"}]}"#
                )
            ])
        try! world.setPrincipal(
            "arn:aws:iam::444455556666:role/ReportWriter",
            identityPolicies: [
                policy(
                    #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt","kms:Encrypt","kms:DescribeKey","kms:ScheduleKeyDeletion"],"Resource":"*"}]}"#
                )
            ])
    }

    func origin(_ caller: Caller, _ region: String = "us-east-1") -> KMS.Origin { .init(caller, region: region) }

    func createKey(policy text: String? = nil, multiRegion: Bool = false) throws -> KeyMetadata {
        try world.kms.createKey(origin(admin), policy: text, multiRegion: multiRegion).value
    }

    static let partnerKeyPolicy = #"""
        {"Version":"2012-10-17","Statement":[
          {"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
          {"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ReportWriter"},
           "Action":["kms:Encrypt","kms:Decrypt","kms:DescribeKey","kms:ScheduleKeyDeletion"],"Resource":"*"}]}
        """#
}

func code(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as ServiceError {
        return error.code
    } catch {
        return "\(error)"
    }
}

@Suite struct KMSTests {
    @Test func encryptsAndDecryptsWithIAMUnderTheDefaultKeyPolicy() throws {
        let env = KMSWorld()
        let key = try env.createKey()
        #expect(key.keyManager == "CUSTOMER")
        let sealed = try env.world.kms.encrypt(
            env.origin(env.app), keyId: key.keyId, plaintext: Array("secret".utf8), context: ["purpose": "test"])
        let opened = try env.world.kms.decrypt(
            env.origin(env.app), ciphertextBlob: sealed.value.ciphertextBlob, context: ["purpose": "test"])
        #expect(String(decoding: opened.value.plaintext, as: UTF8.self) == "secret")
        #expect(opened.value.keyId == key.arn)
        // §3.6: the context must be exactly the same.
        #expect(
            code {
                _ = try env.world.kms.decrypt(
                    env.origin(env.app), ciphertextBlob: sealed.value.ciphertextBlob, context: ["purpose": "Test"])
            } == "InvalidCiphertextException")
    }

    @Test func aTamperedBlobIsInvalidCiphertext() throws {
        let env = KMSWorld()
        let key = try env.createKey()
        var blob = try env.world.kms.encrypt(env.origin(env.app), keyId: key.keyId, plaintext: [1, 2, 3]).value
            .ciphertextBlob
        blob[blob.count - 3] ^= 0xFF
        #expect(
            code { _ = try env.world.kms.decrypt(env.origin(env.app), ciphertextBlob: blob) }
                == "InvalidCiphertextException")
        #expect(
            code { _ = try env.world.kms.decrypt(env.origin(env.app), ciphertextBlob: [0, 1, 2]) }
                == "InvalidCiphertextException")
    }

    @Test func namingAnotherKeyIsIncorrectKey() throws {
        let env = KMSWorld()
        let first = try env.createKey()
        let second = try env.createKey()
        let blob = try env.world.kms.encrypt(env.origin(env.app), keyId: first.keyId, plaintext: [1]).value
            .ciphertextBlob
        #expect(
            code { _ = try env.world.kms.decrypt(env.origin(env.app), ciphertextBlob: blob, keyId: second.keyId) }
                == "IncorrectKeyException")
    }

    @Test("§3.1 the key policy decides") func theKeyPolicyDecides() throws {
        // §3.1: without the root statement, IAM policies in the account grant nothing.
        let env = KMSWorld()
        let key = try env.world.kms.createKey(
            env.origin(env.admin),
            policy:
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/KeyAdmin"},"Action":"kms:*","Resource":"*"}]}"#
        ).value
        #expect(
            code { _ = try env.world.kms.encrypt(env.origin(env.app), keyId: key.keyId, plaintext: [1]) }
                == "AccessDeniedException")
    }

    @Test("§3.3 the lockout safety check refuses a policy the caller could not change")
    func theLockoutSafetyCheckRefusesAPolicyTheCallerCouldNotChange() throws {
        // §3.3
        let env = KMSWorld()
        let lockout =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/App"},"Action":"kms:Decrypt","Resource":"*"}]}"#
        #expect(
            code { _ = try env.world.kms.createKey(env.origin(env.admin), policy: lockout) }
                == "MalformedPolicyDocumentException")
        let bypassed = try env.world.kms.createKey(
            env.origin(env.admin), policy: lockout, bypassPolicyLockoutSafetyCheck: true)
        #expect(
            code {
                _ = try env.world.kms.putKeyPolicy(
                    env.origin(env.admin), keyId: bypassed.value.keyId, policy: KMSWorld.partnerKeyPolicy)
            } == "AccessDeniedException")
    }

    @Test("§3.1, §3.2 cross-account use needs the key policy and an IAM policy")
    func crossAccountUseNeedsTheKeyPolicyAndAnIAMPolicy() throws {
        // §3.1, §3.2
        let env = KMSWorld()
        let key = try env.createKey(policy: KMSWorld.partnerKeyPolicy)
        let sealed = try env.world.kms.encrypt(env.origin(env.partner), keyId: key.arn, plaintext: Array("report".utf8))
        #expect(
            sealed.events.contains {
                if case .authorization(_, "kms:Encrypt", _, let e) = $0 {
                    return e.decision == .allowed
                } else {
                    return false
                }
            })
        // A bare key id resolves in the caller's own account: not found there.
        #expect(
            code { _ = try env.world.kms.encrypt(env.origin(env.partner), keyId: key.keyId, plaintext: [1]) }
                == "NotFoundException")
        // Administrative operations never work across accounts, even when granted.
        #expect(
            code { _ = try env.world.kms.scheduleKeyDeletion(env.origin(env.partner), keyId: key.arn) }
                == "AccessDeniedException")
        // Without the partner's IAM policy, the key policy alone is not enough.
        try env.world.setPrincipal("arn:aws:iam::444455556666:role/ReportWriter", identityPolicies: [])
        #expect(
            code { _ = try env.world.kms.decrypt(env.origin(env.partner), ciphertextBlob: sealed.value.ciphertextBlob) }
                == "AccessDeniedException")
    }

    @Test("§3.7 key states give AWS errors") func keyStatesGiveAWSErrors() throws {
        // §3.7
        let env = KMSWorld()
        let key = try env.createKey()
        let kms = env.world.kms
        _ = try kms.disableKey(env.origin(env.admin), keyId: key.keyId)
        #expect(
            code { _ = try kms.encrypt(env.origin(env.app), keyId: key.keyId, plaintext: [1]) } == "DisabledException")
        _ = try kms.enableKey(env.origin(env.admin), keyId: key.keyId)
        #expect(
            code { _ = try kms.scheduleKeyDeletion(env.origin(env.admin), keyId: key.keyId, pendingWindowInDays: 6) }
                == "ValidationException")
        let until = try kms.scheduleKeyDeletion(env.origin(env.admin), keyId: key.keyId, pendingWindowInDays: 7).value
        #expect(until == env.world.now + 7 * 86_400)
        #expect(
            code { _ = try kms.encrypt(env.origin(env.app), keyId: key.keyId, plaintext: [1]) }
                == "KMSInvalidStateException")
        #expect(code { _ = try kms.enableKey(env.origin(env.admin), keyId: key.keyId) } == "KMSInvalidStateException")
        _ = try kms.cancelKeyDeletion(env.origin(env.admin), keyId: key.keyId)
        #expect(try kms.describeKey(env.origin(env.admin), keyId: key.keyId).value.keyState == .disabled)
        #expect(
            code { _ = try kms.cancelKeyDeletion(env.origin(env.admin), keyId: key.keyId) }
                == "KMSInvalidStateException")
        _ = try kms.scheduleKeyDeletion(env.origin(env.admin), keyId: key.keyId, pendingWindowInDays: 7)
        env.world.advance(by: 8 * 86_400)
        #expect(code { _ = try kms.describeKey(env.origin(env.admin), keyId: key.keyId) } == "NotFoundException")
    }

    @Test("§3.8 rotation keeps old ciphertexts readable") func rotationKeepsOldCiphertextsReadable() throws {
        // §3.8
        let env = KMSWorld()
        let key = try env.createKey()
        let kms = env.world.kms
        let before = try kms.encrypt(env.origin(env.app), keyId: key.keyId, plaintext: Array("v1".utf8)).value
            .ciphertextBlob
        _ = try kms.rotateKeyOnDemand(env.origin(env.admin), keyId: key.keyId)
        _ = try kms.enableKeyRotation(env.origin(env.admin), keyId: key.keyId, rotationPeriodInDays: 90)
        env.world.advance(by: 91 * 86_400)
        let status = try kms.getKeyRotationStatus(env.origin(env.admin), keyId: key.keyId).value
        #expect(status.enabled)
        #expect(status.materialVersions == 3)
        let after = try kms.encrypt(env.origin(env.app), keyId: key.keyId, plaintext: Array("v3".utf8))
        #expect(after.events.contains { if case .keyUsed(_, 3, _) = $0 { return true } else { return false } })
        let old = try kms.decrypt(env.origin(env.app), ciphertextBlob: before)
        #expect(String(decoding: old.value.plaintext, as: UTF8.self) == "v1")
        #expect(old.events.contains { if case .keyUsed(_, 1, _) = $0 { return true } else { return false } })
        #expect(try kms.describeKey(env.origin(env.admin), keyId: key.keyId).value.arn == key.arn)
    }

    @Test("§3.5 aliases resolve in the caller's account") func aliasesResolveInTheCallersAccount() throws {
        // §3.5
        let env = KMSWorld()
        let key = try env.createKey(policy: KMSWorld.partnerKeyPolicy)
        let kms = env.world.kms
        _ = try kms.createAlias(env.origin(env.admin), aliasName: "alias/reports", targetKeyId: key.keyId)
        #expect(
            code { _ = try kms.createAlias(env.origin(env.admin), aliasName: "alias/reports", targetKeyId: key.keyId) }
                == "AlreadyExistsException")
        #expect(
            code { _ = try kms.createAlias(env.origin(env.admin), aliasName: "alias/aws/s3", targetKeyId: key.keyId) }
                == "NotAuthorizedException")
        #expect(try kms.encrypt(env.origin(env.app), keyId: "alias/reports", plaintext: [1]).value.keyId == key.arn)
        #expect(
            code { _ = try kms.encrypt(env.origin(env.partner), keyId: "alias/reports", plaintext: [1]) }
                == "NotFoundException")
        let aliasARN = "arn:aws:kms:us-east-1:111122223333:alias/reports"
        #expect(try kms.encrypt(env.origin(env.partner), keyId: aliasARN, plaintext: [1]).value.keyId == key.arn)
        let other = try env.createKey()
        _ = try kms.updateAlias(env.origin(env.admin), aliasName: "alias/reports", targetKeyId: other.keyId)
        #expect(try kms.listAliases(env.origin(env.admin)).value.map(\.targetKeyId) == [other.keyId])
        _ = try kms.deleteAlias(env.origin(env.admin), aliasName: "alias/reports")
        #expect(try kms.listAliases(env.origin(env.admin)).value.isEmpty)
    }

    @Test("§3.9 a multi-Region replica decrypts its primary's ciphertext")
    func aMultiRegionReplicaDecryptsItsPrimarysCiphertext() throws {
        // §3.9
        let env = KMSWorld()
        let primary = try env.createKey(multiRegion: true)
        #expect(primary.keyId.hasPrefix("mrk-"))
        let kms = env.world.kms
        let replica = try kms.replicateKey(env.origin(env.admin), keyId: primary.keyId, replicaRegion: "eu-west-1")
            .value
        #expect(replica.keyId == primary.keyId)
        #expect(replica.multiRegionKeyType == "REPLICA")
        let blob = try kms.encrypt(env.origin(env.app), keyId: primary.keyId, plaintext: Array("mrk".utf8)).value
            .ciphertextBlob
        let opened = try kms.decrypt(env.origin(env.app, "eu-west-1"), ciphertextBlob: blob)
        #expect(String(decoding: opened.value.plaintext, as: UTF8.self) == "mrk")
        #expect(opened.value.keyId == replica.arn)
        let single = try env.createKey()
        #expect(
            code { _ = try kms.replicateKey(env.origin(env.admin), keyId: single.keyId, replicaRegion: "eu-west-1") }
                == "UnsupportedOperationException")
    }

    @Test("§3.6 data keys validate their size") func dataKeysValidateTheirSize() throws {
        // §3.6
        let env = KMSWorld()
        let key = try env.createKey()
        let kms = env.world.kms
        let dataKey = try kms.generateDataKey(env.origin(env.app), keyId: key.keyId, keySpec: "AES_256").value
        #expect(dataKey.plaintext?.count == 32)
        let reopened = try kms.decrypt(env.origin(env.app), ciphertextBlob: dataKey.ciphertextBlob).value
        #expect(reopened.plaintext == dataKey.plaintext)
        #expect(code { _ = try kms.generateDataKey(env.origin(env.app), keyId: key.keyId) } == "ValidationException")
        #expect(
            code {
                _ = try kms.generateDataKey(
                    env.origin(env.app), keyId: key.keyId, keySpec: "AES_256", numberOfBytes: 32)
            } == "ValidationException")
        #expect(
            code { _ = try kms.generateDataKey(env.origin(env.app), keyId: key.keyId, numberOfBytes: 1025) }
                == "ValidationException")
        #expect(
            code {
                _ = try kms.encrypt(env.origin(env.app), keyId: key.keyId, plaintext: Array(repeating: 0, count: 4097))
            } == "ValidationException")
        #expect(
            code { _ = try kms.encrypt(env.origin(env.app), keyId: key.keyId, plaintext: []) } == "ValidationException")
    }

    @Test func reEncryptNeedsFromAndTo() throws {
        let env = KMSWorld()
        let first = try env.createKey()
        let second = try env.createKey()
        let kms = env.world.kms
        let blob = try kms.encrypt(env.origin(env.app), keyId: first.keyId, plaintext: Array("move".utf8)).value
            .ciphertextBlob
        let moved = try kms.reEncrypt(env.origin(env.app), ciphertextBlob: blob, destinationKeyId: second.keyId)
        #expect(moved.value.keyId == second.arn)
        #expect(
            String(
                decoding: try kms.decrypt(env.origin(env.app), ciphertextBlob: moved.value.ciphertextBlob).value
                    .plaintext, as: UTF8.self) == "move")
    }

    @Test func theSameSeedGivesTheSameKeysAndBlobs() throws {
        func run() throws -> (String, [UInt8]) {
            let env = KMSWorld()
            let key = try env.createKey()
            return (
                key.keyId,
                try env.world.kms.encrypt(env.origin(env.app), keyId: key.keyId, plaintext: [7]).value.ciphertextBlob
            )
        }
        let (id1, blob1) = try run()
        let (id2, blob2) = try run()
        #expect(id1 == id2)
        #expect(blob1 == blob2)
    }
}
