import KBAnalysis
import KBBlocks
import KBDiagnostics
import KBFacts
import KBGuide
import KBTranscript

/// A finding with the pass that reported it and the checked items it counts
/// against: none (it fails no item, as a transcript's setup), or usually one.
public struct Finding: Sendable, Codable {
    public var diagnostic: Diagnostic
    /// The reporting pass's place in ``Verifier/guidePasses``: a guide's findings
    /// are reported pass by pass, in that order.
    public var pass: Int
    /// Indices into the guide's items.
    public var items: [Int]
}

/// What `verify` found about one guide: the unit that streams out of
/// verification into the cache, the reporters and the site.
///
/// The cache keeps what the guide's own passes found; the passes that look at
/// other guides (links, ids and routes) add theirs on every run.
public struct GuideResult: Sendable, Codable {
    /// The guide's file (set anew on every run, also for a cached result).
    public var file: InputFile
    public var identity: PageIdentity
    public var anchors: [String: SourceRange]
    public var links: [Link]
    public var suppressions: [Suppression]
    /// Files in the guide's folder its transcripts read (`file://…`).
    public var filesRead: [String] = []
    /// The guide's checked items; the first is the guide's own (front matter,
    /// links and markdown). Each carries the findings that count against it.
    public var items: [CheckedItem] = []
    /// Every finding, in report order.
    public var findings: [Finding] = []
    public var examples: [ExampleResult] = []
    /// Each example's findings (not part of an example's JSON form), for the cache.
    var exampleFindings: [[Diagnostic]] = []
    public var facts: [FactResult] = []
    /// The guide's JSON blocks with their kinds, for `--format json`.
    public var blocks: [BlockEntry] = []
    public var flow: FlowEntry?
    /// "works: …" or "fails: …", for human output.
    public var flowSummary: String?
    /// The MDX components the site cannot render, for the note naming each once per run.
    public var components: [ComponentUse] = []
    /// What a site needs to place the guide's page (kept in the cache too).
    public var page: PageMetadata?

    /// The parsed and classified guide, when it was parsed for a caller that
    /// keeps guides (the site; not kept in the cache).
    public var guide: ClassifiedGuide?
    /// The guide's analysis, likewise.
    public var analysis: GuideAnalysis.Report?
    /// The parsed guide alone, when it was kept but neither classified nor
    /// analysed (``Verifier/analysesKeptGuides`` off: the site does that only
    /// for the pages it renders anew).
    public var parsed: Guide?
    /// The guide's text when it was checked in this run, for quoting findings.
    var source: SourceText?

    enum CodingKeys: String, CodingKey {
        case file, identity, anchors, links, suppressions, filesRead, items, findings, examples, exampleFindings
        case facts, blocks, flow, flowSummary, components, page
    }

    init(file: InputFile, identity: PageIdentity, anchors: [String: SourceRange], links: [Link]) {
        self.file = file
        self.identity = identity
        self.anchors = anchors
        self.links = links
        self.suppressions = []
    }

    /// The guide's path as shown in findings.
    public var path: String { file.displayPath }

    /// The findings, in report order.
    public var diagnostics: [Diagnostic] { findings.map(\.diagnostic) }

    /// Whether anything was found: a clean guide's result is not even loaded
    /// from the cache unless the output lists every item.
    public var hasFindings: Bool { !findings.isEmpty }
}

/// Where a pass records what it checked and found in one guide.
public struct GuideChecks: Sendable {
    /// Names an item so a later pass can report against it.
    public enum ItemKey: Hashable, Sendable {
        /// The guide's own item: front matter, links and markdown.
        case guide
        /// A code block's item, by its fence's line.
        case block(line: Int)
    }

    var result: GuideResult
    /// The pass now running.
    var pass = 0
    private var keyed: [ItemKey: Int] = [:]

    /// Checks that add to a result; its first item, if any, is the guide's own.
    init(_ result: GuideResult) {
        self.result = result
        if !result.items.isEmpty { keyed[.guide] = 0 }
    }

    /// Declares a checked item; it passes unless an error counts against it.
    @discardableResult
    public mutating func declare(_ kind: CheckedItem.Kind, at range: SourceRange, name: String, key: ItemKey? = nil)
        -> Int
    {
        result.items.append(CheckedItem(kind: kind, range: range, name: name, findings: []))
        if let key { keyed[key] = result.items.count - 1 }
        return result.items.count - 1
    }

    /// The item declared under a key, if any.
    public func item(_ key: ItemKey) -> Int? { keyed[key] }

    /// Reports findings that count against the given items (none: they fail no item).
    public mutating func report(_ diagnostics: [Diagnostic], against items: [Int]) {
        for diagnostic in diagnostics {
            result.findings.append(Finding(diagnostic: diagnostic, pass: pass, items: items))
        }
    }

    public mutating func report(_ diagnostics: [Diagnostic], against item: Int?) {
        report(diagnostics, against: item.map { [$0] } ?? [])
    }

    /// Reports findings about the guide as a whole, against its own item.
    public mutating func reportOnGuide(_ diagnostics: [Diagnostic]) {
        report(diagnostics, against: item(.guide))
    }

    public var examples: [ExampleResult] {
        get { result.examples }
        set { result.examples = newValue }
    }

    public var facts: [FactResult] {
        get { result.facts }
        set { result.facts = newValue }
    }

    public var filesRead: [String] {
        get { result.filesRead }
        set { result.filesRead = newValue }
    }

    public var flow: FlowEntry? {
        get { result.flow }
        set { result.flow = newValue }
    }

    public var flowSummary: String? {
        get { result.flowSummary }
        set { result.flowSummary = newValue }
    }
}

extension GuideResult {
    /// Puts the findings in report order (pass by pass, each pass's in its own
    /// order) and gives each item the findings that count against it.
    mutating func settleOrder() {
        findings = findings.enumerated().sorted { ($0.element.pass, $0.offset) < ($1.element.pass, $1.offset) }
            .map(\.element)
        var byItem = [[Diagnostic]](repeating: [], count: items.count)
        for finding in findings {
            for item in finding.items where item < byItem.count { byItem[item].append(finding.diagnostic) }
        }
        for index in items.indices {
            items[index] = CheckedItem(
                kind: items[index].kind, range: items[index].range, name: items[index].name, findings: byItem[index])
        }
    }

    /// Drops findings `kbtool-disable` comments silence and applies the
    /// configured rule levels; items pass or fail on what remains.
    mutating func settle(_ apply: (Diagnostic) -> Diagnostic?) {
        findings = findings.compactMap { finding in
            apply(finding.diagnostic).map { Finding(diagnostic: $0, pass: finding.pass, items: finding.items) }
        }
        settleOrder()
    }
}
