import Foundation
import KBAnalysis
import KBDiagnostics
import KBFacts
import KBGuide
import KBJSON
import KBPolicyLint
import KBTranscript
import Synchronization

extension RuleID {
    public static let fileTooLarge = RuleID("file-too-large")
    public static let fileUnreadable = RuleID("file-unreadable")
}

/// Something `kbtool verify` checked and counts as passed or failed: a JSON block,
/// or a guide's own prose (front matter, links, encoding).
public struct CheckedItem: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case guide, jsonBlock, policyFile
        /// A command of a transcript.
        case example
        /// A guide's cross-account flow, run in the engine.
        case flow
        /// A fact a guide states, matched to the knowledge base's claims.
        case fact
    }

    public var kind: Kind
    public var range: SourceRange
    public var passed: Bool
    /// What the check is, in a few words ("json block `bucket-policy.json`",
    /// "`aws s3 cp …`"), for test reports.
    public var name: String
    /// The findings that decided it.
    public var findings: [Diagnostic]

    public init(kind: Kind, range: SourceRange, name: String, findings: [Diagnostic]) {
        self.kind = kind
        self.range = range
        self.name = name
        self.findings = findings
        self.passed = !findings.contains { $0.severity == .error }
    }
}

/// Everything one run found.
public struct VerificationReport: Sendable {
    public var files: [InputFile]
    /// The text of each file by display path, for quoting source lines.
    public var sources: [String: SourceText]
    public var diagnostics: [Diagnostic]
    public var items: [CheckedItem]
    /// Every transcript command, in file order, with how it went.
    public var examples: [ExampleResult] = []
    /// Each guide's blocks with their kinds, and its cross-account flow.
    public var analyses: [(file: String, analysis: GuideAnalysis.Report)] = []
    /// Every fact the guides state, with its claim and status.
    public var facts: [FactResult] = []
    /// The parsed guides, for renderers.
    public var guides: [(file: InputFile, guide: Guide)] = []
    /// The claims of each knowledge base root, by root folder.
    public var claims: [String: [Claim]] = [:]

