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

    public init() {}

    /// A guide's result as its page shows it; the request explorer is decided
    /// here, every combination in the engine.
    public init(_ result: GuideResult) {
        diagnostics = result.diagnostics
        examples = result.examples
        facts = result.facts
        analysis = result.analysis
        passed = result.items.filter(\.passed).count
        failed = result.items.count - passed
        if let analysis, let flow = analysis.flow, flow.missing.isEmpty {
            explorer = RequestExplorer.explore(GuideScenario.build(analysis.blocks))
        }
    }
}

/// An entry of the on-page table of contents.
public struct TOCEntry: Sendable, Hashable {
    public var level: Int
    public var anchor: String
    public var text: String
}

/// One section of a page for the search index: the heading it sits under and
/// its words, policy actions and ARNs.
public struct SearchSection: Sendable, Hashable {
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

/// Turns one guide and its findings into the article's HTML: markdown as cmark
/// parsed it, with each example annotated by what verification found.
struct GuidePageRenderer {
    let guide: Guide
    let findings: GuideFindings
    let title: String
    let allowRawHTML: Bool
    /// A link target (already known safe) as the page should write it.
    let resolveLink: (String) -> String?
    let resolveImage: (String) -> String?
    /// A claim's demonstration (`guide.md#anchor`, relative to the claims file's folder).
    let resolveDemonstration: (String) -> String?
    /// The claims page, relative to this page.
    let claimsPage: String

    /// One sanitiser for the page, shared by reference with the inline renderer.
    private let sanitizer = SanitizerBox()
    private var toc: [TOCEntry] = []
    private var sections: [SearchSection] = []
    private var findingsByLine: [Int: [Diagnostic]] = [:]
    /// Lines whose findings were shown beside a block; the rest go to the top.
    private var shownLines: Set<Int> = []
    private var examplesByLine: [Int: ExampleResult] = [:]
    private var factsByLine: [Int: FactResult] = [:]
    /// Every code block with what the classifier made of it, by its fence's line.
    private var blocksByLine: [Int: ClassifiedBlock] = [:]

    init(
        guide classified: ClassifiedGuide, findings: GuideFindings, title: String, allowRawHTML: Bool,
        resolveLink: @escaping (String) -> String?, resolveImage: @escaping (String) -> String?,
        resolveDemonstration: @escaping (String) -> String? = { _ in nil }, claimsPage: String
    ) {
        self.resolveDemonstration = resolveDemonstration
        let guide = classified.guide
        self.guide = guide
        self.findings = findings
        self.title = title
        self.allowRawHTML = allowRawHTML
        self.resolveLink = resolveLink
        self.resolveImage = resolveImage
        self.claimsPage = claimsPage
        for diagnostic in findings.diagnostics where diagnostic.range.file == guide.path {
            findingsByLine[diagnostic.range.start.line, default: []].append(diagnostic)
        }
        for example in findings.examples { examplesByLine[example.line] = example }
        for fact in findings.facts { factsByLine[fact.line] = fact }
        for block in classified.blocks { blocksByLine[block.line] = block }
    }

    mutating func render() -> RenderedGuide {
        sections = [SearchSection(heading: "", anchor: "", text: "", keywords: [])]
        var body = ""
        var blocks = guide.blocks
        // The guide's own h1 is the page title when it comes first (after any
        // comments or raw HTML); otherwise the front matter's title is.
        let leading = blocks.prefix { if case .html = $0 { return true } else { return false } }.count
        if leading < blocks.count, case .heading(let heading) = blocks[leading], heading.level == 1 {
            blocks.remove(at: leading)
            let anchor = heading.customID ?? heading.anchor
            body += "<h1 id=\"\(HTML.attribute(anchor))\">\(inline.render(heading.content.nodes))</h1>\n"
        } else {
            body += "<h1>\(HTML.escape(title))</h1>\n"
        }
        let content = renderBlocks(blocks, topLevel: true)
        body += pageStatus() + unplacedFindings() + content + sanitizer.sanitizer.finish()
        body += verificationSections()
        return RenderedGuide(
            title: title, body: body, toc: toc,
            sections: sections.filter { !$0.text.isEmpty || !$0.keywords.isEmpty || !$0.heading.isEmpty })
    }

