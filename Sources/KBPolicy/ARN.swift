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
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        partition = String(parts[1])
        service = String(parts[2])
        region = String(parts[3])
        account = String(parts[4])
        resource = String(parts[5])
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
        text.count == 12 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
