import Foundation
import KBAnalysis
import KBBlocks
import KBDiagnostics
import KBFacts
import KBGuide
import KBPolicyLint
import Synchronization

/// Runs every check over a set of guides, as a pipeline:
///
/// 1. the knowledge bases' claims are read (``KnowledgeRoots``);
/// 2. every file is loaded on all cores (``Verifier/loadAll(_:cache:claims:)``):
///    a guide whose cached result still holds is not parsed unless it is to be
///    rendered, a policy file is checked there;
/// 3. each guide the cache did not answer is classified, analysed and put
///    through the passes that look at it alone (``Verifier/guidePasses``), on
///    all cores; guides the cache answered are re-analysed in parallel when kept;
/// 4. every guide then goes through the passes that look across guides (links,
///    ids and routes), the knowledge base through ``Verifier/crossGuidePasses``;
/// 5. suppressions and rule levels settle each result, and the cache keeps
///    what the guides' own passes found.
public struct Verifier: Sendable {
    /// Guides larger than this are reported, not parsed.
    public var maxFileBytes = 16 * 1024 * 1024
    /// Commands kbtool cannot run are errors instead of notes.
    public var strict = false
    /// The kind of every standalone policy file (`--kind`), over `kind:` in kbtool.yml.
    public var policyKind: PolicyKind?
    /// Rule levels from `kbtool.yml`.
    public var configuration: Configuration?
    /// Where results of unchanged guides are kept between runs (`.kbtool-cache/`);
    /// nil verifies everything.
    public var cacheFolder: String?
    /// Parse every guide even when the cache answers, for renderers.
    public var keepsGuides = true
    /// Classify and analyse the guides the cache answered, when kept; off, they
    /// are only parsed (``GuideResult/parsed``), and a renderer that keeps its
    /// own output for unchanged guides does the rest for the others.
    public var analysesKeptGuides = true
    /// Parse the guides the cache answered, when guides are kept; off, only the
    /// guides checked in this run are kept, and a renderer parses the others
    /// itself if it needs them (their ``GuideResult/page`` places them).
    public var parsesCachedGuides = true
    /// Load every cached guide's full result (items by name, examples, facts),
    /// as `--format json` and `junit` show them; otherwise clean guides count only.
    public var needsFullResults = false

    public init(strict: Bool = false, configuration: Configuration? = nil) {
        self.strict = strict
        self.configuration = configuration
    }

    /// Throws when a file cannot be read at all: that is unreadable input (exit 2),
    /// not a finding about the guide.
    public func verify(_ files: [InputFile]) throws(InputError) -> VerificationReport {
        var report = VerificationReport(files: files)
        var knowledge = KnowledgeRoots.load(for: files)
        let key = cacheKey
        // The claims' probes run first: a fact is verified only against a claim proved in this run.
        knowledge.prove(cacheFolder: cacheFolder, key: key, binaryKey: binaryKey)
        report.sources = knowledge.sources
        report.knowledge = knowledge.loads
        report.proofs = knowledge.proofs.mapValues(\.states)

        let cache = cacheFolder.map { VerificationCache(folder: $0, key: key) }
        let loaded = try loadAll(files, cache: cache, claims: knowledge.fingerprints)
        let checked = checkGuides(files: files, loaded: loaded, knowledge: knowledge)

        var results: [(file: InputFile, result: GuideResult)] = []
        for (index, (file, load)) in zip(files, loaded).enumerated() {
            switch load {
            case .guide:
                if case .checked(let result) = checked[index] { results.append((file, result)) }
            case .cached(let entry, _):
                var result = entry.result ?? Self.placeholder(entry, file: file)
                result.file = file
                // Result files are shared by guides with the same bytes (they are
                // named by SHA-256): where this guide sits comes from its own index line.
                result.identity = entry.identity
                result.anchors = entry.anchors
                result.links = entry.links
                if case .reanalysed(let guide, let analysis) = checked[index] {
                    result.guide = guide
                    result.analysis = analysis
                } else if case .cached(_, let guide?) = load {
                    result.parsed = guide
                }
                results.append((file, result))
            case .json(let source, let found):
                report.sources[file.displayPath] = source
                report.otherFiles.append(
                    CheckedItem(
                        kind: .policyFile, range: SourceRange(file: file.displayPath, at: .init(line: 1, column: 1)),
                        name: "policy file", findings: found))
            case .tooLarge(let diagnostic), .unreadable(let diagnostic):
                report.otherFiles.append(
                    CheckedItem(kind: .guide, range: diagnostic.range, name: "guide", findings: [diagnostic]))
            }
        }

        // Across guides: the knowledge base's own checks, then each guide's links, ids and routes.
        let index = GuideIndex(results: results, maxFileBytes: maxFileBytes)
        report.knowledgeBase = knowledge.findings
        for pass in Self.crossGuidePasses { report.knowledgeBase += pass.check(index, knowledge: knowledge) }
        report.guides = results.map { file, result in link(result, file: file, index: index) }

        if let cache {
            save(files: files, loaded: loaded, checked: checked, into: cache, claims: knowledge.fingerprints)
        }
        report = settle(report)
        report.sources.merge(quotedSources(report.guides, files: files), uniquingKeysWith: { first, _ in first })
        return report
    }

