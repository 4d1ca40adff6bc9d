import KBBlocks
import KBDiagnostics
import KBFacts
import KBGuide
import KBTranscript

/// What every part of one page reads: the guide, what verification found
/// (by line, where views look it up), and how links on the page resolve.
struct PageContext {
    let guide: Guide
    let findings: GuideFindings
    let allowRawHTML: Bool
    /// A link target (already known safe) as the page should write it.
    let resolveLink: (String) -> String?
    let resolveImage: (String) -> String?
    /// A claim's demonstration (`guide.md#anchor`, relative to the claims file's folder).
    let resolveDemonstration: (String) -> String?
    /// The claims page, relative to this page.
    let claimsPage: String
    let findingsByLine: [Int: [Diagnostic]]
    let examplesByLine: [Int: ExampleResult]
    let factsByLine: [Int: FactResult]
    /// Every code block with what the classifier made of it, by its fence's line.
    let blocksByLine: [Int: ClassifiedBlock]
    /// One sanitiser for the page, shared by reference with the inline renderer.
    let sanitizer = SanitizerBox()

    init(
        guide classified: ClassifiedGuide, findings: GuideFindings, allowRawHTML: Bool,
        resolveLink: @escaping (String) -> String?, resolveImage: @escaping (String) -> String?,
        resolveDemonstration: @escaping (String) -> String?, claimsPage: String
    ) {
        let guide = classified.guide
        self.guide = guide
        self.findings = findings
        self.allowRawHTML = allowRawHTML
        self.resolveLink = resolveLink
        self.resolveImage = resolveImage
        self.resolveDemonstration = resolveDemonstration
        self.claimsPage = claimsPage
        var findingsByLine: [Int: [Diagnostic]] = [:]
        for diagnostic in findings.diagnostics where diagnostic.range.file == guide.path {
            findingsByLine[diagnostic.range.start.line, default: []].append(diagnostic)
        }
        self.findingsByLine = findingsByLine
        var examplesByLine: [Int: ExampleResult] = [:]
        for example in findings.examples { examplesByLine[example.line] = example }
        self.examplesByLine = examplesByLine
        var factsByLine: [Int: FactResult] = [:]
        for fact in findings.facts { factsByLine[fact.line] = fact }
        self.factsByLine = factsByLine
        var blocksByLine: [Int: ClassifiedBlock] = [:]
        for block in classified.blocks { blocksByLine[block.line] = block }
        self.blocksByLine = blocksByLine
    }
}

/// What rendering a page gathers as it goes: the table of contents, the search
/// sections, and the lines whose findings a block already showed.
struct PageState {
    var toc: [TOCEntry] = []
    var sections = [SearchSection(heading: "", anchor: "", text: "", keywords: [])]
    /// Lines whose findings were shown beside a block; the rest go to the top.
    var shownLines: Set<Int> = []

    /// Findings on the lines of a block, shown right after it.
    mutating func findings(after range: SourceRange, in page: PageContext) -> String {
        var html = ""
        for line in range.start.line...max(range.end.line, range.start.line) {
            guard let found = page.findingsByLine[line], !shownLines.contains(line) else { continue }
            shownLines.insert(line)
            html += found.map { FindingHTML.render($0, block: true) }.joined()
        }
        return html
    }

    /// Words for the search index, under the current heading (bounded).
    mutating func addText(_ text: String) {
        guard sections[sections.count - 1].text.utf8.count < 800 else { return }
        sections[sections.count - 1].text += (sections[sections.count - 1].text.isEmpty ? "" : " ") + text
    }

    mutating func addKeywords(_ words: [String]) {
        for word in words where !sections[sections.count - 1].keywords.contains(word) {
            sections[sections.count - 1].keywords.append(word)
        }
    }
}

/// The page's sanitiser, by reference, so inline and block rendering share it.
final class SanitizerBox {
    var sanitizer = HTMLSanitizer()
}
