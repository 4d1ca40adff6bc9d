import KBDiagnostics
import KBFacts
import KBGuide

/// Markdown to HTML, as cmark parsed it: headings with their anchors,
/// paragraphs and pipe tables, lists, quotes, raw HTML through the sanitiser,
/// Docusaurus's admonitions; code blocks go to the view for their kind, and
/// each block is followed by the findings on its lines.
struct MarkdownRenderer {
    let page: PageContext
    var state = PageState()
    /// MDX elements (tabs, details) around the top-level blocks.
    var elements: MDXElements

    init(page: PageContext) {
        self.page = page
        elements = MDXElements(page.guide.mdx, sanitizer: page.sanitizer)
    }

    /// Renders a line of markdown's inline content as HTML (a `<summary>`'s text).
    var inlineMarkdown: (String) -> String {
        let (page, inline) = (page, inline)
        return { text in
            let guide = GuideParser.parse(path: page.guide.path, bytes: Array(text.utf8))
            guard case .paragraph(let paragraph)? = guide.blocks.first else { return HTML.escape(text) }
            let (depth, floor) = (page.sanitizer.sanitizer.depth, page.sanitizer.sanitizer.floor)
            page.sanitizer.sanitizer.floor = depth
            defer {
                page.sanitizer.sanitizer.endRun()
                page.sanitizer.sanitizer.floor = floor
            }
            return inline.render(paragraph.content.nodes) + page.sanitizer.sanitizer.close(downTo: depth)
        }
    }

    /// Inline rendering; raw HTML is sanitised when the configuration allows it
    /// (and dropped otherwise), and text inside a dropped element (`<script>`…`</script>`
    /// across inline nodes) is dropped with it.
    var inline: InlineRenderer {
        let box = page.sanitizer
        let resolveLink = page.resolveLink
        let resolveImage = page.resolveImage
        guard page.allowRawHTML else {
            return InlineRenderer(resolveLink: resolveLink, resolveImage: resolveImage, rawHTML: { _ in nil })
        }
        var renderer = InlineRenderer(resolveLink: resolveLink, resolveImage: resolveImage) { raw in
            box.sanitizer.sanitize(raw) { url, isImage in
                isImage ? (SafeURL.isRemote(url) ? nil : resolveImage(url)) : resolveLink(url)
            }
        }
        renderer.suppressText = { box.sanitizer.isSkipping }
        // Emphasis and links sit on the sanitiser's stack, so raw HTML opened
        // inside them closes with them (`*a <b>b*` is `<em>a <b>b</b></em>`).
        renderer.opened = { box.sanitizer.push($0) }
        renderer.closed = { box.sanitizer.closeElement($0) }
        return renderer
    }

    /// Inline content (a paragraph, a heading, a cell): raw HTML it leaves open
    /// is closed at its end, since a `<p>` or `<h2>` must not end inside it.
    func renderInline(_ nodes: [InlineNode]) -> String {
        let (depth, floor) = (page.sanitizer.sanitizer.depth, page.sanitizer.sanitizer.floor)
        page.sanitizer.sanitizer.floor = depth
        defer {
            page.sanitizer.sanitizer.endRun()
            page.sanitizer.sanitizer.floor = floor
        }
        let html = inline.render(nodes)
        return html + page.sanitizer.sanitizer.close(downTo: depth)
    }

