import Crypto
import Foundation
import KBCrypto
import KBPolicy
import Synchronization

/// Presigned URLs (ShareObjectPreSignedURL.md, PresignedUrlUploadObject.md): the
/// signer's credentials sign a request ahead of time; whoever holds the URL makes
/// it as the signer, with the signer's permissions at the time of use, until it
/// expires. Signatures are real: SigV4 (HMAC-SHA256) or SigV2 (HMAC-SHA1) over
/// each principal's simulated secret key, so an edited URL fails to verify.
public struct PresignedURL: Sendable, Hashable {
    public var url: String
    public var method: String
    public var bucket: String
    public var key: String
    public var signer: String
    public var signedAt: Date
    /// Seconds, for SigV4; SigV2 URLs carry an absolute expiry instead.
    public var expiresIn: Int
}

/// A principal's simulated long-term or session credentials.
struct AccessKey: Sendable, Hashable {
    var id: String
    var secret: String
    var principal: String
    /// Session credentials (an assumed role's) expire; users' keys do not.
    var expires: Date?
}

extension S3 {
    public enum SignatureVersion: Sendable, Hashable {
        case v4, v2
    }

    /// How long role session credentials last by default (AssumeRole's
    /// DurationSeconds): a URL signed with them stops working when they expire,
    /// whatever its own expiry (ShareObjectPreSignedURL.md).
    public static let defaultSessionDuration: TimeInterval = 3_600

    /// Presigns a GET or PUT of `bucket/key` for `caller`, as `aws s3 presign` does:
    /// locally, with no call to S3 and no permission check. `expiresIn` is not
    /// checked either; S3 refuses a SigV4 URL over seven days when it is used.
    public func presign(
        _ caller: Caller, region: String, bucket: String, key: String, method: String = "GET",
        expiresIn: Int = 3_600, version: SignatureVersion = .v4
    ) throws(ServiceError) -> PresignedURL {
        guard caller.account != nil else {
            throw ServiceError("NoCredentialsError", "Unable to locate credentials for \(caller.principal)")
        }
        guard ["GET", "PUT", "HEAD"].contains(method) else {
            throw ServiceError("ValidationException", "Only GET, PUT and HEAD requests can be presigned here.")
        }
        try KMS.validateRegion(region)
        return world.state.withLock { state in
            let credentials = state.accessKey(for: caller.principal, random: world.random)
            let now = state.now
            let signed = PresignedURLSigner(credentials: credentials, region: region)
            let url: String
            switch version {
            case .v4:
                url = signed.sigV4(method: method, bucket: bucket, key: key, date: now, expiresIn: expiresIn)
            case .v2:
                url = signed.sigV2(
                    method: method, bucket: bucket, key: key, expires: Int(now.timeIntervalSince1970) + expiresIn)
            }
            return PresignedURL(
                url: url, method: method, bucket: bucket, key: key, signer: caller.principal.text, signedAt: now,
                expiresIn: expiresIn)
        }
    }

    /// GET through a presigned URL, as an HTTP client would (no AWS credentials of
    /// its own). An SSE-C object still needs its key in the request's headers
    /// (ServerSideEncryptionCustomerKeys.md, "Presigned URLs and SSE-C").
    public func get(presigned url: String, customerKey: CustomerKey? = nil) throws(ServiceError) -> Traced<
        GetObjectResult
    > {
        let (origin, target) = try resolvePresigned(url, method: "GET")
        return try getObject(origin, bucket: target.bucket, key: target.key, customerKey: customerKey)
    }

    /// PUT through a presigned URL.
    public func put(presigned url: String, body: [UInt8], encryption: EncryptionRequest = .init())
        throws(ServiceError) -> Traced<ObjectMetadata>
    {
        let (origin, target) = try resolvePresigned(url, method: "PUT")
        return try putObject(origin, bucket: target.bucket, key: target.key, body: body, encryption: encryption)
    }

    /// Reads a presigned URL back: who signed it, how, and for which object. The
    /// signature is verified with the signer's secret; the expiry is checked when
    /// the request is authorized.
    func resolvePresigned(_ text: String, method: String) throws(ServiceError) -> (
        Origin, (bucket: String, key: String)
    ) {
        guard let parsed = ParsedPresignedURL(text) else {
            throw ServiceError("InvalidRequest", "The URL is not an S3 object URL.")
        }
        return try world.state.withLock { state throws(ServiceError) in
            guard let akid = parsed.accessKeyId else {
                // No signature at all: an anonymous request to the object URL.
                let anonymous = Caller(principal: RequestPrincipal("anonymous")!)
                return (
                    Origin(anonymous, region: parsed.region, signature: .anonymous, secureTransport: parsed.https),
                    (parsed.bucket, parsed.key)
                )
            }
            guard let credentials = state.accessKeysByID[akid] else {
                throw ServiceError(
                    "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
            }
            let signer = PresignedURLSigner(credentials: credentials, region: parsed.region)
            guard let signature = parsed.signatureVersion, signer.verify(parsed, method: method) else {
                throw ServiceError(
                    "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided. Check your key and signing method."
                )
            }
            if let expires = credentials.expires, state.now > expires {
                throw ServiceError("ExpiredToken", "The provided token has expired.")
            }
            let caller: Caller
            do {
                caller = try Caller(credentials.principal)
            } catch {
                throw ServiceError("InvalidAccessKeyId", "The AWS Access Key Id you provided is not valid.")
            }
            return (
                Origin(caller, region: parsed.region, signature: signature, secureTransport: parsed.https),
                (parsed.bucket, parsed.key)
            )
        }
    }
}

extension WorldState {
    /// The caller's credentials, made on first use from the world's generator: an
    /// `AKIA…` key for users and root, an `ASIA…` session key for role sessions.
    mutating func accessKey(for principal: RequestPrincipal, random: any RandomSource) -> AccessKey {
        if let existing = accessKeys[principal.text], existing.expires.map({ now <= $0 }) ?? true {
            return existing
        }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var session = false
        if case .assumedRole = principal.kind { session = true }
        let id = (session ? "ASIA" : "AKIA") + String(random.bytes(16).map { alphabet[Int($0) % 32] })
        let secret = String(Data(random.bytes(30)).base64EncodedString().prefix(40))
        let key = AccessKey(
            id: id, secret: secret, principal: principal.text,
            expires: session ? now + S3.defaultSessionDuration : nil)
        accessKeys[principal.text] = key
        accessKeysByID[id] = key
        return key
    }
}
