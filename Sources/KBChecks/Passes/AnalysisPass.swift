import KBAnalysis
import KBBlocks
import KBDiagnostics
import KBGuide

/// The guide as a whole: blocks that disagree count against the guide's item;
/// the cross-account flow, when it can run, is an item of its own.
struct AnalysisPass: GuidePass {
    func check(_ input: GuideInput, into checks: inout GuideChecks) {
        let analysis = input.analysis
        var flowItem: Int?
        if let flow = analysis.flow, flow.missing.isEmpty {
            flowItem = checks.declare(
                .flow,
                at: analysis.flowFindings.first?.range ?? input.guide.guide.source.range(fromByte: 0, toByte: 0),
                name: "cross-account flow (put, get, list)")
        }
        checks.reportOnGuide(analysis.consistency)
        // A flow that cannot run (the guide lacks a policy) fails no item.
        checks.report(analysis.flowFindings, against: flowItem)
        checks.reportOnGuide(analysis.leastPrivilege)
        checks.flow = analysis.flow.map { FlowEntry(file: input.guide.path, $0) }
        checks.flowSummary = analysis.flow?.summary
    }
}
