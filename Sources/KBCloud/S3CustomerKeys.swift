import Crypto
import Foundation
import KBCrypto

/// An SSE-C key as a request carries it: the algorithm, the 256-bit key and the
/// base64 MD5 of the key (ServerSideEncryptionCustomerKeys.md, "Specifying
/// server-side encryption with customer-provided keys"). The key lives only in
/// the request: S3 keeps a salted HMAC of it to check later requests.
public struct CustomerKey: Sendable, Hashable {
    /// `x-amz-server-side-encryption-customer-algorithm`: must be `AES256`.
    public var algorithm: String
    /// The raw key bytes (the request carries them base64-encoded).
    public var key: [UInt8]
    /// `…-customer-key-MD5` as sent; nil means the client computed it, as the AWS
    /// CLI and SDKs do.
    public var keyMD5: String?

    public init(algorithm: String = "AES256", key: [UInt8], keyMD5: String? = nil) {
        self.algorithm = algorithm
        self.key = key
        self.keyMD5 = keyMD5
    }

    /// The base64 MD5 digest of the key (RFC 1321), as S3 computes it.
    public var computedMD5: String { Data(Insecure.MD5.hash(data: key)).base64EncodedString() }

    /// S3's checks of the three headers, in its order and with its errors.
    func validate() throws(ServiceError) {
        guard algorithm == "AES256" else {
            throw ServiceError(
                "InvalidEncryptionAlgorithmError",
                "The encryption request you specified is not valid. The valid value is AES256.")
        }
        guard key.count == 32 else {
            throw ServiceError("InvalidArgument", "The secret key was invalid for the specified algorithm.")
        }
        if let keyMD5, keyMD5 != computedMD5 {
            throw ServiceError(
                "InvalidArgument", "The calculated MD5 hash of the key did not match the hash that was provided.")
        }
    }
}

/// What S3 keeps of an SSE-C key: a random salt and the HMAC of the key under
/// it. It proves a later request brings the same key and cannot give the key back.
struct CustomerKeyCheck: Sendable, Hashable {
    var salt: [UInt8]
    var mac: [UInt8]
    /// Echoed in responses (`SSECustomerKeyMD5`); a digest, not the key.
    var keyMD5: String

    init(_ key: CustomerKey, salt: [UInt8]) {
        self.salt = salt
        self.mac = Self.mac(key.key, salt: salt)
        self.keyMD5 = key.computedMD5
    }

    func matches(_ key: CustomerKey) -> Bool {
        // Compared in constant time, as a key check should be.
        let other = Self.mac(key.key, salt: salt)
        return other.count == mac.count && zip(other, mac).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func mac(_ key: [UInt8], salt: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: key, using: SymmetricKey(data: salt)))
    }
}

extension S3 {
    /// SSE-C needs HTTPS: S3 rejects the request, key and all, over HTTP
    /// (ServerSideEncryptionCustomerKeys.md, "SSE-C overview").
    static func requireTLSForCustomerKey(_ origin: Origin, _ key: CustomerKey?) throws(ServiceError) {
        guard key != nil, !origin.secureTransport else { return }
        throw ServiceError(
            "InvalidRequest",
            "Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection."
        )
    }

    /// Checks a read (GET, HEAD, the source of a copy, a part upload) against
    /// how the object is stored: an SSE-C object needs its key, and only its key;
    /// a key given for another object is an error.
    static func checkCustomerKey(_ stored: CustomerKeyCheck?, _ given: CustomerKey?, events: [EngineEvent])
        throws(ServiceError)
    {
        switch (stored, given) {
        case (nil, nil):
            return
        case (nil, .some):
            throw ServiceError(
                "InvalidRequest", "The encryption parameters are not applicable to this object.", events: events)
        case (.some, nil):
            throw ServiceError(
                "InvalidRequest",
                "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.",
                events: events)
        case (let stored?, let given?):
            try given.validate()
            // A wrong key is a 403, as for any other denial.
            guard stored.matches(given) else { throw ServiceError("AccessDenied", "Access Denied", events: events) }
        }
    }

    /// The condition key S3 sets from the SSE-C algorithm header.
    static func customerKeyContext(_ key: CustomerKey?) -> [String: [String]] {
        key.map { ["s3:x-amz-server-side-encryption-customer-algorithm": [$0.algorithm]] } ?? [:]
    }
}
