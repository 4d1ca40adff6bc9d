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
        for block in input.guide.blocks {
            guard let value = block.value else { continue }
            let found = Self.check(
                block, value: value, in: input.guide.guide.source, owner: input.analysis.owner,
                seenPlaceholders: &seenPlaceholders
            ).filter { !input.analysis.isSupersededByLeastPrivilege($0) }
            checks.report(found, against: checks.item(.block(line: block.line)))
        }
    }

    /// Policy checks for a guide's JSON block, when the block is a policy.
    static func check(
        _ block: ClassifiedBlock, value: JSONValue, in source: SourceText, owner: String?,
        seenPlaceholders: inout Set<String>
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
                classified: block.policyKind),
            ownerAccount: code.attribute("account") ?? owner, seenPlaceholders: &seenPlaceholders)
    }
}
