import Foundation
import KBBlocks
import KBDiagnostics
import KBGuide
import KBPolicy
import KBPolicyLint

extension Rule {
    /// A bucket spelled two ways across (or within) blocks.
    public static let guideBucketSpelling = Rule(
        "guide-bucket-spelling", .warning,
        summary: "Two bucket names a few letters apart appear in the guide's policies: probably one bucket misspelt.",
        why:
            "A policy that names the misspelt bucket grants nothing on the real one; the reader's access fails with no hint that a letter is wrong.",
        fix: "Spell the bucket the same way in every block; the related locations list each spelling.",
        example:
            "the bucket is 'example-reprts' here but 'example-reports' elsewhere in the guide; they are probably one bucket"
    )

    /// Whether the guide's cross-account flow works, and why not.
    public static let guideFlow = Rule(
        "guide-flow", .error,
        summary:
            "The guide's cross-account flow (the partner's PutObject, GetObject and ListBucket on the owner's SSE-KMS bucket), run in the engine with the guide's own policies: whether it works, and which policy denies if not.",
        why:
            "Each policy can be valid on its own while the set does not work: across accounts the identity policy, the bucket policy and the key policy must all allow every request.",
        fix:
            "Change the block the finding points at; the note gives the evaluator's reason. A note says when the guide lacks a policy the flow needs, or never grants an action (then it is not taken as part of the flow).",
        example:
            "the partner's GetObject is denied by the key policy (kms:Decrypt on arn:aws:kms:us-east-1:111122223333:key/…)"
    )

    /// The identity policy names bucket resources the bucket policy does not grant.
    public static let guideIdentityNotCovered = Rule(
        "guide-identity-not-covered", .warning,
        summary: "The partner's identity policy grants a bucket resource that no bucket policy statement covers.",
        why:
            "Across accounts the bucket policy must allow the request too, so the identity policy's grant on that resource is dead, and readers are told it works.",
        fix: "Add the resource to the bucket policy's statement for the partner, or drop it from the identity policy.",
        example:
            "the identity policy grants 'arn:aws:s3:::example-reports/archive/*', which the bucket policy does not cover"
    )

    /// The identity policy names a different key from the one the bucket uses.
    public static let guideKeyMismatch = Rule(
        "guide-key-mismatch", .error,
        summary: "The identity policy names a KMS key other than the one the bucket's default encryption uses.",
        why:
            "S3 calls KMS with the bucket's key on the caller's behalf; permission on another key does not help, so every put and get is denied.",
        fix: "Name the bucket's key ARN (the one in the encryption configuration) in the identity policy.")

    /// The prose calls a block one kind of policy, its structure another.
    public static let guideKindConflict = Rule(
        "guide-kind-conflict", .warning,
        summary: "The text around a JSON block calls it one kind of policy, but its structure reads as another.",
        why:
            "Readers attach it where the text says; a bucket policy pasted as an identity policy (or the reverse) is rejected or grants nothing.",
        fix: "Fix whichever is wrong, the text or the policy, or state the kind with `kind=` on the fence.",
        example:
            "the text calls this block a key policy, but it reads as a identity policy: no statement has a Principal")

    /// Two placeholders spelled alike, probably meant to be one.
    public static let guidePlaceholderSpelling = Rule(
        "guide-placeholder-spelling", .warning,
        summary: "Two placeholders a few letters apart appear in the guide: probably one value spelt two ways.",
        why: "A reader replaces one and leaves the other, so the pasted policies name a value that does not exist.",
        fix: "Spell the placeholder the same way everywhere.",
        example:
            "'arn-of-the-exisiting-acct-role' and 'arn-of-the-existing-account-role' are spelled alike: probably one placeholder"
    )

    /// The bucket policy lets a principal in whom the key policy does not.
    public static let guidePrincipalMismatch = Rule(
        "guide-principal-mismatch", .warning,
        summary: "The bucket policy lets a principal in that the key policy does not let use the key.",
        why: "With SSE-KMS every get and put also needs the key, so that principal's requests are denied.",
        fix: "Grant the same principal kms:Decrypt and kms:GenerateDataKey in the key policy (or its account's root).")
}

