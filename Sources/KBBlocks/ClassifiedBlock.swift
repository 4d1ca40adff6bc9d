import KBDiagnostics
import KBGuide
import KBJSON
import KBPolicy
import KBPolicyLint

/// A code block with what it is, why, and what reading it produced: its JSON
/// parsed once (with the dialect its fence names) and, for a policy, the policy
/// parsed once, for every check, the analysis and the site.
public struct ClassifiedBlock: Sendable {
    public var code: CodeBlock
    public var kind: BlockKind
    /// In words: "kind=key-policy", "the paragraph before it calls it a bucket
    /// policy", "its language is console".
    public var evidence: String
    /// How its text is read as JSON; nil when it is not JSON text (a `json`,
    /// `jsonc` or `json5` fence, or a bare fence whose text starts with `{` or `[`).
    public var dialect: JSONParser.Options?
    /// The JSON parse: the value (also after recovery) and the issues.
    public var json: JSONParseResult?
    /// The document parsed as a policy as written, when it reads as one: it has
    /// a `Statement`, or the author labelled it with `kind=`.
    public var policy: ParsedPolicy?
    /// The policy the analysis works with: the document, or a lone statement
    /// wrapped in a one-statement policy.
    public var document: PolicyDocument?
    /// The policy kind the prose around it names, when it names one.
    public var proseKind: PolicyKind?
    /// How sure the classifier is of the kind.
    public var confidence: Confidence = .guessed
    /// The documentation conventions its JSON was read with (an excerpt's `...`,
    /// statements one after another); empty when it parsed as written.
    public var liberties: [JSONReading.Liberty] = []
    /// The nearest heading before the block, and the paragraph just before it.
    public var heading: String?
    public var paragraph: String?
    /// The line of that heading (0 before any): blocks of one section share it.
    public var section = 0
    /// The numbered steps it is part of, outermost first: a run of `Step N`
    /// headings, then ordered lists. Prose that says "in step 2" points there.
    public var steps: [Step] = []

    /// One numbered step: its number, and the line where its series starts (the
    /// first `Step` heading of the run, or the ordered list), which tells two
    /// series apart.
    public struct Step: Hashable, Sendable {
        public var number: Int
        public var scope: Int

        public init(number: Int, scope: Int) {
            self.number = number
            self.scope = scope
        }
    }

    /// Whether the block is an excerpt: its JSON reads only with `...` or
    /// values shown one after another set aside.
    public var isExcerpt: Bool { liberties.contains { $0 != .callout } }

    /// Whether the paragraph before it presents it as part of a policy, or an
    /// example of one: rules about whole policies (a key policy's root statement)
    /// do not apply.
    public var isShownAsPart: Bool { isExcerpt || paragraph.map(PolicyProse.callsExcerpt) == true }

    /// Whether its fence names a JSON language (`json`, `jsonc`, `json5`).
    public var isTaggedJSON: Bool { ["json", "jsonc", "json5"].contains(code.language ?? "") }

    /// The JSON document, when the text parsed (also after recovery).
    public var value: JSONValue? { json?.value }

    public var policyKind: PolicyKind? { kind.policyKind }

    public var title: String? { code.attribute("title") }

    /// The line of its opening fence: how findings, examples and views find it.
    public var line: Int { code.range.start.line }

    /// How to name the block in a message: its title, else its kind and line.
    public var name: String {
        if let title { return "`\(title)`" }
        return "the \(kind) at line \(code.range.start.line)"
    }

    /// The opening fence line: where a finding about the whole block goes.
    public var fence: SourceRange {
        let start = code.range.start
        return SourceRange(
            file: code.range.file, start: start, end: SourcePosition(line: start.line, column: start.column + 3))
    }
}

/// How sure a classification is, weakest first.
public enum Confidence: Int, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// From weak signs only: a bare fence whose text starts with `{` but does not parse.
    case guessed
    /// From the text's structure or the prose around it.
    case inferred
    /// Said by the author: the fence's language, `kind=` or a title.
    case stated

    public static func < (lhs: Confidence, rhs: Confidence) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .guessed: return "guessed"
        case .inferred: return "inferred"
        case .stated: return "stated"
        }
    }
}

/// A guide with each of its code blocks classified, in document order.
public struct ClassifiedGuide: Sendable {
    public var guide: Guide
    /// Every code block, nested ones included, in document order.
    public var blocks: [ClassifiedBlock]

    public init(guide: Guide, blocks: [ClassifiedBlock]) {
        self.guide = guide
        self.blocks = blocks
    }

    public var path: String { guide.path }

    /// The JSON blocks whose text parsed: what the analysis reads and the
    /// `blocks` list of `--format json` shows.
    public var documents: [ClassifiedBlock] { blocks.filter { $0.kind.isJSON && $0.value != nil } }

    /// The blocks of one kind.
    public func blocks(_ kind: BlockKind) -> [ClassifiedBlock] { blocks.filter { $0.kind == kind } }
}
