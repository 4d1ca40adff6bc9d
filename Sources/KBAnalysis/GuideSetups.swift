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
///   sit under several headings but keep naming the same resources;
/// - they sit in one run of `Step N` headings: a walkthrough;
/// - the paragraph before a block refers back to another ("the key policy
///   above", "the policy from step 2", "the role you created in the previous
///   step"): see ``BackReference``.
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
        var byRun: [Int: Int] = [:]
        for (index, block) in blocks.enumerated() {
            if let first = bySection[block.section] { join(first, index) } else { bySection[block.section] = index }
            for name in names(block) {
                if let first = byName[name] { join(first, index) } else { byName[name] = index }
            }
            if let run = block.steps.first?.scope {
                if let first = byRun[run] { join(first, index) } else { byRun[run] = index }
            }
            for referenced in referencedBlocks(blocks, from: index) { join(referenced, index) }
        }
        var groups: [Int: [Int]] = [:]
        for index in blocks.indices { groups[root(index), default: []].append(index) }
        return groups.keys.sorted().map { groups[$0]! }
    }

    /// The earlier blocks the paragraph before `blocks[index]` points back at.
    /// A block introduced by the same paragraph is never "earlier": that
    /// paragraph presents both.
    static func referencedBlocks(_ blocks: [ClassifiedBlock], from index: Int) -> [Int] {
        let block = blocks[index]
        guard let paragraph = block.paragraph else { return [] }
        let earlier = blocks.indices.filter { $0 < index && blocks[$0].paragraph != paragraph }
        var found: [Int] = []
        for reference in BackReference.references(in: paragraph) {
            switch reference {
            case .step(let number):
                found += inStep(number, of: block, among: earlier.map { ($0, blocks[$0]) })
            case .previousStep:
                for step in block.steps {
                    found += inStep(step.number - 1, of: block, among: earlier.map { ($0, blocks[$0]) })
                }
            case .earlierSteps:
                found += earlier.filter { other in
                    blocks[other].steps.contains { step in
                        block.steps.contains { $0.scope == step.scope && step.number < $0.number }
                    }
                }
            case .earlier(let kind):
                if let nearest = earlier.last(where: { blocks[$0].isShown(as: kind) }) { found.append(nearest) }
            }
        }
        return found
    }

    /// The blocks of step `number` in the first series of `block`'s own steps
    /// (outermost first) that has one; a block outside any series looks in the
    /// last series shown before it.
    static func inStep(_ number: Int, of block: ClassifiedBlock, among earlier: [(Int, ClassifiedBlock)]) -> [Int] {
        var scopes = block.steps.map(\.scope)
        if scopes.isEmpty, let last = earlier.last(where: { !$0.1.steps.isEmpty })?.1.steps.first?.scope {
            scopes = [last]
        }
        for scope in scopes {
            let matching = earlier.filter { $0.1.steps.contains(ClassifiedBlock.Step(number: number, scope: scope)) }
            if !matching.isEmpty { return matching.map(\.0) }
        }
        return []
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

extension ClassifiedBlock {
    /// Whether prose naming `kind` of policy (nil: any policy) can mean this block:
    /// a policy of that kind, or a statement the prose around it says belongs to one.
    func isShown(as kind: PolicyKind?) -> Bool {
        guard let kind else { return document != nil }
        return policyKind == kind || (self.kind == .statement && proseKind == kind)
    }
}
