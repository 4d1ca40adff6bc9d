import KBDiagnostics
import KBGuide

extension Rule {
    /// An MDX component the site cannot render.
    public static let mdxUnknownComponent = Rule(
        "mdx-unknown-component", .note,
        summary:
            "A guide uses an MDX component kbtool does not render (anything but `<Tabs>` and `<TabItem>`); named once per run, at its first use, with how often it is used.",
        why:
            "kbtool is not a JavaScript runtime: on the site, the component's tags are dropped and what it wraps is kept, so a `<Screenshot>` or an imported partial shows nothing of its own.",
        fix:
            "Write what the component shows as markdown, or accept the text it wraps; `kbtool-disable mdx-unknown-component` in the guide silences the note.",
        example:
            "MDX component <Screenshot> is not rendered by kbtool: its tags are dropped and what it wraps is kept (12 uses in 4 guides; this is the first)"
    )
}

/// An MDX component a guide uses that the site cannot render: its first tag
/// and how many tags (opening or self-closing) use it in the guide.
public struct ComponentUse: Sendable, Hashable, Codable {
    public var name: String
    public var range: SourceRange
    public var uses: Int

    /// Components the site renders (``MDXElements`` in KBSite).
    static let rendered: Set<String> = ["Tabs", "TabItem"]

    /// The unknown components of a guide, by first use.
    static func unknown(in mdx: MDXContent) -> [ComponentUse] {
        var found: [ComponentUse] = []
        var index: [String: Int] = [:]
        for tag in mdx.tags where tag.kind != .close && tag.isComponent && !rendered.contains(tag.name) {
            if let at = index[tag.name] {
                found[at].uses += 1
            } else {
                index[tag.name] = found.count
                found.append(ComponentUse(name: tag.name, range: tag.range, uses: 1))
            }
        }
        return found
    }

    /// One note per component across every guide of the run, at its first use
    /// (guides in input order), by the guide file it is reported in.
    static func notes(_ results: [GuideResult]) -> [String: [Diagnostic]] {
        var first: [String: ComponentUse] = [:]
        var order: [String] = []
        var guides: [String: Int] = [:]
        var total: [String: Int] = [:]
        for result in results {
            for use in result.components {
                if first[use.name] == nil {
                    first[use.name] = use
                    order.append(use.name)
                }
                total[use.name, default: 0] += use.uses
                guides[use.name, default: 0] += 1
            }
        }
        var notes: [String: [Diagnostic]] = [:]
        for name in order {
            let use = first[name]!
            let count = total[name]!
            let spread = guides[name]! == 1 ? "" : " in \(guides[name]!) guides"
            let uses = count == 1 ? "its only use" : "\(count) uses\(spread); this is the first"
            notes[use.range.file, default: []].append(
                Diagnostic(
                    .note, .mdxUnknownComponent,
                    "MDX component <\(name)> is not rendered by kbtool: its tags are dropped and what it wraps is kept (\(uses))",
                    at: use.range))
        }
        return notes
    }
}

/// Names each unknown MDX component once per run (``ComponentUse/notes(_:)``),
/// in the guide that uses it first.
struct MDXComponentPass: LinkedGuidePass {
    func check(_ input: LinkedGuideInput, into checks: inout GuideChecks) {
        checks.reportOnGuide(input.index.componentNotes[input.file.displayPath] ?? [])
    }
}