extension FlowResult {
    /// One line for `verify`'s summary: "works: ROLE can PutObject, GetObject in 'B' with KEY".
    public var summary: String {
        guard missing.isEmpty else { return "cannot run: the guide lacks \(ListFormat.and(missing))" }
        let granted = steps.filter(\.intended).map(\.operation).joined(separator: ", ")
        let left = steps.filter { !$0.intended }.map(\.operation)
        let leftText =
            left.isEmpty ? "" : " (\(left.joined(separator: ", ")) not granted by any policy: not part of the flow)"
        guard works else {
            let denied = steps.filter { !$0.allowed && $0.intended }.map(\.operation).joined(separator: ", ")
            return "fails: \(partner) is denied \(denied) in '\(bucket)'"
        }
        return "works: \(partner) can \(granted) in '\(bucket)' with \(keyARN)\(leftText)"
    }
}

/// Checks a guide as a whole: its blocks against each other, and the flow they
/// describe run in the engine.
public enum GuideAnalysis {
    public struct Report: Sendable {
        /// The guide's JSON documents (policies, statements, configurations, data).
        public var blocks: [ClassifiedBlock] = []
        public var flow: FlowResult?
        /// Blocks that disagree with each other or with the prose around them.
        public var consistency: [Diagnostic] = []
        /// Why the cross-account flow fails, or cannot run.
        public var flowFindings: [Diagnostic] = []
        /// Wildcard grants the flow's own actions would replace.
        public var leastPrivilege: [Diagnostic] = []
        /// The account that owns the bucket and key, as the blocks tell it.
        public var owner: String?
        /// The owner each block's setup names, by the block's fence line: on a page
        /// of independent examples each example's key policy says whose key it is.
        /// Empty when the setup names no owner.
        public var setupOwners: [Int: String] = [:]

        /// Every finding, in report order.
        public var diagnostics: [Diagnostic] { consistency + flowFindings + leastPrivilege }
    }

    public static func analyze(_ guide: ClassifiedGuide) -> Report {
        let blocks = guide.documents
        var report = Report(blocks: blocks)
        report.owner = GuideScenario.build(blocks).ownerAccount
        report.consistency += kindConflicts(blocks)
        // Blocks are compared only with blocks of their own setup.
        let declared = guide.guide.frontMatter?.value?["kbtool"] != nil
        let setups = GuideSetups.partition(blocks, declared: declared).map {
            GuideScenario.build($0.map { blocks[$0] })
        }
        for scenario in setups {
            for block in scenario.blocks { report.setupOwners[block.line] = scenario.ownerAccount ?? "" }
            let spellings = bucketSpellings(scenario)
            report.consistency += spellings.diagnostics
            report.consistency += placeholderSpellings(scenario.blocks)
            report.consistency += keyMismatches(scenario)
            report.consistency += principalMismatches(scenario)
            report.consistency += identityCoverage(scenario, misspelt: spellings.misspelt)
        }
        // The flow runs in the setup that shows most of it.
        guard let scenario = setups.max(by: { flowWeight($0) < flowWeight($1) }) else { return report }
        if let flow = CrossAccountFlow.run(scenario) {
            report.flow = flow
            report.flowFindings = flowFindings(flow, scenario)
            report.leastPrivilege = LeastPrivilege.check(scenario, accounts: report.placeholderAccounts)
        }
        return report
    }

    /// How much of the cross-account flow a setup shows: the kinds of policy and
    /// configuration it has, then its size; the first setup wins a tie.
    static func flowWeight(_ scenario: GuideScenario) -> (Int, Int) {
        let kinds: [PolicyKind] = [.bucket, .key, .identity]
        let shown =
            kinds.filter { !scenario.blocks(of: $0).isEmpty }.count + (scenario.encryptionBlocks.isEmpty ? 0 : 1)
        return (shown, scenario.blocks.count)
    }

    // MARK: - Kinds