    /// Inline rendering; raw HTML is sanitised when the configuration allows it
    /// (and dropped otherwise), and text inside a dropped element (`<script>`…`</script>`
    /// across inline nodes) is dropped with it.
    private var inline: InlineRenderer {
        let box = sanitizer
        let resolveLink = self.resolveLink
        let resolveImage = self.resolveImage
        guard allowRawHTML else {
            return InlineRenderer(resolveLink: resolveLink, resolveImage: resolveImage, rawHTML: { _ in nil })
        }
        var renderer = InlineRenderer(resolveLink: resolveLink, resolveImage: resolveImage) { raw in
            box.sanitizer.sanitize(raw) { url, isImage in
                isImage ? (SafeURL.isRemote(url) ? nil : resolveImage(url)) : resolveLink(url)
            }
        }
        renderer.suppressText = { box.sanitizer.isSkipping }
        return renderer
    }

    private func renderInline(_ nodes: [InlineNode]) -> String {
        defer { sanitizer.sanitizer.endRun() }
        return inline.render(nodes)
    }

    // MARK: - Blocks

    /// A container's blocks (the page, a block quote, a list item): admonition
    /// fences open and close callouts around them, and raw HTML the container
    /// leaves open is closed when it ends. `tight` list items show paragraphs
    /// without `<p>`.
    private mutating func renderBlocks(_ blocks: [Block], tight: Bool = false, topLevel: Bool = false) -> String {
        var html = ""
        var openAdmonitions = 0
        let depth = sanitizer.sanitizer.depth
        var queue = blocks[...]
        while let block = queue.popFirst() {
            if case .paragraph(let paragraph) = block {
                // MDX module lines (`import X from '…'`) are code, not prose.
                if topLevel, Self.isMDXModuleLines(paragraph) { continue }
                if let fence = Admonition.parse(paragraph) {
                    if let opening = fence.opening {
                        let title = opening.title.isEmpty ? HTML.escape(opening.label) : renderInline(opening.title)
                        html +=
                            "<aside class=\"admonition admonition-\(opening.kind)\" role=\"note\">"
                            + "<p class=\"admonition-title\">\(title)</p>\n"
                        openAdmonitions += 1
                    }
                    if !fence.body.isEmpty {
                        html += "<p>\(renderInline(fence.body))</p>\n"
                        addText(paragraph.text)
                    }
                    if fence.closes, openAdmonitions > 0 {
                        html += "</aside>\n"
                        openAdmonitions -= 1
                    }
                    if !fence.rest.isEmpty {
                        // Text right after a closing fence is a paragraph of its own.
                        var rest = paragraph
                        rest.content = InlineContent(text: "", nodes: fence.rest)
                        queue.insert(.paragraph(rest), at: queue.startIndex)
                    } else {
                        html += findingsAfter(block.range)
                    }
                    continue
                }
                if tight {
                    addText(paragraph.text)
                    html += renderInline(paragraph.content.nodes) + "\n" + findingsAfter(paragraph.range)
                    continue
                }
            }
            html += renderBlock(block)
        }
        html += sanitizer.sanitizer.close(downTo: depth)
        html += String(repeating: "</aside>\n", count: openAdmonitions)
        return html
    }

    /// A paragraph made only of MDX `import`/`export` lines.
    static func isMDXModuleLines(_ paragraph: Paragraph) -> Bool {
        let lines = Admonition.split(paragraph.content.nodes).compactMap(Admonition.plain)
        return !lines.isEmpty
            && lines.allSatisfy { line in
                (line.hasPrefix("import ") && (line.contains(" from ") || line.contains("'") || line.contains("\"")))
                    || line.hasPrefix("export ")
            }
    }

