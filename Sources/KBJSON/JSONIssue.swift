/// A problem found while parsing. Ranges are byte offsets into the parsed text.
public struct JSONIssue: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// The text is not JSON.
        case syntax
        /// An object names the same key twice; all but the last are lost.
        case duplicateKey
        /// The text is too large or nested too deeply to parse safely.
        case limit
        /// Valid JSON whose meaning is implementation-defined (a lone surrogate).
        case questionable
    }

    public struct Related: Hashable, Sendable {
        public var range: Range<Int>
        public var message: String
    }

    /// Replace the bytes in `range` with `replacement`.
    public struct Edit: Hashable, Sendable {
        public var range: Range<Int>
        public var replacement: String
        public var message: String
    }

    public var kind: Kind
    public var message: String
    public var range: Range<Int>
    public var related: [Related]
    public var fix: Edit?
    /// What the parser assumed to carry on, when it recovered.
    public var assumption: String?

    /// Whether the value could still be built; false means parsing stopped here.
    public var recovered: Bool

    public var isError: Bool { kind != .questionable }
}

/// The outcome of parsing: a value when the text (perhaps after recovery) had one.
public struct JSONParseResult: Sendable {
    public var value: JSONValue?
    public var issues: [JSONIssue]

    /// True when the text is strict JSON for the chosen dialect with no issue at all.
    public var isClean: Bool { value != nil && issues.isEmpty }
}
