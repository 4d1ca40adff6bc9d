import KBBlocks
import KBDiagnostics
import KBFacts
import KBGuide

/// The facts the guide states, each an item matched to the knowledge base's
/// claims; retired terms and outdated claims in the prose count against the
/// guide's item.
struct FactPass: GuidePass {
    func check(_ input: GuideInput, into checks: inout GuideChecks) {
        guard let factCheck = input.factCheck else { return }
        let guide = input.guide.guide
        let checked = factCheck.check(guide, proofs: input.proofs)
        checks.facts = checked.facts
        let items = checked.facts.map { fact in
            checks.declare(
                .fact, at: SourceRange(file: guide.path, at: .init(line: fact.line, column: 1)),
                name: "fact: \(fact.text.prefix(70))")
        }
        // A fact's finding counts against the facts that start on its line.
        var itemsByLine: [Int: [Int]] = [:]
        for (fact, item) in zip(checked.facts, items) { itemsByLine[fact.line, default: []].append(item) }
        for finding in checked.factFindings {
            checks.report([finding], against: itemsByLine[finding.range.start.line] ?? [])
        }
        checks.reportOnGuide(checked.proseFindings)
    }
}
