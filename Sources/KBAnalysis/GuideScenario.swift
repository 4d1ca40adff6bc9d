import KBBlocks
import KBDiagnostics
import KBGuide
import KBJSON
import KBPolicy
import KBPolicyLint

/// A value a block names, and where.
public struct Mention: Sendable, Hashable {
    public var value: String
    public var range: SourceRange
    /// Index of the block in `GuideScenario.blocks`.
    public var block: Int
}

/// The world a guide's blocks describe: the bucket, the key, the accounts and
/// the partner's principal, with every place each is named.
///
/// Built from the policies alone, so it works on guides written elsewhere:
/// bare ```` ```json ```` blocks, no transcripts, placeholders everywhere.
public struct GuideScenario: Sendable {
    public var blocks: [ClassifiedBlock]
    /// Bucket names from S3 ARNs (`arn:aws:s3:::NAME` and `NAME/*`).
    public var buckets: [Mention] = []
    /// KMS key ARNs or ids named in policies' resources and in encryption configurations.
    public var keys: [Mention] = []
    /// The account that owns the bucket and the key.
    public var ownerAccount: String?
    /// Principals in resource policies that are not the owner account's.
    public var partners: [Mention] = []

    public func blocks(of kind: PolicyKind) -> [Int] {
        blocks.indices.filter { blocks[$0].policyKind == kind }
    }

    public var encryptionBlocks: [Int] {
        blocks.indices.filter { blocks[$0].kind == .configuration(.bucketEncryption) }
    }

    public static func build(_ blocks: [ClassifiedBlock]) -> GuideScenario {
        var scenario = GuideScenario(blocks: blocks)
        var ownerVotes: [String: Int] = [:]
        for (index, block) in blocks.enumerated() {
            let locate = block.code.locator
            if block.kind == .configuration(.bucketEncryption) {
                for rule in block.value?["Rules"]?.elements ?? [] {
                    if let key = rule["ApplyServerSideEncryptionByDefault"]?["KMSMasterKeyID"], let text = key.string {
                        scenario.keys.append(Mention(value: text, range: locate.range(key.range), block: index))
                        if let account = ARN(text)?.account, ARN.isAccountID(account) {
                            ownerVotes[account, default: 0] += 2
                        }
                    }
                }
                continue
            }
            guard let document = block.document else { continue }
            for statement in document.statements {
                for resource in statement.resources?.values ?? [] {
                    let range = locate.range(resource.range)
                    if let name = bucketName(resource.value) {
                        scenario.buckets.append(Mention(value: name, range: range, block: index))
                    } else if let arn = ARN(resource.value), arn.service == "kms" {
                        scenario.keys.append(Mention(value: resource.value, range: range, block: index))
                        if ARN.isAccountID(arn.account) { ownerVotes[arn.account, default: 0] += 2 }
                    }
                }
            }
            // The key policy's administrative root statement names the owner.
            if let account = block.statedOwner, ARN.isAccountID(account) { ownerVotes[account, default: 0] += 1 }
        }
        scenario.ownerAccount = ownerVotes.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
        for (index, block) in blocks.enumerated() where [.bucket, .key].contains(block.policyKind) {
            // The key's administrative root written with a placeholder account
            // (`arn:aws:iam::ACCOUNT-ID:root`) is the owner's, not a partner.
            let ownRoot = block.administrativeRoot.flatMap { RequestPrincipal($0) == nil ? $0 : nil }
            for statement in block.document?.statements ?? [] where statement.effect.value == .allow {
                for entry in statement.principal?.entries ?? [] where entry.type == .aws && entry.value.value != ownRoot
                {
                    let text = entry.value.value
                    let account = ARN(text)?.account ?? (ARN.isAccountID(text) ? text : nil)
                    guard let account, account != scenario.ownerAccount else { continue }
                    scenario.partners.append(
                        Mention(value: text, range: block.code.locator.range(entry.value.range), block: index))
                }
            }
        }
        return scenario
    }

    /// `arn:aws:s3:::NAME`, `arn:aws:s3:::NAME/*` → NAME.
    public static func bucketName(_ resource: String) -> String? {
        guard let arn = ARN(resource), arn.service == "s3", arn.account.isEmpty, arn.region.isEmpty else { return nil }
        let name = arn.resource.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        return name.isEmpty || name == "*" ? nil : name
    }
}