    private mutating func renderBlock(_ block: Block) -> String {
        switch block {
        case .heading(let heading):
            let anchor = heading.customID ?? heading.anchor
            let level = min(max(heading.level, 1), 6)
            let text = heading.text
            if level == 2 || level == 3 { toc.append(TOCEntry(level: level, anchor: anchor, text: text)) }
            sections.append(SearchSection(heading: text, anchor: anchor, text: "", keywords: []))
            let extra = heading.htmlAnchors.filter { $0 != anchor }.map {
                "<span id=\"\(HTML.attribute($0))\"></span>"
            }.joined()
            return "<h\(level) id=\"\(HTML.attribute(anchor))\">\(extra)\(renderInline(heading.content.nodes))"
                + " <a class=\"hash-link\" href=\"#\(HTML.attribute(anchor))\" aria-label=\"Link to this section: \(HTML.attribute(text))\">#</a></h\(level)>\n"
                + findingsAfter(heading.range)
        case .paragraph(let paragraph):
            addText(paragraph.text)
            if let table = PipeTable.parse(paragraph, source: guide.source) {
                return renderTable(table) + findingsAfter(paragraph.range)
            }
            return "<p>\(renderInline(paragraph.content.nodes))</p>\n" + findingsAfter(paragraph.range)
        case .code(let code):
            return renderCode(code)
        case .list(let list):
            let tag = list.ordered ? "ol" : "ul"
            let start = list.ordered && list.start != 1 ? " start=\"\(list.start)\"" : ""
            var html = "<\(tag)\(start)>\n"
            for item in list.items {
                html += renderItem(item, tight: list.tight)
            }
            return html + "</\(tag)>\n"
        case .blockQuote(let quote):
            return "<blockquote>\n\(renderBlocks(quote.blocks))</blockquote>\n"
        case .html(let raw):
            let anchors = HTMLAnchorScanner.anchors(in: raw.literal).map {
                "<span id=\"\(HTML.attribute($0))\"></span>"
            }
            guard allowRawHTML else {
                return anchors.joined() + "<!-- raw HTML omitted -->\n" + findingsAfter(raw.range)
            }
            let resolveLink = self.resolveLink
            let resolveImage = self.resolveImage
            let html = sanitizer.sanitizer.sanitize(raw.literal) { url, isImage in
                isImage ? (SafeURL.isRemote(url) ? nil : resolveImage(url)) : resolveLink(url)
            }
            sanitizer.sanitizer.endRun()
            return html + "\n" + findingsAfter(raw.range)
        case .thematicBreak:
            return "<hr>\n"
        }
    }

