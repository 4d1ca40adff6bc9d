import Foundation
import KBPolicy

/// How an S3 request was authenticated. S3 sees this in every request and
/// exposes it to bucket policies as `s3:signatureversion`, `s3:authType` and
/// `s3:signatureAge` (S3 API reference, "Authenticating Requests";
/// amazon-s3-userguide, bucket policy condition keys).
public enum RequestSignature: Sendable, Hashable {
    /// An `Authorization: AWS4-HMAC-SHA256 …` header: what the AWS CLI and SDKs send.
    case sigV4
    /// An `Authorization: AWS AKID:…` header (Signature Version 2, deprecated).
    case sigV2
    /// A presigned URL with Signature Version 4 query parameters.
    case presignedV4(signedAt: Date, expiresIn: Int)
    /// A presigned URL with Signature Version 2 query parameters.
    case presignedV2(expires: Date)
    /// No signature at all: a plain object URL in a browser or `curl`.
    case anonymous

    var isSigV4: Bool {
        switch self {
        case .sigV4, .presignedV4: return true
        default: return false
        }
    }

    /// The condition keys S3 derives from the signature.
    func conditionKeys(now: Date) -> [String: [String]] {
        switch self {
        case .sigV4: return ["s3:signatureversion": ["AWS4-HMAC-SHA256"], "s3:authType": ["REST-HEADER"]]
        case .sigV2: return ["s3:signatureversion": ["AWS"], "s3:authType": ["REST-HEADER"]]
        case .presignedV4(let signedAt, _):
            return [
                "s3:signatureversion": ["AWS4-HMAC-SHA256"], "s3:authType": ["REST-QUERY-STRING"],
                "s3:signatureAge": [String(max(0, Int((now.timeIntervalSince(signedAt) * 1000).rounded())))],
            ]
        case .presignedV2: return ["s3:signatureversion": ["AWS"], "s3:authType": ["REST-QUERY-STRING"]]
        case .anonymous: return [:]
        }
    }
}

extension S3 {
    /// The longest a Signature Version 4 presigned URL may live: seven days
    /// (ShareObjectPreSignedURL.md; S3 answers longer ones with
    /// AuthorizationQueryParametersError).
    public static let maxPresignedExpiry = 604_800

    /// The request context S3 evaluates policies with: the caller's extra keys,
    /// `aws:SecureTransport`, and the keys of the signature.
    static func requestContext(_ origin: Origin, now: Date) -> [String: [String]] {
        var context = origin.signature.conditionKeys(now: now)
        context["aws:SecureTransport"] = [origin.secureTransport ? "true" : "false"]
        for (key, value) in origin.context { context[key] = value }
        return context
    }

    /// Whether the request is unsigned: an anonymous caller, whatever it claims.
    static func isAnonymous(_ origin: Origin) -> Bool {
        if case .anonymous = origin.caller.principal.kind { return true }
        if case .anonymous = origin.signature { return true }
        return false
    }

    /// A presigned URL works until it expires (S3 checks at request time).
    static func checkSignatureLifetime(_ origin: Origin, now: Date) throws(ServiceError) {
        switch origin.signature {
        case .presignedV4(let signedAt, let expiresIn):
            guard (1...maxPresignedExpiry).contains(expiresIn) else {
                throw ServiceError(
                    "AuthorizationQueryParametersError",
                    "X-Amz-Expires must be less than a week (in seconds) that is 604800")
            }
            if now > signedAt + TimeInterval(expiresIn) {
                throw ServiceError("AccessDenied", "Request has expired")
            }
        case .presignedV2(let expires):
            if now > expires { throw ServiceError("AccessDenied", "Request has expired") }
        default:
            break
        }
    }

    /// GET and PUT of SSE-KMS (and DSSE-KMS) objects need Signature Version 4 over
    /// TLS (UsingKMSEncryption.md, "Requiring SSL/TLS and SigV4"; re:Post knowledge
    /// center "s3-kms-signature-version-error"): SigV2 and anonymous requests are
    /// refused with InvalidArgument, before S3 calls KMS.
    static func requireSigV4ForKMS(_ origin: Origin, events: [EngineEvent]) throws(ServiceError) {
        guard origin.secureTransport else {
            throw ServiceError(
                "InvalidArgument",
                "Requests specifying Server Side Encryption with AWS KMS managed keys must be made over a secure connection.",
                events: events)
        }
        guard !isAnonymous(origin), origin.signature.isSigV4 else {
            throw ServiceError(
                "InvalidArgument",
                "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.",
                events: events)
        }
    }
}
