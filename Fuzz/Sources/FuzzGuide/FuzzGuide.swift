// libFuzzer target: a guide file read from disk, front matter and markdown,
// then everything checks read from the model (blocks, headings, anchors, links,
// code block positions) and the diagnostics rendered as `kbtool verify` prints
// them. Checks that every position the model reports is inside the file.
import KBDiagnostics
import KBGuide

/// One input; libFuzzer ignores the result.
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let guide = GuideParser.parse(path: "fuzz.md", bytes: bytes)
    let source = guide.source
    func check(_ range: SourceRange, _ what: @autoclosure () -> String) {
        let lines = max(source.lineCount, 1)
        guard range.start.line >= 1, range.start.column >= 1, range.end.line >= 1, range.end.column >= 1,
            range.start.line <= lines + 1, range.end.line <= lines + 1, range.start <= range.end
        else { fatalError("\(what()): range \(range) outside a file of \(source.lineCount) lines") }
        _ = source.byteOffset(of: range.start)
        _ = source.byteOffset(of: range.end)
    }

    if let frontMatter = guide.frontMatter {
        check(frontMatter.range, "front matter")
        _ = (frontMatter.id, frontMatter.title, frontMatter.slug, frontMatter.sidebarLabel, frontMatter.kbtool)
        var stack = frontMatter.value.map { [$0] } ?? []
        while let value = stack.popLast() {
            check(value.range, "YAML value")
            _ = (value.scalarText, value.typeName)
            stack += value.sequence ?? []
            stack += value.entries?.map(\.value) ?? []
        }
    }
    for block in guide.allBlocks {
        check(block.range, "block")
        switch block {
        case .heading(let heading):
            _ = HeadingSlugger.baseSlug(heading.text)
        case .code(let code):
            _ = (code.attribute("title"), code.attribute("kind"), code.hasAttribute("kb"))
            _ = CodeInfoParser.parse(code.info)
            let literal = code.literal.utf8.count
            for line in code.lines {
                check(code.sourceRange(ofLiteral: line.literalOffset..<line.literalOffset), "code line")
            }
            check(code.sourceRange(ofLiteral: 0..<literal), "code literal")
            _ = code.locator.range(literal..<(literal + 1))
        case .html(let html):
            _ = HTMLAnchorScanner.references(in: html.literal)
        case .list(let list):
            for item in list.items { _ = item.text }
        case .paragraph, .blockQuote, .thematicBreak:
            break
        }
    }
    for link in guide.links { check(link.range, "link \(link.destination)") }
    for (id, range) in guide.anchors { check(range, "anchor \(id)") }
    for diagnostic in guide.diagnostics {
        check(diagnostic.range, "diagnostic '\(diagnostic.message)'")
        for related in diagnostic.related { check(related.range, "related note") }
        if let fix = diagnostic.fix { check(fix.range, "fix") }
    }
    let writer = HumanDiagnosticWriter(sources: [source.path: source], colors: false)
    _ = writer.render(guide.diagnostics)
    return 0
}
