import Crypto
import Foundation
import KBCrypto

/// Signs and verifies presigned URLs: query-string authentication with
/// Signature Version 4 (S3 API reference, "Authenticating Requests: Using Query
/// Parameters") and Version 2 (the deprecated "Query String Request
/// Authentication Alternative").
struct PresignedURLSigner {
    let credentials: AccessKey
    let region: String

    /// Role sessions send their session token with the request.
    var sessionToken: String? {
        guard credentials.expires != nil else { return nil }
        return Data(SHA256.hash(data: Array((credentials.id + credentials.secret).utf8))).base64EncodedString()
    }

    func sigV4(method: String, bucket: String, key: String, date: Date, expiresIn: Int) -> String {
        let host = Self.host(bucket: bucket, region: region)
        let stamp = Self.amzDate(date)
        var query: [(String, String)] = [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "\(credentials.id)/\(stamp.prefix(8))/\(region)/s3/aws4_request"),
            ("X-Amz-Date", stamp), ("X-Amz-Expires", String(expiresIn)), ("X-Amz-SignedHeaders", "host"),
        ]
        if let sessionToken { query.append(("X-Amz-Security-Token", sessionToken)) }
        let canonicalQuery = Self.canonicalQuery(query)
        let signature = sigV4Signature(
            method: method, host: host, path: Self.uriEncode(key, keepSlash: true), canonicalQuery: canonicalQuery,
            stamp: stamp)
        return "https://\(host)/\(Self.uriEncode(key, keepSlash: true))?\(canonicalQuery)&X-Amz-Signature=\(signature)"
    }

    func sigV2(method: String, bucket: String, key: String, expires: Int) -> String {
        let host = Self.host(bucket: bucket, region: region)
        var query: [(String, String)] = [("AWSAccessKeyId", credentials.id), ("Expires", String(expires))]
        let signature = sigV2Signature(method: method, bucket: bucket, key: key, expires: expires)
        query.append(("Signature", signature))
        if let sessionToken { query.append(("x-amz-security-token", sessionToken)) }
        return "https://\(host)/\(Self.uriEncode(key, keepSlash: true))?\(Self.canonicalQuery(query))"
    }

    /// Recomputes the signature of a parsed URL with these credentials.
    func verify(_ url: ParsedPresignedURL, method: String) -> Bool {
        if let given = url.query["X-Amz-Signature"] {
            guard let stamp = url.query["X-Amz-Date"],
                url.query["X-Amz-Credential"] == "\(credentials.id)/\(stamp.prefix(8))/\(region)/s3/aws4_request"
            else { return false }
            let rest = url.query.filter { $0.key != "X-Amz-Signature" }.map { ($0.key, $0.value) }
            let expected = sigV4Signature(
                method: method, host: url.host, path: Self.uriEncode(url.key, keepSlash: true),
                canonicalQuery: Self.canonicalQuery(rest), stamp: stamp)
            return expected == given
        }
        guard let given = url.query["Signature"], let expires = url.query["Expires"].flatMap({ Int($0) }) else {
            return false
        }
        return sigV2Signature(method: method, bucket: url.bucket, key: url.key, expires: expires) == given
    }

    func sigV4Signature(method: String, host: String, path: String, canonicalQuery: String, stamp: String) -> String {
        let canonicalRequest = [method, "/" + path, canonicalQuery, "host:\(host)", "", "host", "UNSIGNED-PAYLOAD"]
            .joined(separator: "\n")
        let day = String(stamp.prefix(8))
        let scope = "\(day)/\(region)/s3/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", stamp, scope, Hex.encode(SHA256.hash(data: Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        var signingKey = Array("AWS4\(credentials.secret)".utf8)
        for part in [day, region, "s3", "aws4_request"] {
            signingKey = Array(
                HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: SymmetricKey(data: signingKey)))
        }
        return Hex.encode(
            HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: SymmetricKey(data: signingKey)))
    }

    func sigV2Signature(method: String, bucket: String, key: String, expires: Int) -> String {
        var stringToSign = "\(method)\n\n\n\(expires)\n"
        if let sessionToken { stringToSign += "x-amz-security-token:\(sessionToken)\n" }
        stringToSign += "/\(bucket)/\(key)"
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: Array(stringToSign.utf8), using: SymmetricKey(data: Array(credentials.secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// Virtual-hosted–style endpoints; us-east-1 also answers at the global name.
    static func host(bucket: String, region: String) -> String {
        region == "us-east-1" ? "\(bucket).s3.amazonaws.com" : "\(bucket).s3.\(region).amazonaws.com"
    }

    static func canonicalQuery(_ items: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = items.map {
            (uriEncode($0.0, keepSlash: false), uriEncode($0.1, keepSlash: false))
        }
        let sorted = encoded.sorted { (a, b) -> Bool in a.name == b.name ? a.value < b.value : a.name < b.name }
        return sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    /// SigV4's URI encoding: every byte but `A-Za-z0-9-_.~` (and `/` in paths) as %XX.
    static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if Self.unreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.unicodeScalars.append(scalar)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func unreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// `20260101T000000Z`.
    static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0, parts.second ?? 0)
    }

    static func parseAmzDate(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        var components = DateComponents()
        components.timeZone = TimeZone(identifier: "UTC")
        components.year = number(0..<4)
        components.month = number(4..<6)
        components.day = number(6..<8)
        components.hour = number(9..<11)
        components.minute = number(11..<13)
        components.second = number(13..<15)
        return Calendar(identifier: .gregorian).date(from: components)
    }
}

/// A presigned (or plain) object URL, taken apart.
struct ParsedPresignedURL {
    var https: Bool
    var host: String
    var bucket: String
    var region: String
    var key: String
    var query: [String: String]

    init?(_ text: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = components.host?.lowercased()
        else { return nil }
        let labels = host.split(separator: ".")
        guard let s3 = labels.firstIndex(of: "s3"), s3 > 0, labels.last == "com", labels.dropLast().last == "amazonaws"
        else { return nil }
        let between = labels[(s3 + 1)..<(labels.count - 2)]
        https = scheme == "https"
        self.host = host
        bucket = labels[..<s3].joined(separator: ".")
        region = between.first.map(String.init) ?? "us-east-1"
        key = String(components.percentEncodedPath.dropFirst()).removingPercentEncoding ?? ""
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        self.query = query
        guard !bucket.isEmpty, !key.isEmpty else { return nil }
    }

    var accessKeyId: String? {
        if let credential = query["X-Amz-Credential"] { return credential.split(separator: "/").first.map(String.init) }
        return query["AWSAccessKeyId"]
    }

    /// How the URL is signed, with what S3 needs to check its lifetime.
    var signatureVersion: RequestSignature? {
        if query["X-Amz-Signature"] != nil {
            guard let date = query["X-Amz-Date"].flatMap(PresignedURLSigner.parseAmzDate),
                let expires = query["X-Amz-Expires"].flatMap({ Int($0) })
            else { return nil }
            return .presignedV4(signedAt: date, expiresIn: expires)
        }
        if query["Signature"] != nil, let expires = query["Expires"].flatMap({ TimeInterval($0) }) {
            return .presignedV2(expires: Date(timeIntervalSince1970: expires))
        }
        return nil
    }
}
