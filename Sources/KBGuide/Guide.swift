import KBDiagnostics

/// A parsed markdown guide: its front matter and its block tree, every element
/// with its exact range in the original file. Pure values; no cmark pointer survives
/// parsing.
public struct Guide: Sendable {
    public var source: SourceText
    public var frontMatter: FrontMatter?
    public var blocks: [Block]
    /// Problems found while reading the file itself (encoding, YAML syntax).
    public var diagnostics: [Diagnostic]
    /// MDX module lines and JSX tags (and `<details>`/`<summary>` lines), which
    /// cmark never saw.
    public var mdx: MDXContent

    public var path: String { source.path }

    public init(
        source: SourceText, frontMatter: FrontMatter?, blocks: [Block], diagnostics: [Diagnostic],
        mdx: MDXContent = MDXContent()
    ) {
        self.source = source
        self.frontMatter = frontMatter
        self.blocks = blocks
        self.diagnostics = diagnostics
        self.mdx = mdx
    }
}

/// One block of the document tree, in source order.
public enum Block: Sendable, Hashable {
    case heading(Heading)
    case paragraph(Paragraph)
    case code(CodeBlock)
    case list(ListBlock)
    case blockQuote(BlockQuote)
    case html(HTMLBlock)
    case thematicBreak(SourceRange)

    public var range: SourceRange {
        switch self {
        case .heading(let heading): return heading.range
        case .paragraph(let paragraph): return paragraph.range
        case .code(let code): return code.range
        case .list(let list): return list.range
        case .blockQuote(let quote): return quote.range
        case .html(let html): return html.range
        case .thematicBreak(let range): return range
        }
    }

    /// Blocks nested directly inside this one.
    public var children: [Block] {
        switch self {
        case .list(let list): return list.items.flatMap(\.blocks)
        case .blockQuote(let quote): return quote.blocks
        default: return []
        }
    }
}

/// Inline content flattened to what checks need: the plain text a reader sees,
/// and the links and raw HTML inside it.
public struct InlineContent: Sendable, Hashable {
    /// Text with markup removed; code spans keep their text, images their alt text.
    public var text: String
    public var links: [Link]
    public var html: [String]
    /// The inline tree as a flat stream of events (no recursion), for renderers.
    public var nodes: [InlineNode]

    public init(text: String = "", links: [Link] = [], html: [String] = [], nodes: [InlineNode] = []) {
        self.text = text
        self.links = links
        self.html = html
        self.nodes = nodes
    }
}

/// One event of a paragraph's or heading's inline content, in document order.
/// Containers come as matching enter/exit pairs, so nesting needs no recursion.
public enum InlineNode: Sendable, Hashable {
    case text(String)
    case code(String)
    case softBreak
    case lineBreak
    /// Raw inline HTML as written; renderers decide whether it passes.
    case html(String)
    case enterEmphasis, exitEmphasis
    case enterStrong, exitStrong
    case enterLink(destination: String, title: String)
    case exitLink
    case enterImage(destination: String, title: String)
    case exitImage
}

public struct Heading: Sendable, Hashable {
    public var level: Int
    /// The heading's text, without a trailing `{#custom-id}`.
    public var content: InlineContent
    /// The id a link reaches this heading by, as Docusaurus and GitHub compute it.
    public var anchor: String
    /// An explicit `{#custom-id}`, when the author wrote one.
    public var customID: String?
    /// Further ids defined by raw HTML in the heading, e.g. `<a name="x"></a>`.
    public var htmlAnchors: [String]
    public var range: SourceRange

    public var text: String { content.text }
}

public struct Paragraph: Sendable, Hashable {
    public var content: InlineContent
    public var range: SourceRange

    public var text: String { content.text }
}

/// A link or image, with its target as written (after reference resolution).
public struct Link: Sendable, Hashable, Codable {
    public var destination: String
    public var title: String
    public var text: String
    public var isImage: Bool
    /// The span of the target text in the file when it could be found, else the
    /// span of the whole link.
    public var range: SourceRange

    public init(destination: String, title: String, text: String, isImage: Bool, range: SourceRange) {
        self.destination = destination
        self.title = title
        self.text = text
        self.isImage = isImage
        self.range = range
    }
}

public struct ListBlock: Sendable, Hashable {
    public var ordered: Bool
    /// The first number of an ordered list.
    public var start: Int
    public var tight: Bool
    public var items: [ListItem]
    public var range: SourceRange
}

/// A list item: in guides, often one "fact".
public struct ListItem: Sendable, Hashable {
    public var blocks: [Block]
    public var range: SourceRange

    /// The item's own paragraphs' text, nested lists excluded.
    public var text: String {
        blocks.compactMap { block -> String? in
            if case .paragraph(let paragraph) = block { return paragraph.text }
            return nil
        }.joined(separator: "\n")
    }
}

public struct BlockQuote: Sendable, Hashable {
    public var blocks: [Block]
    public var range: SourceRange
}

public struct HTMLBlock: Sendable, Hashable {
    public var literal: String
    /// `<a href>` and `<img src>` targets inside it.
    public var links: [Link]
    public var range: SourceRange
}
