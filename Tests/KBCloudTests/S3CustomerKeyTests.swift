import Crypto
import Foundation
import KBCrypto
import KBPolicy
import Synchronization
import Testing

@testable import KBCloud

/// SSE-C (ServerSideEncryptionCustomerKeys.md): the key travels with each request,
/// S3 keeps only a salted HMAC of it, and reads need the same key.
@Suite struct S3CustomerKeyTests {
    static let keyA = CustomerKey(key: Array(repeating: 0x41, count: 32))
    static let keyB = CustomerKey(key: Array(repeating: 0x42, count: 32))

    /// The cross-account bucket, versioned, with SSE-C unblocked (new buckets
    /// block it, as since April 2026).
    func world() throws -> CrossAccountWorld {
        let env = try CrossAccountWorld()
        _ = try env.world.s3.putBucketVersioning(env.ownerS3, bucket: CrossAccountWorld.bucket, enabled: true)
        _ = try env.world.s3.putBucketEncryption(
            env.ownerS3, bucket: CrossAccountWorld.bucket,
            BucketEncryption(algorithm: "aws:kms", kmsKeyId: env.keyARN, blockedEncryptionTypes: ["NONE"]))
        return env
    }

    func put(_ env: CrossAccountWorld, _ key: CustomerKey = keyA, name: String = "secret.txt", body: String = "hello")
        throws -> ObjectMetadata
    {
        try env.world.s3.putObject(
            env.ownerS3, bucket: CrossAccountWorld.bucket, key: name, body: Array(body.utf8),
            encryption: EncryptionRequest(customerKey: key)
        ).value
    }