    /// A guide's result with what the passes across guides found, in pass order.
    func link(_ result: GuideResult, file: InputFile, index: GuideIndex) -> GuideResult {
        var checks = GuideChecks(result)
        for (position, pass) in Self.guidePasses.enumerated() {
            guard case .linked(let linked) = pass else { continue }
            checks.pass = position
            linked.check(LinkedGuideInput(file: file, result: result, index: index), into: &checks)
        }
        var linked = checks.result
        linked.settleOrder()
        return linked
    }

    /// What the parallel stage made of a guide.
    enum Checked: Sendable {
        /// Checked by the passes that look at it alone.
        case checked(GuideResult)
        /// Answered by the cache but kept for rendering: classified and analysed only.
        case reanalysed(ClassifiedGuide, GuideAnalysis.Report)
    }

    /// Checks each guide the cache did not answer with the passes that look at
    /// it alone, and re-analyses each cached guide that was parsed, on all cores.
    func checkGuides(files: [InputFile], loaded: [Loaded], knowledge: KnowledgeRoots) -> [Int: Checked] {
        let results = Mutex<[Int: Checked]>([:])
        let verifier = self
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let file = files[index]
            switch loaded[index] {
            case .guide(let guide, _):
                // The knowledge base (the built-in claims too) is parsed here, once, on first use.
                let result = verifier.check(
                    file, guide: guide, factCheck: knowledge.loads[file.rootFolder]?.factCheck,
                    proofs: knowledge.proofs[file.rootFolder]?.states ?? [:])
                results.withLock { $0[index] = .checked(result) }
            case .cached(_, let guide?) where verifier.analysesKeptGuides:
                let classified = BlockClassifier.classify(guide)
                let analysis = GuideAnalysis.analyze(classified)
                results.withLock { $0[index] = .reanalysed(classified, analysis) }
            default:
                return
            }
        }
        return results.withLock { $0 }
    }

    /// Everything about one guide that depends on it alone (and its knowledge
    /// base's claims): what the cache keeps.
    func check(_ file: InputFile, guide: Guide, factCheck: FactCheck?, proofs: [String: ProofState] = [:])
        -> GuideResult
    {
        let classified = BlockClassifier.classify(guide)
        let analysis = GuideAnalysis.analyze(classified)
        var result = GuideResult(
            file: file,
            identity: PageIdentity(guide: guide, root: file.root, relativePath: file.relativePath),
            anchors: guide.anchors, links: guide.links)
        result.suppressions = Suppression.find(in: guide)
        result.components = ComponentUse.unknown(in: guide.mdx)
        result.page = PageMetadata(guide)
        result.blocks = analysis.blocks.map {
            BlockEntry(
                file: guide.path, line: $0.line, kind: $0.kind.description, evidence: $0.evidence, title: $0.title)
        }
        var checks = GuideChecks(result)
        checks.declare(
            .guide, at: guide.frontMatter?.range ?? SourceRange(file: guide.path, at: .init(line: 1, column: 1)),
            name: "front matter, links and markdown", key: .guide)
        let input = GuideInput(
            file: file, guide: classified, analysis: analysis, factCheck: factCheck, proofs: proofs, strict: strict)
        for (position, pass) in Self.guidePasses.enumerated() {
            guard case .guide(let own) = pass else { continue }
            checks.pass = position
            own.check(input, into: &checks)
        }
        result = checks.result
        result.settleOrder()
        result.source = guide.source
        // Only a renderer needs the parsed guide and its analysis; `verify` lets them go.
        if keepsGuides {
            result.guide = classified
            result.analysis = analysis
        }
        return result
    }

    /// A clean guide's result as the index keeps it: what the checks across
    /// guides need, and its items as counts (all passed: it had no findings).
    static func placeholder(_ entry: VerificationCache.Entry, file: InputFile) -> GuideResult {
        var result = GuideResult(
            file: file, identity: entry.identity, anchors: entry.anchors, links: entry.links)
        let at = SourceRange(file: file.displayPath, at: .init(line: 1, column: 1))
        result.items = (0..<entry.items).map { _ in
            CheckedItem(kind: .guide, range: at, name: "unchanged since the last run", findings: [])
        }
        result.flowSummary = entry.flowSummary
        return result
    }

    /// Drops what `kbtool-disable` comments silence and applies the configured
    /// rule levels, to the findings and to the items they decided.
    func settle(_ report: VerificationReport) -> VerificationReport {
        var settled = report
        for index in settled.guides.indices {
            let suppressions = settled.guides[index].suppressions
            guard configuration != nil || !suppressions.isEmpty else { continue }
            settled.guides[index].settle { diagnostic in
                guard !suppressions.contains(where: { $0.covers(diagnostic) }) else { return nil }
                return configuration.map { $0.apply(diagnostic) } ?? diagnostic
            }
        }
        guard let configuration else { return settled }
        settled.knowledgeBase = report.knowledgeBase.compactMap(configuration.apply)
        settled.otherFiles = report.otherFiles.map { item in
            CheckedItem(
                kind: item.kind, range: item.range, name: item.name,
                findings: item.findings.compactMap(configuration.apply))
        }
        return settled
    }

    /// The text of each guide with findings, for quoting: only those are read.
    func quotedSources(_ results: [GuideResult], files: [InputFile]) -> [String: SourceText] {
        var sources: [String: SourceText] = [:]
        let byPath = Dictionary(files.map { ($0.displayPath, $0) }, uniquingKeysWith: { first, _ in first })
        for result in results where result.hasFindings || result.items.contains(where: { !$0.findings.isEmpty }) {
            if let source = result.source ?? result.guide?.guide.source ?? result.parsed?.source {
                sources[result.path] = source
            } else if let file = byPath[result.path], let data = FileManager.default.contents(atPath: file.absolutePath)
            {
                sources[result.path] = SourceText(path: result.path, text: String(decoding: data, as: UTF8.self))
            }
        }
        return sources
    }

    /// Keeps each guide's own result (without the findings across guides) for the next run.
    func save(
        files: [InputFile], loaded: [Loaded], checked: [Int: Checked], into cache: VerificationCache,
        claims: [String: String]
    ) {
        var entries: [String: VerificationCache.Entry] = [:]
        var changed = false
        for (index, (file, load)) in zip(files, loaded).enumerated() {
            switch load {
            case .guide(_, let stamp):
                guard case .checked(let result) = checked[index] else { continue }
                changed = true
                entries[file.absolutePath] = cache.entry(
                    stamp: stamp, result: result, claims: claims[file.rootFolder] ?? "",
                    directory: (file.absolutePath as NSString).deletingLastPathComponent)
            case .cached(let entry, _):
                entries[file.absolutePath] = entry
            default:
                break
            }
        }
        cache.save(entries, changed: changed)
    }
}
