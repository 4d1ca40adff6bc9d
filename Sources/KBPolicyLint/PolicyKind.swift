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

    /// A kind named by a file name or block title such as `key-policy.json` or
    /// `partner-identity.json`; nil when the name says nothing.
    public init?(fileName: String) {
        let name = Array(fileName.lowercased().utf8)
        let hints: [(String, PolicyKind)] = [
            ("identity", .identity), ("bucket-policy", .bucket), ("bucket_policy", .bucket), ("key-policy", .key),
            ("key_policy", .key), ("trust", .trust), ("scp", .scp), ("rcp", .rcp),
        ]
        func contains(_ needle: String) -> Bool {
            let bytes = Array(needle.utf8)
            guard bytes.count <= name.count else { return false }
            return (0...(name.count - bytes.count)).contains { name[$0..<$0 + bytes.count].elementsEqual(bytes) }
        }
        guard let (_, kind) = hints.first(where: { contains($0.0) }) else { return nil }
        self = kind
    }

    /// Resource-based policies name who they apply to.
    public var needsPrincipal: Bool { self == .bucket || self == .key || self == .trust || self == .rcp }
    public var allowsPrincipal: Bool { needsPrincipal }
    /// Trust policies have no `Resource`; every other kind needs one.
    public var needsResource: Bool { self != .trust }

    /// The quota on a document's size (semantics.md §2.8 and the IAM quotas).
    public var sizeLimit: (limit: Int, countsWhitespace: Bool, unit: String) {
        switch self {
        case .key: return (32_768, true, "bytes")
        case .bucket: return (20_480, true, "bytes")
        case .identity: return (6_144, false, "characters without white space")
        case .scp, .rcp: return (5_120, true, "characters")
        case .trust: return (2_048, false, "characters without white space")
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
