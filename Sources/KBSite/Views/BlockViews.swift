import KBAnalysis
import KBBlocks
import KBDiagnostics
import KBGuide

/// One view per kind of block: the classifier decided what each block is, so
/// a policy in a bare fence renders as the policy it is.
enum BlockViews {
    static func render(_ code: CodeBlock, page: PageContext, state: inout PageState) -> String {
        let block = page.blocksByLine[code.range.start.line]
        switch block?.kind {
        case .transcript?:
            var view = TranscriptView(code: code, examples: page.examplesByLine, findingsByLine: page.findingsByLine)
            let html = view.render()
            state.shownLines.formUnion(view.shownLines)
            state.addKeywords(view.keywords)
            return html
        case .policy?, .statement?, .servicePolicy?, .configuration?, .jsonData?:
            var view = PolicyBlockView(
                code: code, block: block, findingsByLine: page.findingsByLine,
                owner: block.flatMap { page.findings.analysis?.account(holding: $0) })
            let html = view.render()
            state.shownLines.formUnion(view.shownLines)
            state.addKeywords(view.keywords)
            return html
        case .jsonLines?, .illustration?, .cliConfig?, .logLines?, .shellCommands?, .other?, nil:
            let commands = page.findings.commands.filter {
                (code.range.start.line...code.range.end.line).contains($0.key)
            }
            return CodeBlockView(
                code: code, language: language(of: code), checkedCommands: commands.count,
                failedCommands: commands.values.filter { !$0 }.count
            ).render()
                + state.findings(after: code.range, in: page)
        }
    }

    /// The fence's language as a class and a data attribute: only word characters pass.
    static func language(of code: CodeBlock) -> String {
        String(
            (code.language ?? "").unicodeScalars.filter {
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+#._-".unicodeScalars.contains($0))
            })
    }
}
