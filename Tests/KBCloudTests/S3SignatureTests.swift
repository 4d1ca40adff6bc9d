import Foundation
import KBCloud
import KBCrypto
import KBPolicy
import Testing

/// Request signatures, TLS and presigned URLs (UsingKMSEncryption.md,
/// ShareObjectPreSignedURL.md, re:Post "s3-kms-signature-version-error").
@Suite struct S3SignatureTests {
    static let key = "2026/report.csv"

    /// The cross-account world plus an SSE-S3 bucket whose policy lets anyone read
    /// (its Block Public Access settings turned off, as the owner must).
    func world() throws -> CrossAccountWorld {
        let env = try CrossAccountWorld()
        _ = try env.put(Self.key)
        _ = try env.world.s3.createBucket(env.ownerS3, bucket: "public-sse-s3")
        let open = PublicAccessBlock(
            blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false)
        for bucket in ["public-sse-s3", CrossAccountWorld.bucket] {
            _ = try env.world.s3.putPublicAccessBlock(env.ownerS3, bucket: bucket, open)
        }
        _ = try env.world.s3.putBucketPolicy(
            env.ownerS3, bucket: "public-sse-s3",
            policy:
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::public-sse-s3/*"}]}"#
        )
        _ = try env.world.s3.putObject(env.ownerS3, bucket: "public-sse-s3", key: "a.txt", body: Array("hi".utf8))
        return env
    }

    func origin(_ env: CrossAccountWorld, _ signature: RequestSignature, https: Bool = true) -> S3.Origin {
        S3.Origin(env.partner, region: "us-east-1", signature: signature, secureTransport: https)
    }

    @Test("UsingKMSEncryption.md: GET of an SSE-KMS object needs SigV4 and TLS")
    func sseKMSObjectsNeedSigV4AndTLS() throws {
        let env = try world()
        let s3 = env.world.s3
        let bucket = CrossAccountWorld.bucket
        let v2 = try #require(serviceError { _ = try s3.getObject(origin(env, .sigV2), bucket: bucket, key: Self.key) })
        #expect(v2.code == "InvalidArgument")
        #expect(v2.message.contains("require AWS Signature Version 4"))
        // Refused before S3 calls KMS.
        #expect(!v2.events.contains { if case .serviceCall = $0 { return true } else { return false } })
        let http = try #require(
            serviceError { _ = try s3.getObject(origin(env, .sigV4, https: false), bucket: bucket, key: Self.key) })
        #expect(http.code == "InvalidArgument")
        #expect(http.message.contains("secure connection"))
        #expect(try s3.getObject(origin(env, .sigV4), bucket: bucket, key: Self.key).value.body.count == 8)
        // PUT under the bucket's default SSE-KMS is held to the same rule.
        #expect(
            serviceError {
                _ = try s3.putObject(origin(env, .sigV2), bucket: bucket, key: "b.csv", body: [1])
            }?.code == "InvalidArgument")
        // HEAD makes no KMS call and is not refused.
        #expect(try s3.headObject(origin(env, .sigV2), bucket: bucket, key: Self.key).value.size == 8)
    }

    @Test(
        "s3-kms-signature-version-error: an anonymous GET of an SSE-KMS object fails even when the bucket policy allows it"
    )
    func anonymousRequestsCannotReadSSEKMSObjects() throws {
        let env = try world()
        _ = try env.world.s3.putBucketPolicy(
            env.ownerS3, bucket: CrossAccountWorld.bucket,
            policy:
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-partner-reports/*"}]}"#
        )
        let anonymous = S3.Origin(try Caller("anonymous"), region: "us-east-1", signature: .anonymous)
        #expect(
            try env.world.s3.getObject(anonymous, bucket: "public-sse-s3", key: "a.txt").value.body == Array("hi".utf8))
        let error = try #require(
            serviceError { _ = try env.world.s3.getObject(anonymous, bucket: CrossAccountWorld.bucket, key: Self.key) })
        #expect(error.code == "InvalidArgument")
    }

    @Test("bucket policy condition keys: s3:signatureversion and aws:SecureTransport reach the policy")
    func signatureConditionKeysReachBucketPolicies() throws {
        let env = try world()
        let s3 = env.world.s3
        _ = try s3.putBucketPolicy(
            env.ownerS3, bucket: "public-sse-s3",
            policy: #"""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::public-sse-s3/*"},
                  {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::public-sse-s3/*",
                   "Condition":{"StringNotEquals":{"s3:signatureversion":"AWS4-HMAC-SHA256"}}},
                  {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::public-sse-s3/*",
                   "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
                """#)
        // The owner's own requests, so that only the bucket policy's conditions decide.
        func owner(_ signature: RequestSignature, https: Bool = true) -> S3.Origin {
            S3.Origin(env.owner, region: "us-east-1", signature: signature, secureTransport: https)
        }
        #expect(try s3.getObject(owner(.sigV4), bucket: "public-sse-s3", key: "a.txt").value.body.count == 2)
        #expect(
            serviceError { _ = try s3.getObject(owner(.sigV2), bucket: "public-sse-s3", key: "a.txt") }?.code
                == "AccessDenied")
        #expect(
            serviceError {
                _ = try s3.getObject(owner(.sigV4, https: false), bucket: "public-sse-s3", key: "a.txt")
            }?.code == "AccessDenied")
    }

    @Test("ShareObjectPreSignedURL.md: a presigned URL acts as its signer until it expires")
    func presignedURLsActAsTheirSigner() throws {
        let env = try world()
        let s3 = env.world.s3
        let owner = try Caller("arn:aws:iam::111122223333:user/Publisher")
        try env.world.setPrincipal(
            "arn:aws:iam::111122223333:user/Publisher",
            identityPolicies: [
                policy(
                    #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","kms:Decrypt"],"Resource":"*"}]}"#
                )
            ])
        let url = try s3.presign(
            owner, region: "us-east-1", bucket: CrossAccountWorld.bucket, key: Self.key, expiresIn: 600)
        #expect(
            url.url.hasPrefix(
                "https://example-partner-reports.s3.amazonaws.com/2026/report.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256"))
        let got = try s3.get(presigned: url.url)
        #expect(String(decoding: got.value.body, as: UTF8.self) == "a,b\n1,2\n")
        // Decided as the signer, by the signer's policies.
        let principals = got.events.compactMap { event -> String? in
            if case .authorization(_, let action, _, let evaluation) = event, action == "s3:GetObject" {
                return evaluation.decision.rawValue
            }
            return nil
        }
        #expect(principals == ["Allowed"])
        // The signer's permissions are checked when the URL is used, not when it is made.
        try env.world.setPrincipal("arn:aws:iam::111122223333:user/Publisher", identityPolicies: [])
        #expect(serviceError { _ = try s3.get(presigned: url.url) }?.code == "AccessDenied")
        try env.world.setPrincipal(
            "arn:aws:iam::111122223333:user/Publisher",
            identityPolicies: [
                policy(
                    #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","kms:Decrypt"],"Resource":"*"}]}"#
                )
            ])
        env.world.advance(by: 601)
        let expired = try #require(serviceError { _ = try s3.get(presigned: url.url) })
        #expect(expired.code == "AccessDenied")
        #expect(expired.message == "Request has expired")
    }

    @Test("ShareObjectPreSignedURL.md: SigV4 presigned URLs last at most seven days")
    func presignedURLsLastAtMostSevenDays() throws {
        let env = try world()
        let s3 = env.world.s3
        let user = try Caller("arn:aws:iam::111122223333:root")
        let week = try s3.presign(user, region: "us-east-1", bucket: "public-sse-s3", key: "a.txt", expiresIn: 604_800)
        env.world.advance(by: 604_000)
        #expect(try s3.get(presigned: week.url).value.body.count == 2)
        let longer = try s3.presign(
            user, region: "us-east-1", bucket: "public-sse-s3", key: "a.txt", expiresIn: 604_801)
        #expect(serviceError { _ = try s3.get(presigned: longer.url) }?.code == "AuthorizationQueryParametersError")
    }

    @Test("ShareObjectPreSignedURL.md: a URL signed with role session credentials ends with the session")
    func sessionCredentialsLimitPresignedURLs() throws {
        let env = try world()
        let s3 = env.world.s3
        let url = try s3.presign(
            env.partner, region: "us-east-1", bucket: CrossAccountWorld.bucket, key: Self.key, expiresIn: 7_200)
        #expect(url.url.contains("X-Amz-Security-Token="))
        #expect(try s3.get(presigned: url.url).value.body.count == 8)
        env.world.advance(by: 3_601)
        #expect(serviceError { _ = try s3.get(presigned: url.url) }?.code == "ExpiredToken")
    }

    @Test("SigV4 query authentication: an edited presigned URL no longer verifies")
    func editedPresignedURLsFailToVerify() throws {
        let env = try world()
        let url = try env.world.s3.presign(
            try Caller("arn:aws:iam::111122223333:root"), region: "us-east-1", bucket: "public-sse-s3", key: "a.txt")
        let edited = url.url.replacingOccurrences(of: "X-Amz-Expires=3600", with: "X-Amz-Expires=7200")
        #expect(serviceError { _ = try env.world.s3.get(presigned: edited) }?.code == "SignatureDoesNotMatch")
        let otherKey = url.url.replacingOccurrences(of: "/a.txt?", with: "/b.txt?")
        #expect(serviceError { _ = try env.world.s3.get(presigned: otherKey) }?.code == "SignatureDoesNotMatch")
        let unknown = url.url.replacingOccurrences(of: "X-Amz-Credential=AKIA", with: "X-Amz-Credential=AKIB")
        #expect(serviceError { _ = try env.world.s3.get(presigned: unknown) }?.code == "InvalidAccessKeyId")
    }

    @Test("s3-kms-signature-version-error: a SigV2 presigned URL cannot read an SSE-KMS object, but can an SSE-S3 one")
    func sigV2PresignedURLsAndSSEKMS() throws {
        let env = try world()
        let s3 = env.world.s3
        let root = try Caller("arn:aws:iam::111122223333:root")
        let kmsObject = try s3.presign(
            root, region: "us-east-1", bucket: CrossAccountWorld.bucket, key: Self.key, version: .v2)
        #expect(kmsObject.url.contains("Signature="))
        #expect(serviceError { _ = try s3.get(presigned: kmsObject.url) }?.code == "InvalidArgument")
        let plain = try s3.presign(root, region: "us-east-1", bucket: "public-sse-s3", key: "a.txt", version: .v2)
        #expect(try s3.get(presigned: plain.url).value.body.count == 2)
    }

    @Test("PresignedUrlUploadObject.md: a presigned PUT uploads as its signer")
    func presignedPut() throws {
        let env = try world()
        let s3 = env.world.s3
        let url = try s3.presign(
            env.partner, region: "us-east-1", bucket: CrossAccountWorld.bucket, key: "upload.csv", method: "PUT")
        let put = try s3.put(presigned: url.url, body: Array("x".utf8))
        #expect(put.value.serverSideEncryption == "aws:kms")
        // A PUT URL does not sign a GET.
        #expect(serviceError { _ = try s3.get(presigned: url.url) }?.code == "SignatureDoesNotMatch")
        // A plain object URL is an anonymous request.
        #expect(try s3.get(presigned: "https://public-sse-s3.s3.amazonaws.com/a.txt").value.body.count == 2)
    }
}
