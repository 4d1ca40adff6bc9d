import KBBlocks
import KBJSON
import KBPolicy
import KBPolicyLint

/// Which of a guide's blocks describe one setup, so cross-block checks compare
/// only blocks the guide ties together. A page of independent examples (AWS's
/// "Example 1 … Example 9") is several setups; a walkthrough is one.
///
/// Evidence that blocks belong together, each enough on its own:
/// - the front matter declares a setup (`kbtool:`): the whole guide is one;
/// - no two blocks are the same kind of policy or configuration: a walkthrough
///   shows one bucket policy, one key policy, one identity policy, whatever its
///   sections; a page of examples shows several of one kind;
/// - they sit in one section (under one heading, a run of numbered steps included);
/// - they name the same bucket, key, or IAM user or role: a walkthrough's steps
///   sit under several headings but keep naming the same resources.
///
/// Account ids alone do not tie blocks: AWS's examples all use `111122223333`.
public enum GuideSetups {
    /// Groups of indices into `blocks`, each in document order, ordered by first block.
    public static func partition(_ blocks: [ClassifiedBlock], declared: Bool) -> [[Int]] {
        guard !declared, blocks.count > 1, repeatsAKind(blocks) else {
            return blocks.isEmpty ? [] : [Array(blocks.indices)]
        }
        var parent = Array(blocks.indices)
        func root(_ index: Int) -> Int {
            var index = index
            while parent[index] != index {
                parent[index] = parent[parent[index]]
                index = parent[index]
            }
            return index
        }
        func join(_ a: Int, _ b: Int) {
            let (ra, rb) = (root(a), root(b))
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        var bySection: [Int: Int] = [:]
        var byName: [String: Int] = [:]
        for (index, block) in blocks.enumerated() {
            if let first = bySection[block.section] { join(first, index) } else { bySection[block.section] = index }
            for name in names(block) {
                if let first = byName[name] { join(first, index) } else { byName[name] = index }
            }
        }
        var groups: [Int: [Int]] = [:]
        for index in blocks.indices { groups[root(index), default: []].append(index) }
        return groups.keys.sorted().map { groups[$0]! }
    }

    /// Whether two blocks are the same kind of policy or configuration.
    static func repeatsAKind(_ blocks: [ClassifiedBlock]) -> Bool {
        var seen: Set<BlockKind> = []
        for block in blocks where block.policyKind != nil || block.kind == .configuration(.bucketEncryption) {
            if !seen.insert(block.kind).inserted { return true }
        }
        return false
    }

    /// The resources and principals a block names that tie it to others: bucket
    /// names, KMS key ARNs, IAM user and role ARNs. Placeholders count too
    /// (`arn:aws:s3:::amzn-s3-demo-bucket`): within one page a repeated stand-in
    /// names one thing.
    static func names(_ block: ClassifiedBlock) -> Set<String> {
        var names: Set<String> = []
        if block.kind == .configuration(.bucketEncryption) {
            for rule in block.value?["Rules"]?.elements ?? [] {
                if let key = rule["ApplyServerSideEncryptionByDefault"]?["KMSMasterKeyID"]?.string {
                    names.insert("key:" + key)
                }
            }
        }
        for statement in block.document?.statements ?? [] {
            for resource in statement.resources?.values ?? [] {
                if let bucket = GuideScenario.bucketName(resource.value) {
                    names.insert("bucket:" + bucket)
                } else if let arn = ARN(resource.value), arn.service == "kms", !arn.resource.hasSuffix("*") {
                    names.insert("key:" + resource.value)
                }
            }
            for entry in statement.principal?.entries ?? [] where entry.type == .aws {
                if let arn = ARN(entry.value.value), arn.resource != "root", !arn.resource.contains("*") {
                    names.insert("principal:" + entry.value.value)
                }
            }
        }
        return names
    }
}
