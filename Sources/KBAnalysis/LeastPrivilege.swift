import KBBlocks
import KBDiagnostics
import KBGuide
import KBJSON
import KBPolicy
import KBPolicyLint

extension Rule {
    /// A grant wider than the flow needs.
    public static let guideLeastPrivilege = Rule(
        "guide-least-privilege", .warning,
        summary:
            "A grant the flow needs is written as a wildcard (`s3:*`, `kms:*` to another account) where the flow's actions suffice.",
        why:
            "Wildcards grant every present and future action, such as deleting objects or scheduling the key's deletion, to a principal that only needs to read and write.",
        fix:
            "Use the replacement statement in the note: the same statement with only the actions the flow uses (GetObject, PutObject, ListBucket; Decrypt, GenerateDataKey).",
        example:
            "statement PartnerKeyUse grants kms:* to another account where kms:Decrypt, kms:GenerateDataKey suffice")
}

extension GuideAnalysis.Report {
    /// Whether a policy check's finding is one a least-privilege finding stands
    /// for: a wildcard grant to another account, at the same place, which the
    /// least-privilege finding reports once with its replacement statement.
    public func isSupersededByLeastPrivilege(_ finding: Diagnostic) -> Bool {
        LeastPrivilege.supersedes.contains { finding.rule == $0 }
            && leastPrivilege.contains { $0.range == finding.range }
    }
}

/// Compares what each grant gives the flow's principal with what the flow
/// needs (S3 GetObject, PutObject and ListBucket; KMS Decrypt and
/// GenerateDataKey through S3) and suggests the narrower statement.
enum LeastPrivilege {
    static let objectActions = ["s3:GetObject", "s3:PutObject"]
    static let bucketActions = ["s3:ListBucket"]
    static let keyActions = ["kms:Decrypt", "kms:GenerateDataKey"]
    /// The policy checks' own findings about the grants this one narrows.
    static let supersedes: [Rule] = [.policyCrossAccountAdmin, .policyKMSIneffective]

    /// `accounts` binds placeholders to the accounts the flow gave them
    /// (`arn-of-the-partner-role`, the account in `arn:aws:iam::ACCOUNT-ID:root`),
    /// so a placeholder for the owner's own root is never "another account".
    static func check(_ scenario: GuideScenario, accounts: [String: String] = [:]) -> [Diagnostic] {
        func account(of principal: String) -> String {
            if let bound = accounts[principal] { return bound }
            guard let arn = ARN(principal) else { return principal }
            return accounts[arn.account] ?? arn.account
        }
        // A setup that writes every account as a placeholder is owned by the
        // account its key policy's administrative root stands for.
        let setupOwner =
            scenario.ownerAccount ?? scenario.blocks.lazy.compactMap(\.administrativeRoot).first.map { account(of: $0) }
        var diagnostics: [Diagnostic] = []
        // Of the identity policies, only the partner's is part of the flow.
        let partnerIdentity = CrossAccountFlow.partnerIdentityPolicies(scenario).first
        for (index, block) in scenario.blocks.enumerated() {
            guard let kind = block.policyKind, [.identity, .bucket, .key].contains(kind), let document = block.document
            else { continue }
            if kind == .identity && index != partnerIdentity { continue }
            // "Another account" is another than the owner of this setup's resources
            // (the scenario is one setup: independent examples do not vote).
            let owner = block.code.attribute("account") ?? setupOwner
            for statement in document.statements where statement.effect.value == .allow {
                // Resource policies: only grants to another account concern the flow.
                if kind != .identity {
                    let entries = statement.principal?.entries ?? []
                    let others = entries.filter { entry in
                        // A conditioned "*" (through an access point, from an organization)
                        // is scoped by its condition, not a grant to the partner.
                        if entry.value.value == "*" { return statement.conditions.isEmpty }
                        return owner != nil && account(of: entry.value.value) != owner
                    }
                    guard !others.isEmpty else { continue }
                }
                guard let actions = statement.actions, !actions.negated,
                    actions.values.contains(where: { $0.value.contains("*") })
                else { continue }
                let granted = actions.values.map(\.value)
                let resources = statement.resources?.values.map(\.value) ?? []
                var needed: [String] = []
                // (filtered below to what the wildcards cover)
                if granted.contains(where: { $0 == "*" || $0.lowercased().hasPrefix("s3:") }) {
                    if resources.contains(where: { $0.contains("/") || $0 == "*" }) { needed += objectActions }
                    if resources.contains(where: {
                        GuideScenario.bucketName($0) != nil && !$0.contains("/") || $0 == "*"
                    }) {
                        needed += bucketActions
                    }
                }
                if granted.contains(where: { $0 == "*" || $0.lowercased().hasPrefix("kms:") }) {
                    if kind == .key || resources.contains(where: { $0 == "*" || $0.hasPrefix("arn:aws:kms:") }) {
                        needed += keyActions
                    }
                }
                let wide = granted.filter { $0.contains("*") }
                // Only the flow's actions the wildcards grant today: never more.
                needed = needed.filter { action in wide.contains { Wildcard.matches($0, action, caseInsensitive: true) }
                }
                guard !needed.isEmpty else { continue }
                let explicit = granted.filter { !$0.contains("*") && !needed.contains($0) }
                let replacement = "[" + (explicit + needed).map { "\"\($0)\"" }.joined(separator: ", ") + "]"
                let actionRange = actionValueRange(statement, in: block)
                let located =
                    actionRange.map { block.code.locator.range($0) } ?? block.code.locator.range(actions.keyRange)
                let crossAccount = kind == .identity ? "" : " to another account"
                diagnostics.append(
                    Diagnostic(
                        .warning, .guideLeastPrivilege,
                        "statement \(statement.label) grants \(wide.joined(separator: ", "))\(crossAccount) where \(needed.joined(separator: ", ")) suffice",
                        at: located,
                        fix: actionRange.map {
                            FixIt(
                                range: block.code.locator.range($0), replacement: replacement,
                                message: "grant only \(needed.joined(separator: ", "))")
                        },
                        notes: [
                            "the flow this guide describes needs only those; a wildcard also grants every action AWS adds later",
                            "replacement statement:\n"
                                + replacementStatement(statement, in: block, actions: replacement),
                        ]))
            }
        }
        return diagnostics
    }

    /// The byte range of the statement's `Action` value in the block's text.
    static func actionValueRange(_ statement: Statement, in block: ClassifiedBlock) -> Range<Int>? {
        guard let value = block.value else { return nil }
        let statements = value["Statement"].map { $0.elements ?? [$0] } ?? [value]
        guard statement.index < statements.count else { return nil }
        return statements[statement.index]["Action"]?.range
    }

    /// The statement's own text with its Action replaced.
    static func replacementStatement(_ statement: Statement, in block: ClassifiedBlock, actions: String) -> String {
        let bytes = Array(block.code.literal.utf8)
        guard statement.range.upperBound <= bytes.count, let action = actionValueRange(statement, in: block) else {
            return actions
        }
        let before = String(decoding: bytes[statement.range.lowerBound..<action.lowerBound], as: UTF8.self)
        let after = String(decoding: bytes[action.upperBound..<statement.range.upperBound], as: UTF8.self)
        return before + actions + after
    }
}
