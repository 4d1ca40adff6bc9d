import Foundation
import KBCloud
import KBCrypto
import KBPolicy
import Testing

/// Object Ownership and ACLs (about-object-ownership.md), and DSSE-KMS with
/// Bucket Keys.
@Suite struct S3OwnershipTests {
    @Test("about-object-ownership.md: new buckets have ACLs off and own every object")
    func bucketOwnerEnforcedByDefault() throws {
        let env = try CrossAccountWorld()
        let s3 = env.world.s3
        let bucket = CrossAccountWorld.bucket
        #expect(try s3.getBucketOwnershipControls(env.ownerS3, bucket: bucket).value == "BucketOwnerEnforced")
        let put = try env.put()
        #expect(put.value.owner == "111122223333")
        let refused = try #require(
            serviceError {
                _ = try s3.putObject(env.partnerS3, bucket: bucket, key: "a", body: [1], acl: "public-read")
            })
        #expect(refused.code == "AccessControlListNotSupported")
        #expect(refused.message == "The bucket does not allow ACLs")
        // bucket-owner-full-control says nothing new and is accepted.
        #expect(
            try s3.putObject(env.partnerS3, bucket: bucket, key: "b", body: [1], acl: "bucket-owner-full-control").value
                .owner == "111122223333")
        #expect(
            serviceError { _ = try s3.createBucket(env.ownerS3, bucket: "with-acl", acl: "public-read") }?.code
                == "InvalidBucketAclWithObjectOwnership")
    }

    @Test("about-object-ownership.md: with ACLs on, the writer owns its object and the bucket owner needs the ACL")
    func objectWriterOwnership() throws {
        let env = try CrossAccountWorld()
        let s3 = env.world.s3
        let bucket = CrossAccountWorld.bucket
        _ = try s3.putBucketOwnershipControls(env.ownerS3, bucket: bucket, objectOwnership: "ObjectWriter")
        let mine = try s3.putObject(env.partnerS3, bucket: bucket, key: "private.csv", body: [1]).value
        #expect(mine.owner == "444455556666")
        #expect(
            serviceError { _ = try s3.getObject(env.ownerS3, bucket: bucket, key: "private.csv") }?.code
                == "AccessDenied")
        _ = try s3.putObject(
            env.partnerS3, bucket: bucket, key: "shared.csv", body: [2], acl: "bucket-owner-full-control")
        #expect(try s3.getObject(env.ownerS3, bucket: bucket, key: "shared.csv").value.body == [2])
        // BucketOwnerPreferred: the same ACL hands the object to the bucket owner.
        _ = try s3.putBucketOwnershipControls(env.ownerS3, bucket: bucket, objectOwnership: "BucketOwnerPreferred")
        #expect(
            try s3.putObject(
                env.partnerS3, bucket: bucket, key: "given.csv", body: [3], acl: "bucket-owner-full-control"
            )
            .value.owner == "111122223333")
        #expect(
            try s3.putObject(env.partnerS3, bucket: bucket, key: "kept.csv", body: [3]).value.owner == "444455556666")
    }

    @Test("about-object-ownership.md: buckets from before April 2023 have no ownership controls")
    func oldBucketsHaveNoOwnershipControls() throws {
        let world = World(seed: "old-bucket", start: Date(timeIntervalSince1970: 1_640_995_200))
        let owner = S3.Origin(try Caller("arn:aws:iam::111122223333:root"), region: "us-east-1")
        _ = try world.s3.createBucket(owner, bucket: "legacy-bucket")
        #expect(
            serviceError { _ = try world.s3.getBucketOwnershipControls(owner, bucket: "legacy-bucket") }?.code
                == "OwnershipControlsNotFoundError")
        #expect(
            try world.s3.putObject(owner, bucket: "legacy-bucket", key: "k", body: [1], acl: "public-read").value.size
                == 1)
    }

    @Test("a bucket policy can require bucket-owner-full-control with s3:x-amz-acl")
    func bucketPoliciesSeeTheACL() throws {
        let env = try CrossAccountWorld(
            bucketPolicy: #"""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ReportWriter"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::example-partner-reports/*",
                   "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}
                """#)
        #expect(serviceError { _ = try env.put() }?.code == "AccessDenied")
        #expect(
            try env.world.s3.putObject(
                env.partnerS3, bucket: CrossAccountWorld.bucket, key: "k", body: [1], acl: "bucket-owner-full-control"
            ).value.size == 1)
    }

    @Test("S3 Bucket Keys are not used with DSSE-KMS: the setting is accepted and ignored")
    func dsseKMSIgnoresBucketKeys() throws {
        let env = try CrossAccountWorld()
        let put = try env.world.s3.putObject(
            env.ownerS3, bucket: CrossAccountWorld.bucket, key: "dual.csv", body: [1],
            encryption: EncryptionRequest(
                serverSideEncryption: "aws:kms:dsse", kmsKeyId: env.keyARN, bucketKeyEnabled: true))
        #expect(put.value.serverSideEncryption == "aws:kms:dsse")
        #expect(put.value.bucketKeyEnabled == false)
        let contexts = put.events.compactMap { event -> String? in
            if case .crypto("encrypt", _, let context) = event { return context["aws:s3:arn"] }
            return nil
        }
        #expect(contexts == ["arn:aws:s3:::example-partner-reports/dual.csv"])
    }
}

/// S3 Block Public Access (access-control-block-public-access.md).
@Suite struct S3PublicAccessTests {
    static let publicRead =
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-partner-reports/*"}]}"#

    @Test("access-control-block-public-access.md: new buckets refuse public bucket policies")
    func newBucketsBlockPublicPolicies() throws {
        let env = try CrossAccountWorld()
        let s3 = env.world.s3
        let bucket = CrossAccountWorld.bucket
        let settings = try s3.getPublicAccessBlock(env.ownerS3, bucket: bucket).value
        #expect(settings == PublicAccessBlock())
        let refused = try #require(
            serviceError { _ = try s3.putBucketPolicy(env.ownerS3, bucket: bucket, policy: Self.publicRead) })
        #expect(refused.code == "AccessDenied")
        #expect(refused.message.contains("BlockPublicPolicy"))
        // The guide's policy names a role: not public.
        _ = try s3.putBucketPolicy(env.ownerS3, bucket: bucket, policy: CrossAccountWorld.bucketPolicy)
    }

    @Test("'The meaning of public': fixed values of the listed keys make a policy non-public")
    func whatCountsAsPublic() throws {
        func check(_ condition: String) throws -> String? {
            let env = try CrossAccountWorld()
            let policy =
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-partner-reports/*","Condition":\#(condition)}]}"#
            return serviceError {
                _ = try env.world.s3.putBucketPolicy(env.ownerS3, bucket: CrossAccountWorld.bucket, policy: policy)
            }?.code
        }
        #expect(try check(#"{"StringEquals":{"aws:PrincipalOrgID":"o-abcdef1234"}}"#) == nil)
        #expect(try check(#"{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#) == nil)
        #expect(try check(#"{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"#) == nil)
        #expect(try check(#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}"#) == "AccessDenied")
        #expect(try check(#"{"StringLike":{"aws:PrincipalOrgID":"o-*"}}"#) == "AccessDenied")
        #expect(try check(#"{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}"#) == "AccessDenied")
        #expect(try check(#"{"Bool":{"aws:SecureTransport":"true"}}"#) == "AccessDenied")
    }

    @Test("RestrictPublicBuckets: a public bucket serves only its own account and AWS services")
    func restrictPublicBuckets() throws {
        let env = try CrossAccountWorld()
        let s3 = env.world.s3
        let bucket = CrossAccountWorld.bucket
        _ = try env.put()
        _ = try s3.putPublicAccessBlock(
            env.ownerS3, bucket: bucket,
            PublicAccessBlock(blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false))
        let mixed =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-partner-reports/public/*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ReportWriter"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::example-partner-reports/*"}]}"#
        _ = try s3.putBucketPolicy(env.ownerS3, bucket: bucket, policy: mixed)
        // The partner, named by a statement of its own, is refused all the same.
        let error = try #require(serviceError { _ = try env.put("2026/other.csv") })
        #expect(error.code == "AccessDenied")
        #expect(try s3.getObject(env.ownerS3, bucket: bucket, key: "2026/report.csv").value.body.count == 8)
        _ = try s3.putPublicAccessBlock(
            env.ownerS3, bucket: bucket,
            PublicAccessBlock(
                blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false))
        _ = try env.put("2026/other.csv")
    }

    @Test("BlockPublicAcls refuses public ACLs; IgnorePublicAcls makes them private")
    func publicACLs() throws {
        let env = try CrossAccountWorld()
        let s3 = env.world.s3
        let bucket = CrossAccountWorld.bucket
        _ = try s3.putBucketOwnershipControls(env.ownerS3, bucket: bucket, objectOwnership: "ObjectWriter")
        #expect(
            serviceError {
                _ = try s3.putObject(env.partnerS3, bucket: bucket, key: "a", body: [1], acl: "public-read")
            }?
            .code == "AccessDenied")
        _ = try s3.putPublicAccessBlock(
            env.ownerS3, bucket: bucket, PublicAccessBlock(blockPublicAcls: false, ignorePublicAcls: true))
        _ = try s3.putObject(env.partnerS3, bucket: bucket, key: "a", body: [1], acl: "public-read")
        // The owner reads another account's object only through its ACL, which is ignored.
        #expect(serviceError { _ = try s3.getObject(env.ownerS3, bucket: bucket, key: "a") }?.code == "AccessDenied")
        _ = try s3.deletePublicAccessBlock(env.ownerS3, bucket: bucket)
        #expect(try s3.getObject(env.ownerS3, bucket: bucket, key: "a").value.body == [1])
        #expect(
            serviceError { _ = try s3.getPublicAccessBlock(env.ownerS3, bucket: bucket) }?.code
                == "NoSuchPublicAccessBlockConfiguration")
    }
}

/// User metadata: stored in the clear beside the encrypted data
/// (UsingServerSideEncryption: server-side encryption encrypts only the object data).
@Suite struct S3UserMetadataTests {
    @Test("user metadata is kept, lower-cased, readable without KMS, and copied or replaced by CopyObject")
    func userMetadata() throws {
        let env = try CrossAccountWorld()
        let s3 = env.world.s3
        let bucket = CrossAccountWorld.bucket
        _ = try s3.putObject(env.ownerS3, bucket: bucket, key: "a.csv", body: [1], metadata: ["Department": "finance"])
        let head = try s3.headObject(env.ownerS3, bucket: bucket, key: "a.csv")
        #expect(head.value.userMetadata == ["department": "finance"])
        #expect(!head.events.contains { if case .serviceCall = $0 { return true } else { return false } })
        let kept = try s3.copyObject(
            env.ownerS3, sourceBucket: bucket, sourceKey: "a.csv", bucket: bucket, key: "b.csv"
        ).value
        #expect(kept.userMetadata == ["department": "finance"])
        let replaced = try s3.copyObject(
            env.ownerS3, sourceBucket: bucket, sourceKey: "a.csv", bucket: bucket, key: "c.csv",
            replacingMetadata: true,
            metadata: ["team": "ops"]
        ).value
        #expect(replaced.userMetadata == ["team": "ops"])
    }
}