    private mutating func renderTable(_ table: PipeTable) -> String {
        func align(_ column: Int) -> String {
            table.alignments[column].map { " style=\"text-align: \($0)\"" } ?? ""
        }
        var html = "<div class=\"table-wrap\"><table>\n<thead><tr>"
        for (column, cell) in table.header.enumerated() {
            html += "<th scope=\"col\"\(align(column))>\(renderInline(cell))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>"
            for (column, cell) in row.enumerated() { html += "<td\(align(column))>\(renderInline(cell))</td>" }
            html += "</tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    private mutating func renderItem(_ item: ListItem, tight: Bool) -> String {
        let fact = factsByLine[item.range.start.line]
        var blocks = item.blocks
        // A task list item: `[ ]` or `[x]` at the start of its first paragraph.
        var task = ""
        if case .paragraph(var first) = blocks.first, case .text(let text) = first.content.nodes.first {
            for (marker, done) in [("[ ] ", false), ("[x] ", true), ("[X] ", true)] where text.hasPrefix(marker) {
                first.content.nodes[0] = .text(String(text.dropFirst(marker.count)))
                blocks[0] = .paragraph(first)
                task =
                    done
                    ? "<span class=\"task task-done\" role=\"img\" aria-label=\"done\">☑</span> "
                    : "<span class=\"task\" role=\"img\" aria-label=\"to do\">☐</span> "
            }
        }
        let body = task + renderBlocks(blocks, tight: tight)
        guard let fact else { return "<li>\(body)</li>\n" }
        let status = fact.status.rawValue
        var badge = ""
        if let claim = fact.claim {
            badge +=
                " <a class=\"badge fact-badge status-\(status)\" href=\"\(HTML.attribute(claimsPage))#claim-\(HTML.attribute(claim))\" title=\"claim \(HTML.attribute(claim))\">\(status)</a>"
        } else {
            badge +=
                " <span class=\"badge fact-badge status-\(status)\" title=\"no claim of the knowledge base states this\">\(status)</span>"
        }
        if let demonstration = fact.demonstration, let href = resolveDemonstration(demonstration) {
            badge += " <a class=\"fact-demo\" href=\"\(HTML.attribute(href))\">demonstration</a>"
        }
        return "<li class=\"fact fact-\(status)\">\(body)\(badge)</li>\n"
    }

    // MARK: - Findings

    /// Findings on the lines of a block, shown right after it.
    private mutating func findingsAfter(_ range: SourceRange) -> String {
        var html = ""
        for line in range.start.line...max(range.end.line, range.start.line) {
            guard let found = findingsByLine[line], !shownLines.contains(line) else { continue }
            shownLines.insert(line)
            html += found.map { FindingHTML.render($0, block: true) }.joined()
        }
        return html
    }

    private func pageStatus() -> String {
        let errors = findings.diagnostics.filter { $0.severity == .error }.count
        let warnings = findings.diagnostics.filter { $0.severity == .warning }.count
        let status = errors > 0 ? "fail" : warnings > 0 ? "warn" : "pass"
        let words = errors > 0 ? "Verification found problems" : warnings > 0 ? "Verified, with warnings" : "Verified"
        let counts =
            "\(findings.passed) passed, \(findings.failed) failed · \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
        return
            "<div class=\"page-status status-\(status)\"><strong>\(words)</strong> <span class=\"page-status-counts\">\(counts)</span></div>\n"
    }

    /// Findings on lines no block showed (the front matter, the end of the file).
    private mutating func unplacedFindings() -> String {
        // Decided after the body: collected here by lines that no block covers.
        var covered: Set<Int> = []
        for block in guide.allBlocks {
            if case .list = block { continue }
            if case .blockQuote = block { continue }
            for line in block.range.start.line...max(block.range.end.line, block.range.start.line) {
                covered.insert(line)
            }
        }
        for item in guide.lists.flatMap(\.items) { covered.insert(item.range.start.line) }
        let lines = findingsByLine.keys.filter { !covered.contains($0) }.sorted()
        guard !lines.isEmpty else { return "" }
        var html =
            "<section class=\"page-findings\" id=\"page-findings\" aria-label=\"Findings about the whole guide\">\n"
        for line in lines {
            shownLines.insert(line)
            html += findingsByLine[line]!.map { FindingHTML.render($0, block: true) }.joined()
        }
        return html + "</section>\n"
    }

    // MARK: - Code

    private mutating func renderCode(_ code: CodeBlock) -> String {
        // The language names a class and a data attribute: only word characters pass.
        let language = String(
            (code.language ?? "").unicodeScalars.filter {
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+#._-".unicodeScalars.contains($0))
            })
        let block = blocksByLine[code.range.start.line]
        if block?.kind == .transcript {
            var view = TranscriptView(code: code, examples: examplesByLine, findingsByLine: findingsByLine)
            let html = view.render()
            shownLines.formUnion(view.shownLines)
            addKeywords(view.keywords)
            return html
        }
        if let block, block.kind.isJSON {
            var view = PolicyBlockView(
                code: code, block: block, findingsByLine: findingsByLine, owner: holder(block))
            let html = view.render()
            shownLines.formUnion(view.shownLines)
            addKeywords(view.keywords)
            return html
        }
        var html = "<figure class=\"code-block\" data-lang=\"\(HTML.attribute(language))\">"
        if let title = code.attribute("title") {
            html +=
                "<figcaption class=\"code-caption\"><span class=\"code-title\">\(HTML.escape(title))</span></figcaption>"
        }
        let languageClass = language.isEmpty ? "" : " class=\"language-\(HTML.attribute(language))\""
        html += "<pre><code\(languageClass)>\(HTML.escape(code.literal))</code></pre>"
        html += CopyButton.html(code.literal) + "</figure>\n"
        return html + findingsAfter(code.range)
    }

    /// The account a policy lives in, for "across accounts": resource policies
    /// live in the owner's; an identity or trust policy in the account its
    /// `account=` attribute or its prose names (the partner's, "account B"), else
    /// the owner's.
    private func holder(_ block: ClassifiedBlock) -> String? {
        let owner = findings.analysis?.owner
        switch block.policyKind {
        case .bucket, .key: return owner
        default: break
        }
        if let account = block.code.attribute("account") { return account }
        let partner = findings.analysis?.flow.flatMap { ARN($0.partner)?.account }
        guard let partner, partner != owner else { return owner }
        let prose = [block.paragraph, block.heading, block.title].compactMap { $0 }.joined(separator: " ").lowercased()
        let partnerWords = ["partner", "account b", "other account", "their account", "consumer", partner]
        return partnerWords.contains(where: prose.contains) ? partner : owner
    }

    // MARK: - Search text

    private mutating func addText(_ text: String) {
        guard sections[sections.count - 1].text.utf8.count < 800 else { return }
        sections[sections.count - 1].text += (sections[sections.count - 1].text.isEmpty ? "" : " ") + text
    }

    private mutating func addKeywords(_ words: [String]) {
        for word in words where !sections[sections.count - 1].keywords.contains(word) {
            sections[sections.count - 1].keywords.append(word)
        }
    }

    // MARK: - Flow and explorer

    private mutating func verificationSections() -> String {
        var html = ""
        if let flow = findings.analysis?.flow {
            toc.append(TOCEntry(level: 2, anchor: "cross-account-flow", text: "Cross-account flow"))
            html += FlowView.render(flow)
        }
        if let explorer = findings.explorer {
            toc.append(TOCEntry(level: 2, anchor: "request-explorer", text: "Request explorer"))
            html += ExplorerView.render(explorer)
        }
        return html
    }
}

/// The page's sanitiser, by reference, so inline and block rendering share it.
final class SanitizerBox {
    var sanitizer = HTMLSanitizer()
}

/// `:::note Title` … `:::`, Docusaurus's callouts. cmark reads them as
/// paragraphs; the fence lines are found on the paragraph's first and last lines.
struct Admonition {
    static let kinds: [String: String] = [
        "note": "Note", "tip": "Tip", "info": "Info", "caution": "Caution", "warning": "Warning",
        "danger": "Danger", "important": "Important", "success": "Success", "secondary": "Note",
    ]

