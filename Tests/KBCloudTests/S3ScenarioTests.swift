import Foundation
import KBCloud
import KBCrypto
import KBPolicy
import Testing

/// The guide's setup: a bucket in A with default SSE-KMS under a customer managed
/// key, and a role in B allowed by the key policy, the bucket policy and its own
/// identity policy (semantics.md §3–§4).
struct CrossAccountWorld {
    static let bucket = "example-partner-reports"
    let world = World(seed: "s3-scenarios")
    let owner = try! Caller("arn:aws:iam::111122223333:root")
    let partner = try! Caller("arn:aws:sts::444455556666:assumed-role/ReportWriter/s1")
    let keyARN: String

    static let identityPolicy = #"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example-partner-reports"},
          {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::example-partner-reports/*"},
          {"Effect":"Allow","Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*"}]}
        """#
    static let bucketPolicy = #"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ReportWriter"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::example-partner-reports"},
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ReportWriter"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::example-partner-reports/*"}]}
        """#
    static let keyPolicy = #"""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ReportWriter"},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*",
           "Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]}
        """#

    init(
        identity: String = Self.identityPolicy, bucketPolicy: String = Self.bucketPolicy,
        keyPolicy: String = Self.keyPolicy,
        keyRegion: String = "us-east-1", bucketKey: Bool = false
    ) throws {
        try world.setPrincipal("arn:aws:iam::444455556666:role/ReportWriter", identityPolicies: [policy(identity)])
        let kms = world.kms
        keyARN = try kms.createKey(.init(owner, region: keyRegion), policy: keyPolicy).value.arn
        let s3 = world.s3
        let ownerS3 = S3.Origin(owner, region: "us-east-1")
        _ = try s3.createBucket(ownerS3, bucket: Self.bucket)
        _ = try s3.putBucketEncryption(
            ownerS3, bucket: Self.bucket,
            BucketEncryption(algorithm: "aws:kms", kmsKeyId: keyARN, bucketKeyEnabled: bucketKey))
        _ = try s3.putBucketPolicy(ownerS3, bucket: Self.bucket, policy: bucketPolicy)
    }

    var partnerS3: S3.Origin { .init(partner, region: "us-east-1") }
    var ownerS3: S3.Origin { .init(owner, region: "us-east-1") }

    func put(_ key: String = "2026/report.csv", as origin: S3.Origin? = nil) throws -> Traced<ObjectMetadata> {
        try world.s3.putObject(origin ?? partnerS3, bucket: Self.bucket, key: key, body: Array("a,b\n1,2\n".utf8))
    }
}

/// The S3 or KMS authorization that said no, from an error's events.
func deniedLayer(_ error: ServiceError) -> String? {
    for event in error.events.reversed() {
        if case .authorization(let service, let action, _, let evaluation) = event, evaluation.decision != .allowed {
            return
                "\(service) \(action): \(evaluation.trace.first { $0.result == "none" || $0.result == "deny" }?.name ?? "")"
        }
    }
    return nil
}

func serviceError(_ body: () throws -> Void) -> ServiceError? {
    do {
        try body()
        return nil
    } catch let error as ServiceError {
        return error
    } catch {
        return ServiceError("Unexpected", "\(error)")
    }
}

@Suite struct S3ScenarioTests {
    @Test("§3.1, §4.2, §4.3 the cross-account flow works end to end") func theCrossAccountFlowWorksEndToEnd() throws {
        // §3.1, §4.2, §4.3
        let env = try CrossAccountWorld()
        let put = try env.put()
        #expect(put.value.serverSideEncryption == "aws:kms")
        #expect(put.value.kmsKeyArn == env.keyARN)
        #expect(
            put.events.contains {
                if case .serviceCall("s3", "kms", "GenerateDataKey") = $0 { return true } else { return false }
            })
        let get = try env.world.s3.getObject(env.partnerS3, bucket: CrossAccountWorld.bucket, key: "2026/report.csv")
        #expect(String(decoding: get.value.body, as: UTF8.self) == "a,b\n1,2\n")
        let contexts = get.events.compactMap { event -> [String: String]? in
            if case .crypto("decrypt", _, let context) = event { return context } else { return nil }
        }
        #expect(contexts.first?["aws:s3:arn"] == "arn:aws:s3:::example-partner-reports/2026/report.csv")
        #expect(
            try env.world.s3.listObjectsV2(env.partnerS3, bucket: CrossAccountWorld.bucket).value.map(\.key) == [
                "2026/report.csv"
            ])
    }

    @Test("§1.4 a broken identity policy is denied by S3") func aBrokenIdentityPolicyIsDeniedByS3() throws {
        // §1.4: the caller's account must allow too.
        let env = try CrossAccountWorld(
            identity:
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#)
        let error = try #require(serviceError { _ = try env.put() })
        #expect(error.code == "AccessDenied")
        #expect(deniedLayer(error)?.hasPrefix("s3 s3:PutObject") == true)
    }

    @Test func aBrokenBucketPolicyIsDeniedByS3() throws {
        let env = try CrossAccountWorld(
            bucketPolicy:
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ReportWriter"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::example-partner-reports/*"}]}"#
        )
        let error = try #require(serviceError { _ = try env.put() })
        #expect(error.code == "AccessDenied")
        #expect(deniedLayer(error) == "s3 s3:PutObject: resource policy")
    }

    @Test("§4.3 a broken key policy is denied by KMS and surfaces as access denied")
    func aBrokenKeyPolicyIsDeniedByKMSAndSurfacesAsAccessDenied() throws {
        // §4.3: a missing KMS permission surfaces as S3 AccessDenied.
        let env = try CrossAccountWorld(
            keyPolicy:
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#
        )
        let error = try #require(serviceError { _ = try env.put() })
        #expect(error.code == "AccessDenied")
        #expect(deniedLayer(error) == "kms kms:GenerateDataKey: key policy")
    }

    @Test("§3.4 the AWS managed key cannot be used across-accounts") func theAWSManagedKeyCannotBeUsedAcrossAccounts()
        throws
    {
        // §3.4
        let env = try CrossAccountWorld()
        _ = try env.world.s3.putBucketEncryption(
            env.ownerS3, bucket: CrossAccountWorld.bucket, BucketEncryption(algorithm: "aws:kms"))
        let error = try #require(serviceError { _ = try env.put() })
        #expect(error.code == "AccessDenied")
        #expect(deniedLayer(error)?.hasPrefix("kms kms:GenerateDataKey") == true)
        // The owner's own principals can use it through S3.
        let own = try env.put("own.csv", as: env.ownerS3)
        #expect(own.value.kmsKeyArn != env.keyARN)
        #expect(own.value.serverSideEncryption == "aws:kms")
    }

    @Test func aDisabledKeyFailsWithKMSDisabled() throws {
        let env = try CrossAccountWorld()
        _ = try env.world.kms.disableKey(.init(env.owner, region: "us-east-1"), keyId: env.keyARN)
        #expect(serviceError { _ = try env.put() }?.code == "KMS.DisabledException")
    }

    @Test("§4.6 a key in another region is refused") func aKeyInAnotherRegionIsRefused() throws {
        // §4.6
        let env = try CrossAccountWorld(keyRegion: "eu-west-1")
        #expect(serviceError { _ = try env.put() }?.code == "KMS.NotFoundException")
    }

    @Test("§4.3 listing needs no KMS permission but getting needs decrypt")
    func listingNeedsNoKMSPermissionButGettingNeedsDecrypt() throws {
        // §4.3
        let env = try CrossAccountWorld(
            identity:
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket","s3:GetObject"],"Resource":["arn:aws:s3:::example-partner-reports","arn:aws:s3:::example-partner-reports/*"]}]}"#
        )
        _ = try env.put("secret.csv", as: env.ownerS3)
        let listed = try env.world.s3.listObjectsV2(env.partnerS3, bucket: CrossAccountWorld.bucket)
        #expect(listed.value.map(\.key) == ["secret.csv"])
        #expect(
            !listed.events.contains {
                if case .authorization("kms", _, _, _) = $0 { return true } else { return false }
            })
        #expect(
            try env.world.s3.headObject(env.partnerS3, bucket: CrossAccountWorld.bucket, key: "secret.csv").value
                .kmsKeyArn == env.keyARN)
        let error = try #require(
            serviceError {
                _ = try env.world.s3.getObject(env.partnerS3, bucket: CrossAccountWorld.bucket, key: "secret.csv")
            })
        #expect(error.code == "AccessDenied")
        #expect(deniedLayer(error)?.hasPrefix("kms kms:Decrypt") == true)
    }

    @Test("§4.1, §4.2, §4.5 default encryption is not retroactive and a copy in place re-encrypts")
    func defaultEncryptionIsNotRetroactiveAndACopyInPlaceReEncrypts() throws {
        // §4.1, §4.2, §4.5
        let env = try CrossAccountWorld()
        let s3 = env.world.s3
        _ = try s3.deleteBucketEncryption(env.ownerS3, bucket: CrossAccountWorld.bucket)
        let old = try env.put("old.csv", as: env.ownerS3).value
        #expect(old.serverSideEncryption == "AES256")
        _ = try s3.putBucketEncryption(
            env.ownerS3, bucket: CrossAccountWorld.bucket, BucketEncryption(algorithm: "aws:kms", kmsKeyId: env.keyARN))
        #expect(
            try s3.headObject(env.ownerS3, bucket: CrossAccountWorld.bucket, key: "old.csv").value.serverSideEncryption
                == "AES256")
        #expect(
            serviceError {
                _ = try s3.copyObject(
                    env.ownerS3, sourceBucket: CrossAccountWorld.bucket, sourceKey: "old.csv",
                    bucket: CrossAccountWorld.bucket, key: "old.csv")
            }?.code == "InvalidRequest")
        env.world.advance(by: 3600)
        let copied = try s3.copyObject(
            env.ownerS3, sourceBucket: CrossAccountWorld.bucket, sourceKey: "old.csv", bucket: CrossAccountWorld.bucket,
            key: "old.csv",
            encryption: EncryptionRequest(serverSideEncryption: "aws:kms", kmsKeyId: env.keyARN)
        ).value
        #expect(copied.serverSideEncryption == "aws:kms")
        #expect(copied.kmsKeyArn == env.keyARN)
        #expect(copied.lastModified > old.lastModified)
        // An SSE-KMS object's ETag is not the MD5 of its data, unlike the SSE-S3 original's.
        #expect(copied.eTag != old.eTag)
        #expect(
            String(
                decoding: try s3.getObject(env.ownerS3, bucket: CrossAccountWorld.bucket, key: "old.csv").value.body,
                as: UTF8.self) == "a,b\n1,2\n")
    }

    @Test("§4.1 before 2023 objects were not encrypted by default")
    func beforeTwentyTwentyThreeObjectsWereNotEncryptedByDefault() throws {
        // §4.1
        let env = try CrossAccountWorld()
        env.world.setEncryptNewObjectsByDefault(false)
        _ = try env.world.s3.deleteBucketEncryption(env.ownerS3, bucket: CrossAccountWorld.bucket)
        #expect(try env.put("legacy.csv", as: env.ownerS3).value.serverSideEncryption == nil)
    }

    @Test("§4.3 multipart upload needs decrypt too") func multipartUploadNeedsDecryptToo() throws {
        // §4.3
        let generateOnly =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject"],"Resource":"arn:aws:s3:::example-partner-reports/*"},{"Effect":"Allow","Action":"kms:GenerateDataKey","Resource":"*"}]}"#
        let env = try CrossAccountWorld(identity: generateOnly)
        let s3 = env.world.s3
        _ = try env.put("single.csv")
        let upload = try s3.createMultipartUpload(env.partnerS3, bucket: CrossAccountWorld.bucket, key: "big.csv").value
            .uploadId
        let error = try #require(
            serviceError {
                _ = try s3.uploadPart(
                    env.partnerS3, bucket: CrossAccountWorld.bucket, key: "big.csv", uploadId: upload, partNumber: 1,
                    body: [1, 2, 3])
            })
        #expect(error.code == "AccessDenied")
        #expect(deniedLayer(error)?.hasPrefix("kms kms:Decrypt") == true)

        let full = try CrossAccountWorld()
        let id = try full.world.s3.createMultipartUpload(
            full.partnerS3, bucket: CrossAccountWorld.bucket, key: "big.csv"
        ).value.uploadId
        _ = try full.world.s3.uploadPart(
            full.partnerS3, bucket: CrossAccountWorld.bucket, key: "big.csv", uploadId: id, partNumber: 2,
            body: Array("world".utf8))
        _ = try full.world.s3.uploadPart(
            full.partnerS3, bucket: CrossAccountWorld.bucket, key: "big.csv", uploadId: id, partNumber: 1,
            body: Array(repeating: 0x68, count: S3.minimumPartSize))
        let done = try full.world.s3.completeMultipartUpload(
            full.partnerS3, bucket: CrossAccountWorld.bucket, key: "big.csv", uploadId: id)
        #expect(done.value.kmsKeyArn == full.keyARN)
        let body = try full.world.s3.getObject(full.partnerS3, bucket: CrossAccountWorld.bucket, key: "big.csv").value
            .body
        #expect(body.count == S3.minimumPartSize + 5)
        #expect(String(decoding: body.suffix(5), as: UTF8.self) == "world")
    }

    @Test("§4.4 a bucket key changes the encryption context") func aBucketKeyChangesTheEncryptionContext() throws {
        // §4.4: a key policy conditioned on object ARNs stops matching.
        let objectScoped = #"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ReportWriter"},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*",
               "Condition":{"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::example-partner-reports/*"}}}]}
            """#
        let withoutBucketKey = try CrossAccountWorld(keyPolicy: objectScoped)
        #expect(try withoutBucketKey.put().value.bucketKeyEnabled == false)
        let withBucketKey = try CrossAccountWorld(keyPolicy: objectScoped, bucketKey: true)
        let error = try #require(serviceError { _ = try withBucketKey.put() })
        #expect(error.code == "AccessDenied")
        #expect(deniedLayer(error) == "kms kms:GenerateDataKey: key policy")
    }
}

@Suite struct S3VersioningTests {
    @Test func aVersionedDeleteLeavesAMarkerAndKeepsTheVersions() throws {
        let env = try CrossAccountWorld()
        let s3 = env.world.s3
        _ = try s3.putBucketVersioning(env.ownerS3, bucket: CrossAccountWorld.bucket, enabled: true)
        let first = try env.put("v.csv", as: env.ownerS3).value
        let second = try env.put("v.csv", as: env.ownerS3).value
        #expect(first.versionId != nil)
        #expect(first.versionId != second.versionId)
        _ = try s3.deleteObject(env.ownerS3, bucket: CrossAccountWorld.bucket, key: "v.csv")
        #expect(
            serviceError { _ = try s3.getObject(env.ownerS3, bucket: CrossAccountWorld.bucket, key: "v.csv") }?.code
                == "NoSuchKey")
        #expect(try s3.listObjectsV2(env.ownerS3, bucket: CrossAccountWorld.bucket).value.isEmpty)
    }

    @Test func anUnversionedDeleteRemovesTheObject() throws {
        let env = try CrossAccountWorld()
        let s3 = env.world.s3
        _ = try env.put("gone.csv", as: env.ownerS3)
        _ = try s3.deleteObject(env.ownerS3, bucket: CrossAccountWorld.bucket, key: "gone.csv")
        #expect(
            serviceError { _ = try s3.headObject(env.ownerS3, bucket: CrossAccountWorld.bucket, key: "gone.csv") }?.code
                == "NoSuchKey")
    }
}

@Suite struct S3EncryptionRuleTests {
    @Test("§4.2 request headers override the bucket's default encryption")
    func headersOverrideTheDefault() throws {
        let env = try CrossAccountWorld()
        let put = try env.world.s3.putObject(
            env.ownerS3, bucket: CrossAccountWorld.bucket, key: "s3.csv", body: [1],
            encryption: EncryptionRequest(serverSideEncryption: "AES256"))
        #expect(put.value.serverSideEncryption == "AES256")
        #expect(put.value.kmsKeyArn == nil)
        #expect(
            serviceError {
                _ = try env.world.s3.putObject(
                    env.ownerS3, bucket: CrossAccountWorld.bucket, key: "x", body: [1],
                    encryption: EncryptionRequest(kmsKeyId: env.keyARN))
            }?.code == "InvalidArgument")
    }

    @Test("§4.6 a bucket policy can require the key: other keys and missing headers are denied")
    func aBucketPolicyCanRequireTheKey() throws {
        let env = try CrossAccountWorld()
        let requireKey = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ReportWriter"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::example-partner-reports/*"},
              {"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::example-partner-reports/*",
               "Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"\(env.keyARN)"}}}]}
            """
        _ = try env.world.s3.putBucketPolicy(env.ownerS3, bucket: CrossAccountWorld.bucket, policy: requireKey)
        let other = try env.world.kms.createKey(.init(env.owner, region: "us-east-1")).value.arn
        let wrong = try #require(
            serviceError {
                _ = try env.world.s3.putObject(
                    env.partnerS3, bucket: CrossAccountWorld.bucket, key: "r.csv", body: [1],
                    encryption: EncryptionRequest(serverSideEncryption: "aws:kms", kmsKeyId: other))
            })
        #expect(wrong.code == "AccessDenied")
        // Without the header the key is missing, and StringNotEquals holds: denied too.
        #expect(serviceError { _ = try env.put("r.csv") }?.code == "AccessDenied")
        let right = try env.world.s3.putObject(
            env.partnerS3, bucket: CrossAccountWorld.bucket, key: "r.csv", body: [1],
            encryption: EncryptionRequest(serverSideEncryption: "aws:kms", kmsKeyId: env.keyARN))
        #expect(right.value.kmsKeyArn == env.keyARN)
    }

    @Test("§4.7 the bucket owner owns objects another account writes")
    func theBucketOwnerOwnsEveryObject() throws {
        let env = try CrossAccountWorld()
        #expect(try env.put().value.owner == "111122223333")
    }

    @Test("§3.10 messages say KMS key, not customer master key")
    func errorMessagesUseTodaysNames() throws {
        let env = try CrossAccountWorld()
        _ = try env.world.kms.disableKey(.init(env.owner, region: "us-east-1"), keyId: env.keyARN)
        let error = try #require(serviceError { _ = try env.put() })
        #expect(!error.message.contains("CMK") && !error.message.lowercased().contains("customer master key"))
    }
}