    @Test("SSE-C: the object is stored under the request's key, and reads need the same key")
    func readsNeedTheSameKey() throws {
        let env = try world()
        let s3 = env.world.s3
        let put = try put(env)
        #expect(put.sseCustomerAlgorithm == "AES256")
        #expect(put.sseCustomerKeyMD5 == Self.keyA.computedMD5)
        #expect(put.serverSideEncryption == nil)
        // The bucket's default SSE-KMS plays no part: no KMS call.
        #expect(put.kmsKeyArn == nil)
        // The ETag is not the MD5 of the data.
        #expect(put.eTag != "\"\(Hex.encode(Insecure.MD5.hash(data: Array("hello".utf8))))\"")
        let bucket = CrossAccountWorld.bucket
        let got = try s3.getObject(env.ownerS3, bucket: bucket, key: "secret.txt", customerKey: Self.keyA)
        #expect(String(decoding: got.value.body, as: UTF8.self) == "hello")
        let none = try #require(serviceError { _ = try s3.getObject(env.ownerS3, bucket: bucket, key: "secret.txt") })
        #expect(none.code == "InvalidRequest")
        #expect(none.message.contains("correct parameters must be provided"))
        #expect(
            serviceError {
                _ = try s3.getObject(env.ownerS3, bucket: bucket, key: "secret.txt", customerKey: Self.keyB)
            }?
            .code == "AccessDenied")
        // HEAD needs the key as well.
        #expect(
            serviceError { _ = try s3.headObject(env.ownerS3, bucket: bucket, key: "secret.txt") }?.code
                == "InvalidRequest")
        #expect(
            try s3.headObject(env.ownerS3, bucket: bucket, key: "secret.txt", customerKey: Self.keyA).value
                .sseCustomerKeyMD5 == Self.keyA.computedMD5)
    }

    @Test("SSE-C: S3 stores a salted HMAC of the key, never the key")
    func theKeyIsNeverStored() throws {
        let env = try world()
        _ = try put(env)
        let upload = try env.world.s3.createMultipartUpload(
            env.ownerS3, bucket: CrossAccountWorld.bucket, key: "big.bin",
            encryption: EncryptionRequest(customerKey: Self.keyB)
        ).value
        let text = env.world.state.withLock { state in
            String(describing: state.contents) + String(describing: state.buckets)
        }
        #expect(!text.contains(String(describing: Self.keyA.key)))
        #expect(!text.contains(String(describing: Self.keyB.key)))
        #expect(!upload.uploadId.isEmpty)
        // Two objects under the same key get different salts, so their checks differ.
        _ = try put(env, name: "second.txt")
        let checks = env.world.state.withLock { state in
            ["secret.txt", "second.txt"].compactMap {
                state.contents[CrossAccountWorld.bucket]?.objects[$0]?.last?.customerKey
            }
        }
        #expect(checks.count == 2)
        #expect(checks[0].mac != checks[1].mac)
    }

    @Test("SSE-C headers: AES256, a 256-bit key and its MD5 are checked")
    func theHeadersAreChecked() throws {
        let env = try world()
        #expect(
            serviceError { _ = try put(env, CustomerKey(algorithm: "AES128", key: Self.keyA.key)) }?.code
                == "InvalidEncryptionAlgorithmError")
        let short = try #require(serviceError { _ = try put(env, CustomerKey(key: Array(repeating: 1, count: 16))) })
        #expect(short.code == "InvalidArgument")
        #expect(short.message == "The secret key was invalid for the specified algorithm.")
        let md5 = try #require(
            serviceError { _ = try put(env, CustomerKey(key: Self.keyA.key, keyMD5: Self.keyB.computedMD5)) })
        #expect(md5.message == "The calculated MD5 hash of the key did not match the hash that was provided.")
        #expect(try put(env, CustomerKey(key: Self.keyA.key, keyMD5: Self.keyA.computedMD5)).size == 5)
        // SSE-C excludes the other modes.
        #expect(
            serviceError {
                _ = try env.world.s3.putObject(
                    env.ownerS3, bucket: CrossAccountWorld.bucket, key: "x", body: [1],
                    encryption: EncryptionRequest(serverSideEncryption: "AES256", customerKey: Self.keyA))
            }?.code == "InvalidArgument")
    }

    @Test("ServerSideEncryptionCustomerKeys.md: S3 rejects SSE-C over HTTP")
    func httpsIsRequired() throws {
        let env = try world()
        let http = S3.Origin(env.owner, region: "us-east-1", secureTransport: false)
        let error = try #require(
            serviceError {
                _ = try env.world.s3.putObject(
                    http, bucket: CrossAccountWorld.bucket, key: "x", body: [1],
                    encryption: EncryptionRequest(customerKey: Self.keyA))
            })
        #expect(error.code == "InvalidRequest")
        #expect(error.message.contains("secure connection"))
    }

    @Test("SSE-C copy: the source's key to read it; the copy is SSE-C only when asked")
    func copyingSSECObjects() throws {
        let env = try world()
        let s3 = env.world.s3
        let bucket = CrossAccountWorld.bucket
        _ = try put(env)
        #expect(
            serviceError {
                _ = try s3.copyObject(
                    env.ownerS3, sourceBucket: bucket, sourceKey: "secret.txt", bucket: bucket, key: "copy.txt")
            }?.code == "InvalidRequest")
        let plain = try s3.copyObject(
            env.ownerS3, sourceBucket: bucket, sourceKey: "secret.txt", bucket: bucket, key: "copy.txt",
            sourceCustomerKey: Self.keyA
        ).value
        #expect(plain.serverSideEncryption == "aws:kms")
        #expect(plain.sseCustomerAlgorithm == nil)
        let rekeyed = try s3.copyObject(
            env.ownerS3, sourceBucket: bucket, sourceKey: "secret.txt", bucket: bucket, key: "secret.txt",
            encryption: EncryptionRequest(customerKey: Self.keyB), sourceCustomerKey: Self.keyA
        ).value
        #expect(rekeyed.sseCustomerKeyMD5 == Self.keyB.computedMD5)
        #expect(
            try s3.getObject(env.ownerS3, bucket: bucket, key: "secret.txt", customerKey: Self.keyB).value.body
                == Array("hello".utf8))
        // A key for an object that is not SSE-C is an error too.
        #expect(
            serviceError { _ = try s3.getObject(env.ownerS3, bucket: bucket, key: "copy.txt", customerKey: Self.keyA) }?
                .code == "InvalidRequest")
    }

    @Test("ServerSideEncryptionCustomerKeys.md, 'Multipart Upload': every part brings the upload's key")
    func multipartUploadsWithSSEC() throws {
        let env = try world()
        let s3 = env.world.s3
        let bucket = CrossAccountWorld.bucket
        let upload = try s3.createMultipartUpload(
            env.ownerS3, bucket: bucket, key: "big.bin", encryption: EncryptionRequest(customerKey: Self.keyA)
        ).value
        #expect(upload.sseCustomerAlgorithm == "AES256")
        let first = Array(repeating: UInt8(7), count: S3.minimumPartSize)
        #expect(
            serviceError {
                _ = try s3.uploadPart(
                    env.ownerS3, bucket: bucket, key: "big.bin", uploadId: upload.uploadId, partNumber: 1, body: first)
            }?.code == "InvalidRequest")
        #expect(
            serviceError {
                _ = try s3.uploadPart(
                    env.ownerS3, bucket: bucket, key: "big.bin", uploadId: upload.uploadId, partNumber: 1, body: first,
                    customerKey: Self.keyB)
            }?.code == "AccessDenied")
        _ = try s3.uploadPart(
            env.ownerS3, bucket: bucket, key: "big.bin", uploadId: upload.uploadId, partNumber: 1, body: first,
            customerKey: Self.keyA)
        _ = try s3.uploadPart(
            env.ownerS3, bucket: bucket, key: "big.bin", uploadId: upload.uploadId, partNumber: 2, body: [1, 2, 3],
            customerKey: Self.keyA)
        let done = try s3.completeMultipartUpload(
            env.ownerS3, bucket: bucket, key: "big.bin", uploadId: upload.uploadId)
        #expect(done.value.size == first.count + 3)
        #expect(done.value.eTag.hasSuffix("-2\""))
        let body = try s3.getObject(env.ownerS3, bucket: bucket, key: "big.bin", customerKey: Self.keyA).value.body
        #expect(body == first + [1, 2, 3])
    }

    @Test("blocking-unblocking-s3-c-encryption-gpb.html: a bucket can refuse new SSE-C objects")
    func bucketsCanBlockSSEC() throws {
        let env = try world()
        let s3 = env.world.s3
        let bucket = CrossAccountWorld.bucket
        _ = try put(env)
        _ = try s3.putBucketEncryption(
            env.ownerS3, bucket: bucket, BucketEncryption(algorithm: "AES256", blockedEncryptionTypes: ["SSE-C"]))
        #expect(try s3.getBucketEncryption(env.ownerS3, bucket: bucket).value.blockedEncryptionTypes == ["SSE-C"])
        #expect(serviceError { _ = try put(env, name: "new.txt") }?.code == "AccessDenied")
        // Objects already stored stay readable.
        #expect(
            try s3.getObject(env.ownerS3, bucket: bucket, key: "secret.txt", customerKey: Self.keyA).value.body.count
                == 5)
        _ = try s3.putBucketEncryption(
            env.ownerS3, bucket: bucket, BucketEncryption(algorithm: "AES256", blockedEncryptionTypes: ["NONE"]))
        #expect(try put(env, name: "new.txt").size == 5)
        #expect(
            serviceError {
                _ = try s3.putBucketEncryption(
                    env.ownerS3, bucket: bucket,
                    BucketEncryption(algorithm: "AES256", blockedEncryptionTypes: ["SSE-KMS"]))
            }?.code == "MalformedXML")
    }

    @Test("blocking-unblocking-s3-c-encryption-gpb.html: new buckets block SSE-C (since April 2026), not before")
    func newBucketsBlockSSEC() throws {
        let world = World(seed: "ssec-april")
        let owner = S3.Origin(try Caller("arn:aws:iam::111122223333:root"), region: "us-east-1")
        _ = try world.s3.createBucket(owner, bucket: "new-bucket")
        #expect(try world.s3.getBucketEncryption(owner, bucket: "new-bucket").value.blockedEncryptionTypes == ["SSE-C"])
        #expect(
            serviceError {
                _ = try world.s3.putObject(
                    owner, bucket: "new-bucket", key: "k", body: [1],
                    encryption: EncryptionRequest(customerKey: Self.keyA))
            }?.code == "AccessDenied")
        world.setBlockSSECOnNewBuckets(false)
        _ = try world.s3.createBucket(owner, bucket: "older-bucket")
        #expect(try world.s3.getBucketEncryption(owner, bucket: "older-bucket").value.blockedEncryptionTypes == nil)
        #expect(
            try world.s3.putObject(
                owner, bucket: "older-bucket", key: "k", body: [1],
                encryption: EncryptionRequest(customerKey: Self.keyA)
            ).value.sseCustomerAlgorithm == "AES256")
    }

    @Test("ServerSideEncryptionCustomerKeys.md: a bucket policy can require SSE-C with a Null condition")
    func bucketPoliciesCanRequireSSEC() throws {
        let env = try world()
        _ = try env.world.s3.putBucketPolicy(
            env.ownerS3, bucket: CrossAccountWorld.bucket,
            policy: #"""
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:PutObject",
                 "Resource":"arn:aws:s3:::example-partner-reports/*",
                 "Condition":{"Null":{"s3:x-amz-server-side-encryption-customer-algorithm":"true"}}}]}
                """#)
        #expect(try put(env).size == 5)
        #expect(
            serviceError {
                _ = try env.world.s3.putObject(env.ownerS3, bucket: CrossAccountWorld.bucket, key: "plain", body: [1])
            }?.code == "AccessDenied")
    }

    @Test("ServerSideEncryptionCustomerKeys.md, 'Presigned URLs and SSE-C': the URL alone cannot read the object")
    func presignedURLsStillNeedTheKey() throws {
        let env = try world()
        _ = try put(env)
        let url = try env.world.s3.presign(
            env.owner, region: "us-east-1", bucket: CrossAccountWorld.bucket, key: "secret.txt")
        #expect(serviceError { _ = try env.world.s3.get(presigned: url.url) }?.code == "InvalidRequest")
        #expect(try env.world.s3.get(presigned: url.url, customerKey: Self.keyA).value.body == Array("hello".utf8))
    }
}