    static func kindConflicts(_ blocks: [ClassifiedBlock]) -> [Diagnostic] {
        blocks.compactMap { block in
            guard let prose = block.proseKind, let kind = block.policyKind, prose != kind,
                block.code.attribute("kind") == nil,
                block.code.attribute("title").flatMap(PolicyKind.init(fileName:)) == nil
            else { return nil }
            return Diagnostic(
                .warning, .guideKindConflict,
                "the text calls this block \(Article.a(prose.displayName)), but it reads as \(Article.a(kind.displayName)): \(block.evidence)",
                at: fence(block),
                notes: [
                    "if the text is right, fix the policy; if the policy is right, fix the text, or say which with kind=\(kind.rawValue)"
                ])
        }
    }

    // MARK: - Consistency across blocks

    static func keyMismatches(_ scenario: GuideScenario) -> [Diagnostic] {
        let configured = scenario.keys.filter { scenario.blocks[$0.block].kind == .configuration(.bucketEncryption) }
        let identityKeys = scenario.keys.filter { scenario.blocks[$0.block].policyKind == .identity }
        guard let bucketKey = configured.first, let bucketARN = ARN(bucketKey.value),
            bucketARN.resource.hasPrefix("key/"),
            !identityKeys.isEmpty
        else { return [] }
        let covered = identityKeys.contains { Wildcard.matches($0.value, bucketKey.value) }
        guard !covered else { return [] }
        return [
            Diagnostic(
                .error, .guideKeyMismatch,
                "the identity policy names \(identityKeys.map { "'\($0.value)'" }.joined(separator: ", ")), but the bucket encrypts with '\(bucketKey.value)'",
                at: identityKeys[0].range,
                related: [RelatedLocation(range: bucketKey.range, message: "the key the bucket uses")],
                notes: [
                    "S3 asks KMS for the bucket's key on the caller's behalf; name that key's ARN in the identity policy"
                ])
        ]
    }

    /// Partners the bucket policy lets in must be able to use the key too.
    static func principalMismatches(_ scenario: GuideScenario) -> [Diagnostic] {
        let bucketPartners = scenario.partners.filter { scenario.blocks[$0.block].policyKind == .bucket }
        let keyPartners = scenario.partners.filter { scenario.blocks[$0.block].policyKind == .key }
        guard !scenario.blocks(of: .key).isEmpty, !bucketPartners.isEmpty else { return [] }
        func account(_ text: String) -> String? { ARN(text)?.account ?? (ARN.isAccountID(text) ? text : nil) }
        var diagnostics: [Diagnostic] = []
        var reported: Set<String> = []
        for partner in bucketPartners where reported.insert(partner.value).inserted {
            // The key policy covers a principal it names, or its account's root.
            let covered = keyPartners.contains { key in
                key.value == partner.value
                    || (ARN(key.value)?.resource == "root" || ARN.isAccountID(key.value))
                        && account(key.value) == account(partner.value)
            }
            guard !covered, Placeholders.find(in: partner.value).isEmpty else { continue }
            let keyBlock = scenario.blocks[scenario.blocks(of: .key)[0]]
            diagnostics.append(
                Diagnostic(
                    .warning, .guidePrincipalMismatch,
                    "the bucket policy lets '\(partner.value)' in, but the key policy does not let it use the key",
                    at: partner.range,
                    related: [RelatedLocation(range: fence(keyBlock), message: "the key policy, \(keyBlock.name)")]
                        + keyPartners.prefix(2).map {
                            RelatedLocation(range: $0.range, message: "the key policy names '\($0.value)'")
                        },
                    notes: [
                        "with SSE-KMS every get and put also needs the key: grant kms:Decrypt and kms:GenerateDataKey to the same principal"
                    ]))
        }
        return diagnostics
    }

