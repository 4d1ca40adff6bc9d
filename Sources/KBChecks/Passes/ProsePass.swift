import KBBlocks
import KBDiagnostics
import KBGuide

extension Rule {
    public static let guideEmpty = Rule(
        "guide-empty", .warning,
        summary: "A guide has no content: the file is empty, or holds only front matter.",
        why:
            "Its page would be blank, and a reader following a link to it finds nothing; usually a stub committed by mistake.",
        fix: "Write the guide, or remove the file (or mark it `draft: true`).",
        example: "the guide has only front matter, no content")
}

/// The guide's own prose: what reading the file found (encoding, front matter
/// syntax, markdown structure), its front matter fields, and whether it has
/// any content. All count against the guide's own item.
struct ProsePass: GuidePass {
    func check(_ input: GuideInput, into checks: inout GuideChecks) {
        let guide = input.guide.guide
        checks.reportOnGuide(guide.diagnostics + FrontMatterCheck.check(guide) + Self.emptiness(guide))
    }

    /// A guide with nothing after its front matter renders as an empty page; say so.
    static func emptiness(_ guide: Guide) -> [Diagnostic] {
        guard guide.blocks.isEmpty, !guide.diagnostics.contains(where: { $0.rule == .encoding }) else { return [] }
        let at =
            guide.frontMatter.map { SourceRange(file: guide.path, at: .init(line: $0.closingLine, column: 1)) }
            ?? SourceRange(file: guide.path, at: .init(line: 1, column: 1))
        let what = guide.frontMatter == nil ? "the guide is empty" : "the guide has only front matter, no content"
        return [
            Diagnostic(
                .warning, .guideEmpty, what, at: at,
                notes: ["its page would be blank; write the guide or remove the file"])
        ]
    }
}
