import Foundation
import KBAnalysis
import KBBlocks
import KBDiagnostics
import KBGuide
import KBJSON
import KBPolicy
import KBPolicyLint

/// Each JSON block that is a policy (it has a `Statement`, or `kind=` says so)
/// is checked as the kind of policy it is; its findings count against the
/// block's item. Placeholders are reported once per guide.
struct PolicyLintPass: GuidePass {
    func check(_ input: GuideInput, into checks: inout GuideChecks) {
        var seenPlaceholders: Set<String> = []
        let placeholderAccounts = input.analysis.placeholderAccounts
        for block in input.guide.blocks {
            // Excerpts and illustrations are not policies; another service's policy gets
            // only the checks every policy language shares.
            let isServicePolicy = Self.isServicePolicy(block)
            guard let value = block.value, block.kind == .jsonData || block.kind.policyKind != nil || isServicePolicy
            else { continue }
            let found = Self.check(
                block, value: value, in: input.guide.guide.source, owner: input.analysis.owner(of: block),
                placeholderAccounts: placeholderAccounts, seenPlaceholders: &seenPlaceholders
            ).filter {
                !isServicePolicy || Self.sharedRules.contains($0.rule)
            }.filter {
                !input.analysis.isSupersededByLeastPrivilege($0)
                    && !(block.isShownAsPart && Self.wholePolicyRules.contains($0.rule))
                    && !($0.rule == Rule.policyPublicPrincipal.id && Self.meansPublic(block))
            }
            checks.report(found, against: checks.item(.block(line: block.line)))
        }
    }

    /// What holds of every resource policy language (an SNS topic's, an SQS queue's,
    /// a VPC endpoint's): the grammar, actions and the resources they apply to,
    /// conditions, Version. Not the bucket and key policies' own rules (Sid
    /// characters, principals, public access, cross-account grants, size), nor ARN
    /// shapes, where these pages write placeholders kbtool does not know.
    static let sharedRules: Set<RuleID> = Set(
        [
            Rule.policyEffect, .policyConflictingElements, .policyMissingElement, .policyShape, .policyUnknownElement,
            .policyVersion, .policyVersionMissing, .policyVersionOld, .policyActionFormat, .policyUnknownAction,
            .policyUnknownService, .policyServiceWildcard, .policyActionResourceMismatch, .policyMissingResource,
            .policyConditionOperator, .policyConditionType, .policyConditionValue, .policyDuplicateSid,
            .policyPlaceholder,
        ].map(\.id))

    /// Rules about what a whole policy must have, not asked of a block the text
    /// shows as part of a policy or an example of one.
    static let wholePolicyRules: [RuleID] = [Rule.policyKeyLockout.id]

    /// Whether the guide says the block's access is meant to be public: its prose,
    /// heading or a statement id ("PublicReadGetObject") says so.
    static func meansPublic(_ block: ClassifiedBlock) -> Bool {
        let sids = block.document?.statements.compactMap { $0.sid?.value } ?? []
        return ([block.paragraph, block.heading].compactMap { $0 } + sids).contains(where: PolicyProse.meansPublic)
    }

    static func isServicePolicy(_ block: ClassifiedBlock) -> Bool {
        if case .servicePolicy = block.kind { return true }
        return false
    }

    /// Policy checks for a guide's JSON block, when the block is a policy.
    static func check(
        _ block: ClassifiedBlock, value: JSONValue, in source: SourceText, owner: String?,
        placeholderAccounts: [String: String] = [:], seenPlaceholders: inout Set<String>
    ) -> [Diagnostic] {
        let code = block.code
        let kindAttribute = code.attribute("kind")
        guard PolicyCheck.isPolicy(value, labelled: kindAttribute != nil) else { return [] }
        // Point at `kind=…` on the fence line when it is written there.
        let fenceLine = source.line(code.range.start.line)
        var fence = SourceRange(
            file: code.range.file, start: code.range.start,
            end: SourcePosition(line: code.range.start.line, column: code.range.start.column + 3))
        if let kind = kindAttribute, let found = fenceLine.range(of: "kind=") {
            let column =
                fenceLine.unicodeScalars.distance(from: fenceLine.unicodeScalars.startIndex, to: found.lowerBound) + 1
            fence = SourceRange(
                file: code.range.file, start: SourcePosition(line: code.range.start.line, column: column),
                end: SourcePosition(line: code.range.start.line, column: column + 5 + kind.unicodeScalars.count))
        }
        return PolicyCheck.check(
            value, parsed: block.policy, text: code.literal, locate: code.locator,
            evidence: .init(
                attribute: kindAttribute.map { ($0, fence) }, name: code.attribute("title"),
                classified: block.policyKind ?? (isServicePolicy(block) ? .bucket : nil)),
            ownerAccount: code.attribute("account") ?? owner, placeholderAccounts: placeholderAccounts,
            seenPlaceholders: &seenPlaceholders)
    }
}