    public var summary: DiagnosticSummary {
        DiagnosticSummary(
            files: files.count, diagnostics: diagnostics, passed: items.filter(\.passed).count,
            failed: items.filter { !$0.passed }.count)
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Runs every check over a set of guides.
public struct Verifier: Sendable {
    /// Guides larger than this are reported, not parsed.
    public var maxFileBytes = 16 * 1024 * 1024
    /// Commands kbtool cannot run are errors instead of notes.
    public var strict = false
    /// Rule levels from `kbtool.yml`.
    public var configuration: Configuration?

    public init(strict: Bool = false, configuration: Configuration? = nil) {
        self.strict = strict
        self.configuration = configuration
    }

    /// Throws when a file cannot be read at all: that is unreadable input (exit 2),
    /// not a finding about the guide.
    public func verify(_ files: [InputFile]) throws(InputError) -> VerificationReport {
        var guides: [(InputFile, Guide)] = []
        var diagnostics: [Diagnostic] = []
        var items: [CheckedItem] = []
        var sources: [String: SourceText] = [:]
        for (file, loaded) in zip(files, try loadAll(files)) {
            switch loaded {
            case .guide(let guide):
                guides.append((file, guide))
                sources[file.displayPath] = guide.source
            case .json(let source, let found):
                sources[file.displayPath] = source
                diagnostics += found
                items.append(
                    CheckedItem(
                        kind: .policyFile, range: SourceRange(file: file.displayPath, at: .init(line: 1, column: 1)),
                        name: "policy file", findings: found))
            case .tooLarge(let diagnostic), .unreadable(let diagnostic):
                diagnostics.append(diagnostic)
                items.append(CheckedItem(kind: .guide, range: diagnostic.range, name: "guide", findings: [diagnostic]))
            }
        }

        let anchors = AnchorCache(
            known: Dictionary(
                guides.map { ($0.0.absolutePath, $0.1.anchors) }, uniquingKeysWith: { first, _ in first }),
            maxFileBytes: maxFileBytes)
        let linkCheck = LinkCheck(anchorsOf: anchors.anchors(of:))
        let pages = guides.map { PageIdentity(guide: $0.1, root: $0.0.root, relativePath: $0.0.relativePath) }
        let crossGuide = FrontMatterCheck.checkAcrossGuides(pages)

        let transcripts = runTranscripts(guides)
        // The claims live at the knowledge base's root: the folders named.
        let folders = Array(
            Set(
                files.map(\.rootFolder))
        ).sorted()
        // Each root folder keeps its own claims (a fixture's are not content/'s).
        var factChecks: [String: FactCheck] = [:]
        var claimsByFolder: [String: [Claim]] = [:]
        for folder in folders {
            let (claims, claimFindings) = ClaimBase.load(folders: [folder]) { path in
                let cwd = FileManager.default.currentDirectoryPath + "/"
                return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
            }
            diagnostics += claimFindings
            for (path, source) in claims.sources { sources[path] = source }
            if !claims.claims.isEmpty || !claims.terms.isEmpty { factChecks[folder] = FactCheck(base: claims) }
            claimsByFolder[folder] = claims.claims
            diagnostics += Self.checkDemonstrations(claims, folder: folder, anchors: anchors)
        }
        var facts: [FactResult] = []
        var examples: [ExampleResult] = []
        var analyses: [(String, GuideAnalysis.Report)] = []
        for ((file, guide), transcript) in zip(guides, transcripts) {
            let prose =
                guide.diagnostics + FrontMatterCheck.check(guide) + Self.emptiness(guide)
                + linkCheck.check(guide, absolutePath: file.absolutePath)
                + crossGuide.filter { $0.range.file == guide.path }
            diagnostics += prose
            items.append(
                CheckedItem(
                    kind: .guide,
                    range: guide.frontMatter?.range ?? SourceRange(file: guide.path, at: .init(line: 1, column: 1)),
                    name: "front matter, links and markdown", findings: prose))
            var seenPlaceholders: Set<String> = []
            let analysis = GuideAnalysis.analyze(guide)
            let kinds = Dictionary(
                analysis.blocks.compactMap { block in block.policyKind.map { (block.code.range.start.line, $0) } },
                uniquingKeysWith: { first, _ in first })
            diagnostics += analysis.diagnostics
            // A wildcard grant is reported once: the least-privilege finding, with
            // its replacement statement, stands for the policy checks' own.
            let narrowed = Set(analysis.diagnostics.filter { $0.rule == .guideLeastPrivilege }.map(\.range))
            let flowFindings = analysis.diagnostics.filter { $0.rule == .guideFlow }
            if let flow = analysis.flow, flow.missing.isEmpty {
                items.append(
                    CheckedItem(
                        kind: .flow, range: flowFindings.first?.range ?? guide.source.range(fromByte: 0, toByte: 0),
                        name: "cross-account flow (put, get, list)", findings: flowFindings))
            }
            if let index = items.lastIndex(where: { $0.kind == .guide && $0.range.file == guide.path }) {
                let others = analysis.diagnostics.filter { $0.rule != .guideFlow }
                items[index] = CheckedItem(
                    kind: .guide, range: items[index].range, name: items[index].name,
                    findings: items[index].findings + others)
            }
            analyses.append((guide.path, analysis))
            if let factCheck = factChecks[file.rootFolder] {
                let checked = factCheck.check(guide)
                facts += checked.facts
                let proseFindings = checked.diagnostics.filter {
                    [.proseDeprecatedTerm, .proseOutdatedClaim].contains($0.rule)
                }
                diagnostics += checked.diagnostics
                // Fact findings by line, gathered once (not per fact).
                var byLine: [Int: [Diagnostic]] = [:]
                for finding in checked.diagnostics
                where ![.proseDeprecatedTerm, .proseOutdatedClaim].contains(finding.rule) {
                    byLine[finding.range.start.line, default: []].append(finding)
                }
                for fact in checked.facts {
                    let findings = byLine[fact.line] ?? []
                    items.append(
                        CheckedItem(
                            kind: .fact, range: SourceRange(file: guide.path, at: .init(line: fact.line, column: 1)),
                            name: "fact: \(fact.text.prefix(70))", findings: findings))
                }
                if let index = items.lastIndex(where: { $0.kind == .guide && $0.range.file == guide.path }) {
                    items[index] = CheckedItem(
                        kind: .guide, range: items[index].range, name: items[index].name,
                        findings: items[index].findings + proseFindings)
                }
            }
            for block in JSONBlockCheck.check(guide) {
                var found = block.diagnostics
                if let value = block.value {
                    found += checkPolicyBlock(
                        block.code, value: value, in: guide.source, classified: kinds[block.code.range.start.line],
                        owner: analysis.owner, seenPlaceholders: &seenPlaceholders
                    ).filter { finding in
                        !([.policyCrossAccountAdmin, .policyKMSIneffective].contains(finding.rule)
                            && narrowed.contains(finding.range))
                    }
                }
                diagnostics += found
                let title = block.code.attribute("title").map { " `\($0)`" } ?? ""
                items.append(
                    CheckedItem(kind: .jsonBlock, range: block.code.range, name: "JSON block\(title)", findings: found))
            }
            diagnostics += transcript.diagnostics
            examples += transcript.examples
            for example in transcript.examples where [.pass, .fail, .error].contains(example.status) {
                let command = example.command.split(separator: "\n").first.map(String.init) ?? ""
                items.append(
                    CheckedItem(
                        kind: .example,
                        range: SourceRange(file: file.displayPath, at: .init(line: example.line, column: 1)),
                        name: "$ \(command.count > 80 ? command.prefix(77) + "..." : command)",
                        findings: example.findings))
            }
        }
        var report = VerificationReport(files: files, sources: sources, diagnostics: diagnostics, items: items)
        report.examples = examples
        report.analyses = analyses
        report.facts = facts
        report.guides = guides.map { ($0.0, $0.1) }
        report.claims = claimsByFolder
        return settle(report, suppressions: guides.flatMap { Suppression.find(in: $0.1) })
    }

    /// A guide with nothing after its front matter renders as an empty page; say so.
    static func emptiness(_ guide: Guide) -> [Diagnostic] {
        guard guide.blocks.isEmpty, !guide.diagnostics.contains(where: { $0.rule == .encoding }) else { return [] }
        let at = guide.frontMatter.map { SourceRange(file: guide.path, at: .init(line: $0.closingLine, column: 1)) }
            ?? SourceRange(file: guide.path, at: .init(line: 1, column: 1))
        let what = guide.frontMatter == nil ? "the guide is empty" : "the guide has only front matter, no content"
        return [Diagnostic(.warning, .guideEmpty, what, at: at, notes: ["its page would be blank; write the guide or remove the file"])]
    }

    /// A claim's demonstration (`guide.md#anchor`) must lead to a guide and a
    /// heading that exist, or the claim's evidence is a dead link.
    static func checkDemonstrations(_ base: ClaimBase, folder: String, anchors: AnchorCache) -> [Diagnostic] {
        base.claims.compactMap { claim in
            guard let demonstration = claim.demonstration, !demonstration.contains("://") else { return nil }
            let parts = demonstration.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let path = ((folder as NSString).appendingPathComponent(String(parts[0])) as NSString).standardizingPath
            guard let found = anchors.anchors(of: path) else {
                return Diagnostic(
                    .error, .factsFile, "claim '\(claim.id)': its demonstration '\(parts[0])' is not a guide here",
                    at: claim.range)
            }
            guard parts.count == 2, !parts[1].isEmpty else { return nil }
            let anchor = String(parts[1])
            guard found[anchor] == nil else { return nil }
            let suggestion = Suggestion.closest(to: anchor, in: found.keys)
            return Diagnostic(
                .error, .factsFile, "claim '\(claim.id)': '\(parts[0])' has no heading '#\(anchor)'", at: claim.range,
                notes: suggestion.map { ["did you mean '#\($0)'?"] } ?? [])
        }
    }

    /// Drops what `kbtool-disable` comments silence and applies the configured
    /// rule levels, to the findings and to the items they decided.
    func settle(_ report: VerificationReport, suppressions: [Suppression]) -> VerificationReport {
        guard configuration != nil || !suppressions.isEmpty else { return report }
        func settle(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
            diagnostics.compactMap { diagnostic in
                guard !suppressions.contains(where: { $0.covers(diagnostic) }) else { return nil }
                guard let configuration else { return diagnostic }
                return configuration.apply(diagnostic)
            }
        }
        var settled = report
        settled.diagnostics = settle(report.diagnostics)
        settled.items = report.items.map { item in
            CheckedItem(kind: item.kind, range: item.range, name: item.name, findings: settle(item.findings))
        }
        return settled
    }

    /// Each guide's transcripts run in a world of its own, so guides run on all cores.
    func runTranscripts(_ guides: [(InputFile, Guide)]) -> [TranscriptRunner.Report] {
        let results = Mutex<[Int: TranscriptRunner.Report]>([:])
        let runner = TranscriptRunner(strict: strict)
        DispatchQueue.concurrentPerform(iterations: guides.count) { index in
            let (file, guide) = guides[index]
            let directory = (file.absolutePath as NSString).deletingLastPathComponent
            let report = runner.run(guide, directory: directory)
            results.withLock { $0[index] = report }
        }
        return results.withLock { all in guides.indices.map { all[$0] ?? TranscriptRunner.Report() } }
    }

    /// Policy checks for a guide's JSON block, when the block is a policy.
    func checkPolicyBlock(
        _ code: CodeBlock, value: JSONValue, in source: SourceText, classified: PolicyKind? = nil, owner: String? = nil,
        seenPlaceholders: inout Set<String>
    ) -> [Diagnostic] {
        let kindAttribute = code.attribute("kind")
        guard PolicyCheck.isPolicy(value, labelled: kindAttribute != nil) else { return [] }
        // Point at `kind=…` on the fence line when it is written there.
        let fenceLine = source.line(code.range.start.line)
        var fence = SourceRange(
            file: code.range.file, start: code.range.start,
            end: SourcePosition(line: code.range.start.line, column: code.range.start.column + 3))
        if let kind = kindAttribute, let found = fenceLine.range(of: "kind=") {
            let column =
                fenceLine.unicodeScalars.distance(from: fenceLine.unicodeScalars.startIndex, to: found.lowerBound) + 1
            fence = SourceRange(
                file: code.range.file, start: SourcePosition(line: code.range.start.line, column: column),
                end: SourcePosition(line: code.range.start.line, column: column + 5 + kind.unicodeScalars.count))
        }
        return PolicyCheck.check(
            value, text: code.literal, locate: code.locator,
            evidence: .init(
                attribute: kindAttribute.map { ($0, fence) }, name: code.attribute("title"), classified: classified),
            ownerAccount: code.attribute("account") ?? owner, seenPlaceholders: &seenPlaceholders)
    }

    /// Syntax, then policy checks, for a standalone JSON file.
    func checkJSONFile(_ source: SourceText, file: InputFile) -> [Diagnostic] {
        let locate = SourceLocator(source)
        let whole = SourceRange(file: file.displayPath, at: .init(line: 1, column: 1))
        let result = JSONParser.parse(source.text)
        var found = result.issues.map { JSONBlockCheck.diagnostic($0, locate: locate, whole: whole) }
        guard let value = result.value, PolicyCheck.isPolicy(value, labelled: false) else { return found }
        var seen: Set<String> = []
        found += PolicyCheck.check(
            value, text: source.text, locate: locate,
            evidence: .init(name: (file.absolutePath as NSString).lastPathComponent),
            ownerAccount: nil, seenPlaceholders: &seen)
        return found
    }

    /// Reads and parses one file, or says why it could not.
    enum Loaded: Sendable {
        case guide(Guide)
        /// A JSON file, already checked: its findings come with it.
        case json(SourceText, [Diagnostic])
        case tooLarge(Diagnostic)
        /// Found in a folder but not readable as a file (a FIFO, a dangling link, no permission).
        case unreadable(Diagnostic)
    }

    /// Loads and parses every file on all cores (files are independent), keeping
    /// their order; standalone JSON files are checked here too.
    func loadAll(_ files: [InputFile]) throws(InputError) -> [Loaded] {
        let results = Mutex<[Int: Result<Loaded, InputError>]>([:])
        let verifier = self
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let file = files[index]
            let result = Result { () throws(InputError) -> Loaded in
                var loaded = try verifier.load(file)
                if case .json(let source, _) = loaded {
                    loaded = .json(source, verifier.checkJSONFile(source, file: file))
                }
                return loaded
            }
            results.withLock { $0[index] = result }
        }
        return try results.withLock { all throws(InputError) in
            var ordered: [Loaded] = []
            for index in files.indices { ordered.append(try all[index]!.get()) }
            return ordered
        }
    }

    func load(_ file: InputFile) throws(InputError) -> Loaded {
        let top = SourceRange(file: file.displayPath, at: SourcePosition(line: 1, column: 1))
        func unreadable(_ why: String) -> Loaded {
            .unreadable(Diagnostic(.error, .fileUnreadable, "cannot read the file: \(why)", at: top))
        }
        // Look before reading: a FIFO would block, a huge file would fill memory.
        let resolved = (file.absolutePath as NSString).resolvingSymlinksInPath
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved) else {
            return unreadable("it is a symbolic link to nothing, or it was removed")
        }
        let type = attributes[.type] as? FileAttributeType
        if type == .typeSymbolicLink { return unreadable("it is a symbolic link that leads nowhere, or in a loop") }
        guard type == .typeRegular else {
            let kind =
                [
                    FileAttributeType.typeCharacterSpecial: "a character device",
                    .typeBlockSpecial: "a block device", .typeSocket: "a socket", .typeDirectory: "a folder",
                ][type ?? .typeUnknown] ?? "a FIFO or other special file"
            return unreadable("it is \(kind), not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if size > maxFileBytes {
            return .tooLarge(
                Diagnostic(
                    .error, .fileTooLarge,
                    "the file is \(size) bytes, more than the \(maxFileBytes)-byte limit; split it", at: top))
        }
        guard let data = FileManager.default.contents(atPath: resolved) else {
            let descriptor = open(resolved, O_RDONLY)
            let reason = descriptor < 0 ? String(cString: strerror(errno)) : "reading failed"
            if descriptor >= 0 { close(descriptor) }
            return unreadable(reason.lowercased())
        }
        if data.count > maxFileBytes {
            return .tooLarge(
                Diagnostic(
                    .error, .fileTooLarge,
                    "the file is \(data.count) bytes, more than the \(maxFileBytes)-byte limit; split it", at: top))
        }
        if file.absolutePath.lowercased().hasSuffix(".json") {
            return .json(SourceText(path: file.displayPath, text: String(decoding: data, as: UTF8.self)), [])
        }
        return .guide(GuideParser.parse(path: file.displayPath, bytes: Array(data)))
    }
}

/// Anchors of link targets: the checked guides up front, other markdown files
/// parsed once on first use.
final class AnchorCache {
    private var byPath: [String: [String: SourceRange]?]
    private let maxFileBytes: Int

    init(known: [String: [String: SourceRange]], maxFileBytes: Int) {
        self.byPath = known.mapValues { $0 }
        self.maxFileBytes = maxFileBytes
    }

    func anchors(of path: String) -> [String: SourceRange]? {
        if let cached = byPath[path] { return cached }
        var anchors: [String: SourceRange]?
        if let data = FileManager.default.contents(atPath: path), data.count <= maxFileBytes {
            anchors = GuideParser.parse(path: path, bytes: Array(data)).anchors
        }
        byPath[path] = .some(anchors)
        return anchors
    }
}