    struct Opening {
        var kind: String
        /// The default title ("Note") when the fence gives none.
        var label: String
        /// The title written on the fence line, as inline content.
        var title: [InlineNode]
    }

    var opening: Opening?
    /// The paragraph's text between its fence lines.
    var body: [InlineNode]
    var closes: Bool
    /// Lines after the closing fence, in the same paragraph (no blank line between).
    var rest: [InlineNode] = []

    /// Nil when the paragraph is not an admonition fence.
    static func parse(_ paragraph: Paragraph) -> Admonition? {
        let lines = split(paragraph.content.nodes)
        guard let first = lines.first, case .text(let head) = first.first, head.hasPrefix(":::") else {
            // A paragraph that does not open one may still hold a closing fence.
            guard let close = lines.indices.dropFirst().first(where: { isClosing(lines[$0]) }) else { return nil }
            return Admonition(
                opening: nil, body: Array(lines[..<close]).joinedLines(), closes: true,
                rest: Array(lines[(close + 1)...]).joinedLines())
        }
        let rest = head.drop { $0 == ":" }
        let word = String(rest.prefix { $0.isLetter }).lowercased()
        if word.isEmpty {
            // A closing fence, maybe with text after it.
            guard isClosing(first) else { return nil }
            return Admonition(opening: nil, body: [], closes: true, rest: Array(lines.dropFirst()).joinedLines())
        }
        guard let label = kinds[word] else { return nil }
        // The title: the rest of the fence line, with `[…]` (Docusaurus v3) unwrapped.
        var title: [InlineNode] = []
        let afterWord = String(rest.dropFirst(word.count))
        if !afterWord.isEmpty { title.append(.text(afterWord)) }
        title += first.dropFirst()
        title = trimTitle(title)
        let opening = Opening(kind: word == "secondary" ? "note" : word, label: label, title: title)
        guard let close = lines.indices.dropFirst().first(where: { isClosing(lines[$0]) }) else {
            return Admonition(opening: opening, body: Array(lines.dropFirst()).joinedLines(), closes: false)
        }
        return Admonition(
            opening: opening, body: Array(lines[1..<close]).joinedLines(), closes: true,
            rest: Array(lines[(close + 1)...]).joinedLines())
    }

