import Foundation
import KBCLIModel
import KBCloud
import KBJSON

/// SSE-C on the command line: `--sse-customer-algorithm`, `--sse-customer-key`,
/// `--sse-customer-key-md5` (and the `--copy-source-` ones), as botocore sends
/// them. The CLI takes the key itself (text, or `fileb://`), base64-encodes it
/// and adds its MD5, unless `--sse-customer-key-md5` is given: then the key is
/// sent as written, and must already be base64 (aws/aws-cli#6906).
enum S3APICustomerKeys {
    /// The request's customer key, if it names one.
    static func customerKey(_ call: Invocation, prefix: String = "") throws(CommandFailure) -> CustomerKey? {
        let algorithm = call.string(prefix + "sse-customer-algorithm")
        let key = call.bytes(prefix + "sse-customer-key")
        let md5 = call.string(prefix + "sse-customer-key-md5")
        switch (algorithm, key) {
        case (nil, nil):
            return nil
        case (_?, nil):
            throw .service(
                ServiceError(
                    "InvalidArgument",
                    "Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key."
                ))
        case (nil, _?):
            throw .service(
                ServiceError(
                    "InvalidArgument",
                    "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm."
                ))
        case (let algorithm?, let key?):
            guard let md5 else { return CustomerKey(algorithm: algorithm, key: key) }
            // Sent as written: S3 reads it as base64.
            let decoded = Data(base64Encoded: String(decoding: key, as: UTF8.self)).map(Array.init) ?? []
            return CustomerKey(algorithm: algorithm, key: decoded, keyMD5: md5)
        }
    }

    /// The SSE-C response fields.
    static func fields(algorithm: String?, keyMD5: String?) -> [(String, JSONValue?)] {
        [("SSECustomerAlgorithm", algorithm.map(Response.string)), ("SSECustomerKeyMD5", keyMD5.map(Response.string))]
    }
}
