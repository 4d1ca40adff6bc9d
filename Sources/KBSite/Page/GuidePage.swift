import Foundation
import KBAnalysis
import KBBlocks
import KBChecks
import KBDiagnostics
import KBFacts
import KBGuide
import KBPolicy
import KBPolicyLint
import KBTranscript

/// What verification found about one guide, gathered for its page.
public struct GuideFindings: Sendable {
    public var diagnostics: [Diagnostic] = []
    public var examples: [ExampleResult] = []
    public var facts: [FactResult] = []
    public var analysis: GuideAnalysis.Report?
    public var explorer: ExplorerData?
    /// Items checked in this guide, passed and failed.
    public var passed = 0
    public var failed = 0
    /// What was checked, by kind (prose checks aside).
    public var checked = CheckCounts()
    /// The `aws` commands outside transcripts, checked against the CLI model
    /// but not run: the line each starts on, and whether it passed.
    public var commands: [Int: Bool] = [:]
    public var status: GuideStatus { GuideStatus(self) }

    public init() {}

    /// A guide's result as its page shows it; the request explorer is decided
    /// here, every combination in the engine, unless `explores` is off (the
    /// page's article was kept from an earlier build).
    public init(_ result: GuideResult, explores: Bool = true) {
        diagnostics = result.diagnostics
        examples = result.examples
        facts = result.facts
        analysis = result.analysis
        passed = result.items.filter(\.passed).count
        failed = result.items.count - passed
        checked = CheckCounts(result.items)
        for item in result.items where item.kind == .command { commands[item.range.start.line] = item.passed }
        if explores, let analysis, let flow = analysis.flow, flow.missing.isEmpty {
            explorer = RequestExplorer.explore(GuideScenario.build(analysis.blocks))
        }
    }
}

/// An entry of the on-page table of contents.
public struct TOCEntry: Sendable, Hashable, Codable {
    public var level: Int
    public var anchor: String
    public var text: String
}

/// One section of a page for the search index: the heading it sits under and
/// its words, policy actions and ARNs.
public struct SearchSection: Sendable, Hashable, Codable {
    public var heading: String
    public var anchor: String
    public var text: String
    public var keywords: [String]
}

/// The article of a guide's page, with what the frame around it needs.
public struct RenderedGuide: Sendable {
    public var title: String
    public var body: String
    public var toc: [TOCEntry]
    public var sections: [SearchSection]
}

/// Assembles one guide's article: its title, the page's verification status,
/// findings no block showed, the guide's content as HTML (``MarkdownRenderer``,
/// with a view per kind of block), and the flow and the request explorer.
struct GuidePageRenderer {
    let page: PageContext
    let title: String
    private var markdown: MarkdownRenderer

    init(
        guide classified: ClassifiedGuide, findings: GuideFindings, title: String, allowRawHTML: Bool,
        resolveLink: @escaping (String) -> String?, resolveImage: @escaping (String) -> String?,
        resolveDemonstration: @escaping (String) -> String? = { _ in nil }, claimsPage: String
    ) {
        page = PageContext(
            guide: classified, findings: findings, allowRawHTML: allowRawHTML, resolveLink: resolveLink,
            resolveImage: resolveImage, resolveDemonstration: resolveDemonstration, claimsPage: claimsPage)
        self.title = title
        markdown = MarkdownRenderer(page: page)
    }

    mutating func render() -> RenderedGuide {
        var body = ""
        var blocks = page.guide.blocks
        // The guide's own h1 is the page title when it comes first (after any
        // comments or raw HTML); otherwise the front matter's title is.
        let leading = blocks.prefix { if case .html = $0 { return true } else { return false } }.count
        if leading < blocks.count, case .heading(let heading) = blocks[leading], heading.level == 1 {
            blocks.remove(at: leading)
            let anchor = HTMLSanitizer.pageID(heading.customID ?? heading.anchor)
            body += "<h1 id=\"\(HTML.attribute(anchor))\">\(markdown.renderInline(heading.content.nodes))</h1>\n"
        } else {
            body += "<h1>\(HTML.escape(title))</h1>\n"
        }
        let content = markdown.renderBlocks(blocks, topLevel: true)
        body += pageStatus() + unplacedFindings() + content + page.sanitizer.sanitizer.finish()
        body += verificationSections()
        return RenderedGuide(
            title: title, body: body, toc: markdown.state.toc,
            sections: markdown.state.sections.filter { !$0.text.isEmpty || !$0.keywords.isEmpty || !$0.heading.isEmpty }
        )
    }

    /// What was checked and how it went; a guide with nothing checkable says so.
    private func pageStatus() -> String {
        let status = page.findings.status
        let checked = page.findings.checked
        let words: String
        var counts =
            checked.total > 0
            ? "Checked \(checked.words): \(page.findings.passed) passed, \(page.findings.failed) failed" : ""
        switch status {
        case .verified: words = "Verified"
        case .notChecked:
            words = "Not checked"
            counts = "nothing in this guide is checkable (no policy, command or fact)"
        case .problems(let errors, _):
            words = errors > 0 ? "Verification found problems" : "Checked, with warnings"
            counts += (counts.isEmpty ? "" : " · ") + status.words
        }
        return
            "<div class=\"page-status status-\(status.cssClass)\"><strong>\(words)</strong> <span class=\"page-status-counts\">\(counts)</span></div>\n"
    }

    /// Findings on lines no block showed (the front matter, the end of the file).
    private mutating func unplacedFindings() -> String {
        // Decided after the body: collected here by lines that no block covers.
        var covered: Set<Int> = []
        for block in page.guide.allBlocks {
            if case .list = block { continue }
            if case .blockQuote = block { continue }
            for line in block.range.start.line...max(block.range.end.line, block.range.start.line) {
                covered.insert(line)
            }
        }
        for item in page.guide.lists.flatMap(\.items) { covered.insert(item.range.start.line) }
        let lines = page.findingsByLine.keys.filter { !covered.contains($0) }.sorted()
        guard !lines.isEmpty else { return "" }
        var html =
            "<section class=\"page-findings\" id=\"page-findings\" aria-label=\"Findings about the whole guide\">\n"
        for line in lines {
            markdown.state.shownLines.insert(line)
            html += page.findingsByLine[line]!.map { FindingHTML.render($0, block: true) }.joined()
        }
        return html + "</section>\n"
    }

    // MARK: - Flow and explorer

    private mutating func verificationSections() -> String {
        var html = ""
        if let flow = page.findings.analysis?.flow {
            markdown.state.toc.append(TOCEntry(level: 2, anchor: "cross-account-flow", text: "Cross-account flow"))
            html += FlowView.render(flow)
        }
        if let explorer = page.findings.explorer {
            markdown.state.toc.append(TOCEntry(level: 2, anchor: "request-explorer", text: "Request explorer"))
            html += ExplorerView.render(explorer)
        }
        return html
    }
}
