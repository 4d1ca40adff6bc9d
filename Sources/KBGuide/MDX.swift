import KBDiagnostics

/// What MDX adds to a guide, as Docusaurus reads it: `import`/`export` lines and
/// JSX element tags (`<Tabs>`, `<TabItem value="x">`, `<Screenshot />`), and in
/// any guide the HTML `<details>`/`<summary>` tags that stand on lines of their
/// own. cmark never sees them: ``MDXScanner`` blanks them out, keeping every
/// line break, so the markdown between tags is parsed as markdown (as MDX does)
/// and every position stays the file's. Renderers rebuild the elements from
/// ``tags``; checks read ``imports`` and the component names.
public struct MDXContent: Sendable, Hashable {
    /// Whether the guide is MDX: a `.mdx` file, or one with a top-level
    /// `import … from '…'` line (Docusaurus reads `.md` files as MDX too).
    public var isMDX = false
    /// Element tags in document order.
    public var tags: [MDXTag] = []
    /// `import` statements, in document order.
    public var imports: [MDXImport] = []

    public init(isMDX: Bool = false, tags: [MDXTag] = [], imports: [MDXImport] = []) {
        self.isMDX = isMDX
        self.tags = tags
        self.imports = imports
    }

    /// Each component used (a capitalised tag name) with its first tag.
    public var components: [(name: String, range: SourceRange)] {
        var seen: Set<String> = []
        return tags.compactMap { tag in
            guard tag.kind != .close, tag.isComponent, seen.insert(tag.name).inserted else { return nil }
            return (tag.name, tag.range)
        }
    }

    /// The module a component name was imported from, as written (`@site/docs/_x.mdx`).
    public func importSource(of name: String) -> String? {
        imports.last { $0.names.contains(name) }?.source
    }
}

/// One JSX tag of an MDX guide.
public struct MDXTag: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case open, close, selfClosing
    }

    public var name: String
    public var kind: Kind
    /// Attributes in order; an expression value (`values={[…]}`) keeps its source text.
    public var attributes: [MDXAttribute]
    public var range: SourceRange
    /// No text shares its lines: the tag is a block of its own, between blocks.
    public var isBlock: Bool

    /// A React component rather than an HTML element.
    public var isComponent: Bool { name.first?.isUppercase == true }

    public func attribute(_ name: String) -> MDXAttribute? {
        attributes.first { $0.name == name }
    }
}

public struct MDXAttribute: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        /// A bare attribute (`default`): true in JSX.
        case none
        case string(String)
        /// `{…}`: the expression's source, braces excluded.
        case expression(String)
    }

    public var name: String
    public var value: Value

    /// The value as text: a string literal's text, or an expression that is a
    /// single string or number literal.
    public var text: String? {
        switch value {
        case .none: return nil
        case .string(let text): return text
        case .expression(let code):
            let trimmed = code.trimmingSpaces
            if let literal = MDXScanner.stringLiteral(trimmed) { return literal }
            return trimmed.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" } && !trimmed.isEmpty ? trimmed : nil
        }
    }

    /// True for a bare attribute or `{true}`.
    public var isTrue: Bool {
        switch value {
        case .none: return true
        case .string: return false
        case .expression(let code): return code.trimmingSpaces == "true"
        }
    }
}

/// `import Name from 'module'` (also `import {A, B as C} from …`).
public struct MDXImport: Sendable, Hashable {
    /// Local names bound by the statement.
    public var names: [String]
    public var source: String
    public var range: SourceRange
}

extension String {
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}

/// MDX has no indented code: a fence indented four spaces or more (common
/// inside `<TabItem>`) is still a fence. cmark reads it as an indented code
/// block whose first line is the fence; this turns such a block back into the
/// fenced block it is, every line keeping its place in the file.
enum IndentedFence {
    static func reread(_ blocks: [Block]) -> [Block] {
        blocks.map { block in
            switch block {
            case .code(let code) where !code.isFenced: return .code(fenced(code) ?? code)
            case .blockQuote(var quote):
                quote.blocks = reread(quote.blocks)
                return .blockQuote(quote)
            case .list(var list):
                list.items = list.items.map { item in
                    var item = item
                    item.blocks = reread(item.blocks)
                    return item
                }
                return .list(list)
            default: return block
            }
        }
    }

    static func fenced(_ code: CodeBlock) -> CodeBlock? {
        guard let first = code.lines.first else { return nil }
        let indent = first.text.prefix { $0 == " " }.count
        let opening = first.text.dropFirst(indent)
        guard let fenceCharacter = opening.first, fenceCharacter == "`" || fenceCharacter == "~" else { return nil }
        let length = opening.prefix { $0 == fenceCharacter }.count
        let info = String(opening.dropFirst(length)).trimmingSpaces
        guard length >= 3, !(fenceCharacter == "`" && info.contains("`")) else { return nil }
        var closing: Int?
        for index in code.lines.indices.dropFirst() {
            let text = code.lines[index].text.drop { $0 == " " }
            if text.prefix(while: { $0 == fenceCharacter }).count >= length,
                text.drop(while: { $0 == fenceCharacter }).allSatisfy({ $0 == " " })
            {
                closing = index
                break
            }
        }
        var lines: [CodeLine] = []
        var literal = ""
        for line in code.lines[1..<(closing ?? code.lines.count)] {
            // As CommonMark does: the fence's indentation is removed from each line, when present.
            let strip = min(indent, line.text.prefix { $0 == " " }.count)
            var shifted = line
            shifted.text = String(line.text.dropFirst(strip))
            shifted.literalOffset = literal.utf8.count
            shifted.column += strip
            lines.append(shifted)
            literal += shifted.text + "\n"
        }
        var result = code
        let (language, attributes) = CodeInfoParser.parse(info)
        result.isFenced = true
        result.isClosed = closing != nil
        result.info = info
        result.language = language
        result.attributes = attributes
        result.literal = literal
        result.lines = lines
        return result
    }
}
