import Foundation
import KBAnalysis
import KBBlocks
import KBDiagnostics
import KBFacts
import KBGuide

/// What a pass over one guide reads: the guide with its blocks classified and
/// its analysis, and what the knowledge base and the run provide.
public struct GuideInput: Sendable {
    public var file: InputFile
    public var guide: ClassifiedGuide
    public var analysis: GuideAnalysis.Report
    /// The knowledge base's claims and prose rules, when it has any.
    public var factCheck: FactCheck?
    /// What this run's probes established about each claim, by id.
    public var proofs: [String: ProofState] = [:]
    /// `--strict`: commands kbtool cannot run are errors.
    public var strict: Bool

    /// The guide's folder, where its transcripts read files.
    public var directory: String { (file.absolutePath as NSString).deletingLastPathComponent }
}

/// A check of one guide on its own. Its findings depend on the guide, its
/// knowledge base's claims and the files its transcripts read, so the cache
/// keeps them.
public protocol GuidePass: Sendable {
    func check(_ input: GuideInput, into checks: inout GuideChecks)
}

/// What a pass over one guide and the others reads: the guide's result (from
/// this run or the cache) and the index of every guide checked.
public struct LinkedGuideInput {
    public var file: InputFile
    public var result: GuideResult
    public var index: GuideIndex
}

/// A check of one guide against the others (links into them, ids and routes
/// they share). It runs on every verify, for guides the cache answered too.
public protocol LinkedGuidePass: Sendable {
    func check(_ input: LinkedGuideInput, into checks: inout GuideChecks)
}

/// A check of the knowledge base as a whole, about files that are not guides
/// (a claim's demonstration must lead to a guide's heading).
public protocol CrossGuidePass: Sendable {
    func check(_ index: GuideIndex, knowledge: KnowledgeRoots) -> [Diagnostic]
}

/// A pass in the per-guide list.
public enum VerifyPass: Sendable {
    /// Runs when the guide is checked; kept in the cache.
    case guide(any GuidePass)
    /// Runs on every verify, with every guide's anchors and identity at hand.
    case linked(any LinkedGuidePass)
}

extension Verifier {
    /// The passes over each guide, registered once: a guide's findings are
    /// reported pass by pass in this order, and each pass declares the items it
    /// checks (the guide's own item is declared before any pass).
    public static let guidePasses: [VerifyPass] = [
        .guide(ProsePass()),
        .linked(LinkPass()),
        .linked(PageIdentityPass()),
        .linked(MDXComponentPass()),
        .guide(AnalysisPass()),
        .guide(FactPass()),
        .guide(JSONPass()),
        .guide(PolicyLintPass()),
        .guide(CommandPass()),
        .guide(TranscriptPass()),
    ]

    /// The passes over the knowledge base as a whole, after every guide.
    public static let crossGuidePasses: [any CrossGuidePass] = [DemonstrationPass()]
}

/// Every guide of a run, for the passes that look across guides: their
/// anchors (other markdown files are parsed once, on first use) and the ids and
/// routes two of them share.
public final class GuideIndex {
    private var anchorsByPath: [String: [String: SourceRange]?]
    private let maxFileBytes: Int
    /// Pages that claim a doc id or route an earlier page has, by guide file.
    let pageConflicts: [String: [Diagnostic]]
    /// Every guide's URL, for links without extension.
    let routes: DocusaurusRoutes
    /// The note naming each unknown MDX component, by the guide of its first use.
    let componentNotes: [String: [Diagnostic]]

    init(results: [(file: InputFile, result: GuideResult)], maxFileBytes: Int) {
        self.anchorsByPath = Dictionary(
            results.map { ($0.file.absolutePath, Optional($0.result.anchors)) }, uniquingKeysWith: { first, _ in first }
        )
        self.maxFileBytes = maxFileBytes
        var conflicts: [String: [Diagnostic]] = [:]
        for diagnostic in FrontMatterCheck.checkAcrossGuides(results.map(\.result.identity)) {
            conflicts[diagnostic.range.file, default: []].append(diagnostic)
        }
        self.pageConflicts = conflicts
        self.componentNotes = ComponentUse.notes(results.map(\.result))
        self.routes = DocusaurusRoutes(
            results.map { ($0.file.root, $0.file.rootFolder, $0.result.identity.route, $0.file.absolutePath) })
    }

    /// The anchors of the markdown file at an absolute path, or nil when it
    /// cannot be read as a guide.
    public func anchors(of path: String) -> [String: SourceRange]? {
        if let cached = anchorsByPath[path] { return cached }
        var anchors: [String: SourceRange]?
        if let data = FileManager.default.contents(atPath: path), data.count <= maxFileBytes {
            anchors = GuideParser.parse(path: path, bytes: Array(data)).anchors
        }
        anchorsByPath[path] = .some(anchors)
        return anchors
    }

    /// Link checks resolve against this index.
    lazy var linkCheck = LinkCheck(
        anchorsOf: { [unowned self] in self.anchors(of: $0) },
        routeTarget: { [unowned self] in self.routes.target(of: $0, from: $1) })
}