    static func isClosing(_ line: [InlineNode]) -> Bool {
        guard let text = plain(line) else { return false }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.count >= 3 && trimmed.allSatisfy { $0 == ":" }
    }

    /// Drops the spaces and the `[` `]` around a fence line's title.
    static func trimTitle(_ nodes: [InlineNode]) -> [InlineNode] {
        var nodes = nodes
        if case .text(let text) = nodes.first {
            var trimmed = Substring(text).drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("[") { trimmed = trimmed.dropFirst() }
            if trimmed.isEmpty { nodes.removeFirst() } else { nodes[0] = .text(String(trimmed)) }
        }
        if case .text(let text) = nodes.last {
            var trimmed = Substring(text)
            while trimmed.last == " " || trimmed.last == "\t" { trimmed = trimmed.dropLast() }
            if trimmed.hasSuffix("]") { trimmed = trimmed.dropLast() }
            if trimmed.isEmpty { nodes.removeLast() } else { nodes[nodes.count - 1] = .text(String(trimmed)) }
        }
        return nodes
    }

    static func split(_ nodes: [InlineNode]) -> [[InlineNode]] {
        var lines: [[InlineNode]] = [[]]
        for node in nodes {
            if node == .softBreak || node == .lineBreak {
                lines.append([])
            } else {
                lines[lines.count - 1].append(node)
            }
        }
        return lines
    }

    /// A line's text when it is plain text only.
    static func plain(_ line: [InlineNode]) -> String? {
        var text = ""
        for node in line {
            guard case .text(let part) = node else { return nil }
            text += part
        }
        return text
    }
}

/// The copy button every code block carries: hidden until the script shows it,
/// and copying only the clean text it holds.
enum CopyButton {
    static func html(_ text: String, label: String = "Copy") -> String {
        "<button type=\"button\" class=\"copy-button\" hidden data-copy=\"\(HTML.attribute(text))\" aria-label=\"\(label) to clipboard\">\(label)</button>"
    }
}

/// A finding as HTML: icon, severity, message, rule, notes and the fix.
enum FindingHTML {
    static func render(_ diagnostic: Diagnostic, block: Bool, omittingNotes omit: (String) -> Bool = { _ in false })
        -> String
    {
        let severity = diagnostic.severity.rawValue
        let icon = ["error": "✖", "warning": "▲"][severity] ?? "ℹ"
        var html = "<span class=\"finding finding-\(severity)\" role=\"note\">"
        html += "<span class=\"finding-icon\" aria-hidden=\"true\">\(icon)</span> "
        html += "<span class=\"finding-severity\">\(severity)</span> "
        html += HTML.escape(diagnostic.message)
        html += " <span class=\"finding-rule\">\(HTML.escape(diagnostic.rule.rawValue))</span>"
        for note in diagnostic.notes where !omit(note) {
            html += "<span class=\"finding-help\">\(HTML.escape(note))</span>"
        }
        if let fix = diagnostic.fix {
            let replacement = fix.replacement.count > 200 ? String(fix.replacement.prefix(200)) + "…" : fix.replacement
            html += "<span class=\"finding-fix\">fix: \(HTML.escape(fix.message))"
            if !replacement.isEmpty && !fix.message.contains(replacement) {
                html += " <code>\(HTML.escape(replacement))</code>"
            }
            html += "</span>"
        }
        html += "</span>"
        // Outside code, a finding stands as its own block.
        return block ? "<div class=\"finding-block\">\(html)</div>\n" : html
    }
}

extension Array where Element == [InlineNode] {
    /// Lines joined back with soft breaks.
    func joinedLines() -> [InlineNode] {
        enumerated().flatMap { index, line in index == 0 ? line : [.softBreak] + line }
    }
}
