import KBPolicy

/// What a policy document is for. Checks depend on it: an identity policy has
/// no `Principal`, a key policy's `Resource` is `*`, a trust policy has none.
public enum PolicyKind: String, Sendable, CaseIterable {
    case identity = "identity-policy"
    case bucket = "bucket-policy"
    case key = "key-policy"
    case trust = "trust-policy"
    case scp = "scp"
    case rcp = "rcp"

    /// Accepts the rawValue and short forms (`identity`, `bucket`, `key`, `trust`).
    public init?(attribute: String) {
        let lowered = attribute.lowercased()
        if let kind = PolicyKind(rawValue: lowered) {
            self = kind
        } else if let kind = PolicyKind.allCases.first(where: { $0.rawValue.hasPrefix(lowered + "-") }) {
            self = kind
        } else {
            return nil
        }
    }

    /// A kind named by a file name or block title such as `key-policy.json`,
    /// `partner-identity.json` or `RoleTrustPolicy.json`; nil when the name says
    /// nothing. Whole words only: `AWSTrustedAdvisor…` names no trust policy.
    public init?(fileName: String) {
        let words = Self.words(fileName)
        func has(_ word: String, before next: String? = nil) -> Bool {
            words.indices.contains { index in
                words[index] == word && (next == nil || (index + 1 < words.count && words[index + 1] == next))
            }
        }
        if has("identity") {
            self = .identity
        } else if has("bucket", before: "policy") {
            self = .bucket
        } else if has("key", before: "policy") {
            self = .key
        } else if has("trust") {
            self = .trust
        } else if has("scp") {
            self = .scp
        } else if has("rcp") {
            self = .rcp
        } else {
            return nil
        }
    }

    /// A name's words, lowercased: split at anything but letters and digits, and
    /// at camel-case boundaries (`AWSTrustedAdvisor` → aws, trusted, advisor).
    static func words(_ name: String) -> [String] {
        // Only ASCII letters and digits make words, so the bytes are enough.
        let bytes = Array(name.utf8)
        func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
        func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
        var words: [String] = []
        var start = 0
        func flush(_ end: Int) {
            if start < end { words.append(String(decoding: bytes[start..<end].map { $0 | 0x20 }, as: UTF8.self)) }
        }
        for (index, byte) in bytes.enumerated() {
            guard isUpper(byte) || isLower(byte) || (byte >= 0x30 && byte <= 0x39) else {
                flush(index)
                start = index + 1
                continue
            }
            if isUpper(byte), index > start {
                let previous = bytes[index - 1]
                let nextIsLower = index + 1 < bytes.count && isLower(bytes[index + 1])
                if isLower(previous) || (isUpper(previous) && nextIsLower) {
                    flush(index)
                    start = index
                }
            }
        }
        flush(bytes.count)
        return words
    }

    /// Resource-based policies name who they apply to.
    public var needsPrincipal: Bool { self == .bucket || self == .key || self == .trust || self == .rcp }
    public var allowsPrincipal: Bool { needsPrincipal }
    /// The services whose resources a resource policy of this kind is attached to
    /// (S3 on Outposts, directory buckets and Object Lambda access points have bucket
    /// policies too): their actions and ARNs are the only ones the policy can govern.
    public var resourceServices: Set<String>? {
        switch self {
        case .bucket: return ["s3", "s3-outposts", "s3express", "s3-object-lambda"]
        case .key: return ["kms"]
        default: return nil
        }
    }
    /// Trust policies have no `Resource`; every other kind needs one.
    public var needsResource: Bool { self != .trust }

    /// The quota on a document's size (semantics.md §2.8 and the IAM quotas), and
    /// what else to know about it. An identity policy's quota depends on where it
    /// is attached; like Access Analyzer when it does not know, kbtool applies the
    /// largest, 10,240 (inline policies of a role).
    public var sizeLimit: (limit: Int, countsWhitespace: Bool, unit: String, note: String?) {
        switch self {
        case .key: return (32_768, true, "bytes", nil)
        case .bucket: return (20_480, true, "bytes", nil)
        case .identity:
            return (
                10_240, false, "characters without white space",
                "a managed policy may have 6,144 characters; a role's inline policies 10,240 together, a user's 2,048, a group's 5,120"
            )
        case .scp, .rcp: return (5_120, true, "characters", nil)
        case .trust:
            return (
                2_048, false, "characters without white space",
                "the quota can be raised to 4,096 through Service Quotas"
            )
        }
    }

    public var displayName: String {
        switch self {
        case .identity: return "identity policy"
        case .bucket: return "bucket policy"
        case .key: return "key policy"
        case .trust: return "trust policy"
        case .scp: return "service control policy"
        case .rcp: return "resource control policy"
        }
    }

    /// Whether a document's structure allows this kind, for a kind a name
    /// suggests: a resource policy names principals, so a document that names none
    /// is not one, whatever its name (`AWSOrganizationsServiceTrustPolicy` is a
    /// permissions policy). A stray Principal in an identity policy is a mistake
    /// to report, not evidence against its name.
    public func fits(_ document: PolicyDocument) -> Bool {
        guard needsPrincipal, !document.statements.isEmpty else { return true }
        return document.statements.contains { $0.principal != nil }
    }

    /// Infers the kind from the document's structure, with the evidence.
    public static func infer(_ document: PolicyDocument) -> (kind: PolicyKind, evidence: String) {
        let statements = document.statements
        let withPrincipal = statements.filter { $0.principal != nil }
        guard !withPrincipal.isEmpty else {
            return (.identity, "no statement has a Principal")
        }
        let actions = statements.flatMap { $0.actions?.values.map { $0.value.lowercased() } ?? [] }
        let resources = statements.flatMap { $0.resources?.values.map(\.value) ?? [] }
        if !actions.isEmpty,
            actions.allSatisfy({
                $0.hasPrefix("sts:assumerole") || $0 == "sts:tagsession" || $0 == "sts:setsourceidentity"
            }),
            resources.isEmpty
        {
            return (.trust, "every action is sts:AssumeRole* and there is no Resource")
        }
        if let id = document.id?.value.lowercased(), id.hasPrefix("key-") {
            return (.key, "its Id '\(document.id!.value)' is a key policy id")
        }
        if resources.contains(where: { $0.hasPrefix("arn:aws:s3:") || $0.hasPrefix("arn:aws-") && $0.contains(":s3:") })
        {
            return (.bucket, "it has a Principal and S3 resource ARNs")
        }
        if actions.contains(where: { $0.hasPrefix("kms:") }), resources.allSatisfy({ $0 == "*" }) {
            return (.key, "it has a Principal, kms actions and Resource \"*\"")
        }
        return (.bucket, "it has a Principal")
    }
}
