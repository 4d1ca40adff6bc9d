/// An Amazon Resource Name, split into its six parts. Parsing is strict about the
/// shape (`arn:partition:service:region:account:resource`) and lenient about
/// content, so a pattern such as `arn:aws:s3:::bucket/*` parses too.
public struct ARN: Hashable, Sendable, CustomStringConvertible {
    public var partition: String
    public var service: String
    public var region: String
    public var account: String
    /// Everything after the fifth colon, e.g. `key/1234…`, `role/path/Name`, `bucket/key`.
    public var resource: String

    public init?(_ text: String) {
        // Scanned as UTF-8 bytes: the engine parses an ARN on every request, and
        // `split` on Characters was a tenth of an S3 PutObject's time.
        let utf8 = text.utf8
        guard utf8.starts(with: "arn:".utf8) else { return nil }
        var fields: [Substring] = []
        fields.reserveCapacity(5)
        var start = utf8.index(utf8.startIndex, offsetBy: 4)
        var index = start
        while fields.count < 4, index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: ":") {
                fields.append(text[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        guard fields.count == 4, !fields[0].isEmpty, !fields[1].isEmpty else { return nil }
        partition = String(fields[0])
        service = String(fields[1])
        region = String(fields[2])
        account = String(fields[3])
        resource = String(text[start...])
    }

    public init(partition: String = "aws", service: String, region: String, account: String, resource: String) {
        self.partition = partition
        self.service = service
        self.region = region
        self.account = account
        self.resource = resource
    }

    public var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }

    /// The resource part's type and rest: `role/path/Name` → ("role", "path/Name").
    public var resourceType: (type: String, rest: String) {
        if let slash = resource.firstIndex(where: { $0 == "/" || $0 == ":" }) {
            return (String(resource[..<slash]), String(resource[resource.index(after: slash)...]))
        }
        return (resource, "")
    }

    /// Whether this is an account id: twelve digits.
    public static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