    /// A container's blocks (the page, a block quote, a list item): admonition
    /// fences open and close callouts around them, and raw HTML the container
    /// leaves open is closed when it ends. `tight` list items show paragraphs
    /// without `<p>`.
    mutating func renderBlocks(_ blocks: [Block], tight: Bool = false, topLevel: Bool = false) -> String {
        var html = ""
        // The sanitiser's depth below each open admonition: closing one closes
        // what was opened inside it.
        var admonitions: [Int] = []
        let (depth, floor) = (page.sanitizer.sanitizer.depth, page.sanitizer.sanitizer.floor)
        // The container's raw end tags close only what it opened.
        page.sanitizer.sanitizer.floor = depth
        defer { page.sanitizer.sanitizer.floor = floor }
        var queue = blocks[...]
        let summary = inlineMarkdown
        while let block = queue.popFirst() {
            if topLevel { html += elements.emit(before: block.range.start, inline: summary) }
            if case .paragraph(let paragraph) = block {
                // MDX module lines (`import X from '…'`) are code, not prose.
                if topLevel, MDXModuleLines.matches(paragraph) { continue }
                if let fence = Admonition.parse(paragraph) {
                    if let opening = fence.opening {
                        let title = opening.title.isEmpty ? HTML.escape(opening.label) : renderInline(opening.title)
                        html +=
                            "<aside class=\"admonition admonition-\(opening.kind)\" role=\"note\">"
                            + "<p class=\"admonition-title\">\(title)</p>\n"
                        admonitions.append(page.sanitizer.sanitizer.depth)
                        page.sanitizer.sanitizer.push("aside")
                    }
                    if !fence.body.isEmpty {
                        html += "<p>\(renderInline(fence.body))</p>\n"
                        state.addText(paragraph.text)
                    }
                    if fence.closes, let below = admonitions.popLast() {
                        html += page.sanitizer.sanitizer.close(downTo: below) + "\n"
                    }
                    if !fence.rest.isEmpty {
                        // Text right after a closing fence is a paragraph of its own.
                        var rest = paragraph
                        rest.content = InlineContent(text: "", nodes: fence.rest)
                        queue.insert(.paragraph(rest), at: queue.startIndex)
                    } else {
                        html += state.findings(after: block.range, in: page)
                    }
                    continue
                }
                if tight {
                    state.addText(paragraph.text)
                    html +=
                        renderInline(paragraph.content.nodes) + "\n" + state.findings(after: paragraph.range, in: page)
                    continue
                }
            }
            html += renderBlock(block)
        }
        if topLevel { html += elements.finish(inline: summary) }
        // What the container's raw HTML, admonitions and MDX elements left open.
        let closing = page.sanitizer.sanitizer.close(downTo: depth)
        return html + closing + (admonitions.isEmpty ? "" : "\n")
    }

    private mutating func renderBlock(_ block: Block) -> String {
        switch block {
        case .heading(let heading):
            let anchor = HTMLSanitizer.pageID(heading.customID ?? heading.anchor)
            let level = min(max(heading.level, 1), 6)
            let text = heading.text
            if level == 2 || level == 3 { state.toc.append(TOCEntry(level: level, anchor: anchor, text: text)) }
            state.sections.append(SearchSection(heading: text, anchor: anchor, text: "", keywords: []))
            let extra = heading.htmlAnchors.map(HTMLSanitizer.pageID).filter { $0 != anchor }.map {
                "<span id=\"\(HTML.attribute($0))\"></span>"
            }.joined()
            return "<h\(level) id=\"\(HTML.attribute(anchor))\">\(extra)\(renderInline(heading.content.nodes))"
                + " <a class=\"hash-link\" href=\"#\(HTML.attribute(anchor))\" aria-label=\"Link to this section: \(HTML.attribute(text))\">#</a></h\(level)>\n"
                + state.findings(after: heading.range, in: page)
        case .paragraph(let paragraph):
            state.addText(paragraph.text)
            if let table = PipeTable.parse(paragraph, source: page.guide.source) {
                return renderTable(table) + state.findings(after: paragraph.range, in: page)
            }
            return "<p>\(renderInline(paragraph.content.nodes))</p>\n"
                + state.findings(after: paragraph.range, in: page)
        case .code(let code):
            let html = BlockViews.render(code, page: page, state: &state)
            return html
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
                "<span id=\"\(HTML.attribute(HTMLSanitizer.pageID($0)))\"></span>"
            }
            guard page.allowRawHTML else {
                return anchors.joined() + "<!-- raw HTML omitted -->\n" + state.findings(after: raw.range, in: page)
            }
            let resolveLink = page.resolveLink
            let resolveImage = page.resolveImage
            let html = page.sanitizer.sanitizer.sanitize(raw.literal) { url, isImage in
                isImage ? (SafeURL.isRemote(url) ? nil : resolveImage(url)) : resolveLink(url)
            }
            page.sanitizer.sanitizer.endRun()
            return html + "\n" + state.findings(after: raw.range, in: page)
        case .thematicBreak:
            return "<hr>\n"
        }
    }

    mutating func renderTable(_ table: PipeTable) -> String {
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

    /// A list item; a fact carries its badge, a task its checkbox.
    mutating func renderItem(_ item: ListItem, tight: Bool) -> String {
        var blocks = item.blocks
        var task = ""
        if let parsed = TaskListItem.parse(blocks) {
            blocks = parsed.blocks
            task =
                parsed.done
                ? "<span class=\"task task-done\" role=\"img\" aria-label=\"done\">☑</span> "
                : "<span class=\"task\" role=\"img\" aria-label=\"to do\">☐</span> "
        }
        let body = task + renderBlocks(blocks, tight: tight)
        guard let fact = page.factsByLine[item.range.start.line] else { return "<li>\(body)</li>\n" }
        let badge = FactBadge.html(fact, claimsPage: page.claimsPage, resolveDemonstration: page.resolveDemonstration)
        return "<li class=\"fact fact-\(fact.status.rawValue)\">\(body)\(badge)</li>\n"
    }
}
