import Foundation
import KBCrypto
import KBPolicy

/// The operations a grant may allow (kms/grants.md, "Grant operations"). They are
/// also the operations that accept a grant token.
public enum GrantOperation {
    public static let all: [String] = [
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
        "GenerateDataKeyWithoutPlaintext", "GenerateMac", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify",
        "VerifyMac", "CreateGrant", "DescribeKey", "GetPublicKey", "RetireGrant",
    ]

    /// Not valid in a grant for a symmetric encryption key: these belong to
    /// asymmetric and HMAC keys.
    static let notForSymmetricKeys: Set<String> = ["Sign", "Verify", "GenerateMac", "VerifyMac", "GetPublicKey"]

    /// Operations with an encryption context parameter: only these are held to a
    /// grant's constraints (DescribeKey and RetireGrant ignore them).
    static let takeEncryptionContext: Set<String> = [
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
        "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo",
    ]
}

/// Encryption-context grant constraints (kms/create-grant-overview.md, "Using grant
/// constraints"). In a constraint the context *keys* match without regard to case
/// and the values exactly (API reference, GrantConstraints).
public struct GrantConstraints: Sendable, Hashable {
    /// The request's context must be exactly these pairs.
    public var encryptionContextEquals: [String: String]?
    /// The request's context must include these pairs, and may have others.
    public var encryptionContextSubset: [String: String]?

    public init(encryptionContextEquals: [String: String]? = nil, encryptionContextSubset: [String: String]? = nil) {
        self.encryptionContextEquals = encryptionContextEquals
        self.encryptionContextSubset = encryptionContextSubset
    }

    /// The value of `kms:GrantConstraintType`.
    var typeNames: [String] {
        (encryptionContextEquals != nil ? ["EncryptionContextEquals"] : [])
            + (encryptionContextSubset != nil ? ["EncryptionContextSubset"] : [])
    }

    /// Whether a request with `context` satisfies every constraint.
    func admits(_ context: [String: String]) -> Bool {
        let request = Self.folded(context)
        if let equals = encryptionContextEquals, Self.folded(equals) != request { return false }
        if let subset = encryptionContextSubset, !Self.folded(subset).allSatisfy({ request[$0.key] == $0.value }) {
            return false
        }
        return true
    }

    /// A child grant made with CreateGrant permission from a parent grant must be at
    /// least as strict: it may add pairs to a subset, or turn a subset into an exact
    /// match that includes its pairs, never the reverse (create-grant-overview.md,
    /// "Granting CreateGrant permission").
    static func child(_ child: GrantConstraints?, isAtLeastAsStrictAs parent: GrantConstraints?) -> Bool {
        guard let parent else { return true }
        guard let child else { return false }
        let childEquals = child.encryptionContextEquals.map(folded)
        let childSubset = child.encryptionContextSubset.map(folded)
        if let equals = parent.encryptionContextEquals.map(folded) {
            guard childEquals == equals else { return false }
        }
        if let subset = parent.encryptionContextSubset.map(folded) {
            let covered = { (pairs: [String: String]?) in
                pairs.map { pairs in subset.allSatisfy { pairs[$0.key] == $0.value } } ?? false
            }
            guard covered(childEquals) || covered(childSubset) else { return false }
        }
        return true
    }

    /// Keys compared without case, values as they are.
    static func folded(_ pairs: [String: String]) -> [String: String] {
        Dictionary(pairs.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// Each constraint: at most 8 pairs, each value at most 384 characters.
    func validate() throws(ServiceError) {
        for pairs in [encryptionContextEquals, encryptionContextSubset].compactMap({ $0 }) {
            guard pairs.count <= 8, pairs.allSatisfy({ !$0.key.isEmpty && $0.value.count <= 384 }) else {
                throw ServiceError(
                    "ValidationException",
                    "A grant constraint takes at most 8 encryption context pairs, with non-empty keys and values of at most 384 characters."
                )
            }
        }
    }
}

/// One grant, as ListGrants shows it.
public struct GrantListEntry: Sendable, Hashable {
    public var keyId: String
    public var grantId: String
    public var name: String
    public var creationDate: Date
    public var granteePrincipal: String
    public var retiringPrincipal: String?
    /// The account the grant was created in, as `arn:aws:iam::ACCT:root`.
    public var issuingAccount: String
    public var operations: [String]
    public var constraints: GrantConstraints?
}

/// What CreateGrant answers.
public struct CreatedGrant: Sendable, Hashable {
    public var grantToken: String
    public var grantId: String
}

/// A grant as the world keeps it: its listing, its token, and when it was
/// retired or revoked (kept for the propagation window, then forgotten).
struct KMSGrant: Sendable {
    var entry: GrantListEntry
    var token: String
    var grantee: RequestPrincipal
    var retiring: RequestPrincipal?
    var retiredAt: Date?

    var permission: KeyGrantPermission {
        KeyGrantPermission(grantId: entry.grantId, grantee: grantee, operations: entry.operations)
    }

    /// Grants are eventually consistent (kms/grants.md, "Eventual consistency"):
    /// the world models the window as a fixed delay. A new grant counts without
    /// its token once the delay has passed; with its token, at once. A retired or
    /// revoked grant keeps working until the delay has passed.
    func isEffective(at now: Date, delay: TimeInterval, tokenPresented: Bool) -> Bool {
        if let retiredAt { return now < retiredAt + delay }
        return tokenPresented || now >= entry.creationDate + delay
    }

    func allows(_ operation: String) -> Bool { entry.operations.contains(operation) }
}