    /// Bucket resources the identity policy grants that no bucket policy statement covers.
    /// A resource left uncovered only by a misspelt bucket name is the spelling
    /// finding's problem, reported there once.
    static func identityCoverage(_ scenario: GuideScenario, misspelt: [String: String]) -> [Diagnostic] {
        let bucketPolicies = scenario.blocks(of: .bucket)
        guard !bucketPolicies.isEmpty, !scenario.partners.isEmpty else { return [] }
        let bucketPatterns = bucketPolicies.flatMap { index in
            (scenario.blocks[index].document?.statements ?? []).filter { $0.effect.value == .allow }
                .flatMap { $0.resources?.values.map(\.value) ?? [] }
        }.map { pattern -> String in
            // The pattern as it would read with the bucket spelled right.
            guard let name = GuideScenario.bucketName(pattern), let right = misspelt[name] else { return pattern }
            return "arn:aws:s3:::" + right + pattern.dropFirst("arn:aws:s3:::".count + name.count)
        }
        // Only buckets a bucket policy governs: the identity policy's grants on other
        // buckets (its own account's, a source bucket) need no bucket policy here.
        let governed = Set(bucketPatterns.compactMap(GuideScenario.bucketName))
        var diagnostics: [Diagnostic] = []
        for index in scenario.blocks(of: .identity) {
            let block = scenario.blocks[index]
            for statement in block.document?.statements ?? [] where statement.effect.value == .allow {
                for resource in statement.resources?.values ?? [] {
                    guard let name = GuideScenario.bucketName(resource.value),
                        governed.contains(misspelt[name] ?? name),
                        Placeholders.find(in: resource.value).isEmpty
                    else { continue }
                    let covered = bucketPatterns.contains {
                        Wildcard.matches($0, resource.value) || Wildcard.matches(resource.value, $0)
                    }
                    guard !covered else { continue }
                    let policy = scenario.blocks[bucketPolicies[0]]
                    diagnostics.append(
                        Diagnostic(
                            .warning, .guideIdentityNotCovered,
                            "the identity policy grants '\(resource.value)', which the bucket policy does not cover",
                            at: block.code.locator.range(resource.range),
                            related: [
                                RelatedLocation(range: fence(policy), message: "the bucket policy, \(policy.name)")
                            ],
                            notes: [
                                "across accounts the bucket policy must allow the request as well; add the resource there or drop it here"
                            ]))
                }
            }
        }
        return diagnostics
    }

    // MARK: - The flow

    static func flowFindings(_ flow: FlowResult, _ scenario: GuideScenario) -> [Diagnostic] {
        let anchor = scenario.blocks(of: .bucket).first ?? scenario.blocks(of: .key).first ?? 0
        let anchorRange = fence(scenario.blocks[anchor])
        let substituted =
            flow.substitutions.isEmpty
            ? []
            : [
                "placeholders were filled in to run it: "
                    + flow.substitutions.map { "\($0.placeholder) is \($0.actor) (\($0.value))" }.joined(
                        separator: ", ")
            ]
        guard flow.missing.isEmpty else {
            return [
                Diagnostic(
                    .note, .guideFlow,
                    "the cross-account flow cannot be run: the guide lacks \(ListFormat.and(flow.missing))",
                    at: anchorRange)
            ]
        }
        // A flow that works is not a finding: `verify` says so in its summary.
        if flow.works { return [] }
        var diagnostics: [Diagnostic] = []
        for step in flow.steps where !step.allowed && step.intended {
            let layers = step.deniedBy
            let blockIndex: Int? = layers.lazy.compactMap { layer -> Int? in
                switch layer {
                case .identityPolicy: return CrossAccountFlow.partnerIdentityPolicies(scenario).first
                case .bucketPolicy: return scenario.blocks(of: .bucket).first
                case .keyPolicy: return scenario.blocks(of: .key).first
                }
            }.first
            let target = blockIndex.map { scenario.blocks[$0] }
            let layerText = layers.map(\.rawValue).joined(separator: " and the ")
            diagnostics.append(
                Diagnostic(
                    .error, .guideFlow,
                    "the partner's \(step.operation) is denied by the \(layerText)\(step.denied.map { " (\($0))" } ?? "")",
                    at: target.map(fence) ?? anchorRange,
                    related: target.map { [RelatedLocation(range: $0.code.range, message: "change \($0.name)")] } ?? [],
                    notes: ["the evaluator: \(step.reason ?? "denied")"]
                        + (step.trace.isEmpty ? [] : ["trace:\n" + step.trace.joined(separator: "\n")]) + substituted))
        }
        return diagnostics
    }

    /// The opening fence line of a block: where a finding about the whole block goes.
    static func fence(_ block: ClassifiedBlock) -> SourceRange { block.fence }
}

enum ListFormat {
    /// "a, b and c".
    static func and(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
