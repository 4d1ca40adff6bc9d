import Foundation
import KBAnalysis
import KBDiagnostics
import KBFacts
import KBGuide
import KBJSON
import KBPolicy
import KBPolicyLint
import KBTranscript
import Synchronization

extension RuleID {
    public static let fileTooLarge = RuleID("file-too-large")
    public static let fileUnreadable = RuleID("file-unreadable")
}

/// Something `kbtool verify` checked and counts as passed or failed: a JSON block,
/// or a guide's own prose (front matter, links, encoding).
public struct CheckedItem: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
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
    /// The parsed guides, for renderers (all of them unless the verifier was
    /// told not to keep guides the cache answered).
    public var guides: [(file: InputFile, guide: Guide)] = []
    /// Each guide's JSON blocks with their kinds, and cross-account flows, for `--format json`.
    public var blocks: [BlockEntry] = []
    public var flows: [FlowEntry] = []
    /// "cross-account flow of FILE: works: …", for human output.
    public var flowSummaries: [(file: String, summary: String)] = []
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
    /// The kind of every standalone policy file (`--kind`), over `kind:` in kbtool.yml.
    public var policyKind: PolicyKind?
    /// Rule levels from `kbtool.yml`.
    public var configuration: Configuration?
    /// Where results of unchanged guides are kept between runs (`.kbtool-cache/`);
    /// nil verifies everything.
    public var cacheFolder: String?
    /// Parse every guide even when the cache answers, for renderers.
    public var keepsGuides = true
    /// Load every cached guide's full result (items by name, examples, facts),
    /// as `--format json` and `junit` show them; otherwise clean guides count only.
    public var needsFullResults = false

    /// What every cached result depends on beyond its guide: kbtool itself (its
    /// version and the binary), the AWS catalogue, and how strictly it runs.
    var cacheKey: String {
        let path =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let executable = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
        let binary =
            "\((executable[.size] as? NSNumber)?.intValue ?? 0)@\((executable[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        return "kbtool \(Self.version) \(binary) catalogue \(ServiceCatalogue.shippedFingerprint) strict \(strict)"
    }

    /// kbtool's version, for cache keys (the command layer owns the displayed one).
    public static let version = "0.1.0"

    public init(strict: Bool = false, configuration: Configuration? = nil) {
        self.strict = strict
        self.configuration = configuration
    }

    /// Throws when a file cannot be read at all: that is unreadable input (exit 2),
    /// not a finding about the guide.
    public func verify(_ files: [InputFile]) throws(InputError) -> VerificationReport {
        var diagnostics: [Diagnostic] = []
        var items: [CheckedItem] = []
        var sources: [String: SourceText] = [:]

        // The claims live at the knowledge base's root: the folders named. Each
        // root folder keeps its own claims (a fixture's are not content/'s).
        let folders = Array(Set(files.map(\.rootFolder))).sorted()
        var factChecks: [String: FactCheck] = [:]
        var claimsByFolder: [String: [Claim]] = [:]
        var claimsFingerprint: [String: String] = [:]
        var claimBases: [String: ClaimBase] = [:]
        var claimFindings: [Diagnostic] = []
        for folder in folders {
            let (claims, found) = ClaimBase.load(folders: [folder]) { path in
                let cwd = FileManager.default.currentDirectoryPath + "/"
                return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
            }
            claimFindings += found
            for (path, source) in claims.sources { sources[path] = source }
            if !claims.claims.isEmpty || !claims.terms.isEmpty { factChecks[folder] = FactCheck(base: claims) }
            claimsByFolder[folder] = claims.claims
            claimBases[folder] = claims
            claimsFingerprint[folder] = VerificationCache.fingerprint(
                claims.sources.keys.sorted().map { claims.sources[$0]!.text }.joined(separator: "\u{0}"))
        }

        // Load every file; a guide whose cached result still holds is not parsed
        // (unless the caller needs the parsed guides, to render them).
        let cache = cacheFolder.map { VerificationCache(folder: $0, key: cacheKey) }
        let loaded = try loadAll(files, cache: cache, claims: claimsFingerprint)

        // Check what the cache did not answer, guides on all cores.
        let fresh = checkGuides(files: files, loaded: loaded, factChecks: factChecks)

        var results: [(InputFile, GuideResult)] = []
        var guides: [(InputFile, Guide)] = []
        var analyses: [(String, GuideAnalysis.Report)] = []
        for (index, (file, load)) in zip(files, loaded).enumerated() {
            switch load {
            case .guide(let guide, _):
                guard let (result, analysis) = fresh[index] else { continue }
                results.append((file, result))
                guides.append((file, guide))
                analyses.append((guide.path, analysis))
            case .cached(let entry, let guide):
                results.append((file, entry.result ?? Self.placeholder(entry, file: file)))
                if let guide {
                    guides.append((file, guide))
                    analyses.append((guide.path, GuideAnalysis.analyze(guide)))
                }
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

        // Across guides: links (to any guide's anchors), ids and routes, claims' demonstrations.
        let anchors = AnchorCache(
            known: Dictionary(
                results.map { ($0.0.absolutePath, $0.1.anchors) }, uniquingKeysWith: { first, _ in first }),
            maxFileBytes: maxFileBytes)
        let linkCheck = LinkCheck(anchorsOf: anchors.anchors(of:))
        let crossGuide = FrontMatterCheck.checkAcrossGuides(results.map(\.1.identity))
        diagnostics += claimFindings
        for folder in folders {
            if let base = claimBases[folder] {
                diagnostics += Self.checkDemonstrations(base, folder: folder, anchors: anchors)
            }
        }

        var report = VerificationReport(files: files, sources: sources, diagnostics: diagnostics, items: items)
        let guideByPath = Dictionary(guides.map { ($0.0.absolutePath, $0.1) }, uniquingKeysWith: { first, _ in first })
        var suppressions: [Suppression] = []
        for (file, result) in results {
            let links =
                linkCheck.check(links: result.links, ownAnchors: result.anchors, absolutePath: file.absolutePath)
                + crossGuide.filter { $0.range.file == file.displayPath }
            report.diagnostics += result.prose + links + result.rest
            var guideItems = result.items
            if !guideItems.isEmpty {
                let first = guideItems[0]
                guideItems[0] = CheckedItem(
                    kind: first.kind, range: first.range, name: first.name,
                    findings: result.prose + links + Array(first.findings.dropFirst(result.prose.count)))
            }
            report.items += guideItems
            report.examples += result.examples
            report.facts += result.facts
            report.blocks += result.blocks
            if let flow = result.flow { report.flows.append(flow) }
            if let line = result.flowSummary { report.flowSummaries.append((file.displayPath, line)) }
            suppressions += result.suppressions
            if !(result.prose + links + result.rest).isEmpty || result.items.contains(where: { !$0.findings.isEmpty }) {
                // Quoting needs the text; only files with findings are read for it.
                if let guide = guideByPath[file.absolutePath] {
                    report.sources[file.displayPath] = guide.source
                } else if let data = FileManager.default.contents(atPath: file.absolutePath) {
                    report.sources[file.displayPath] = SourceText(
                        path: file.displayPath, text: String(decoding: data, as: UTF8.self))
                }
            }
        }
        report.guides = guides
        report.analyses = analyses
        report.claims = claimsByFolder
        if let cache {
            var entries: [String: VerificationCache.Entry] = [:]
            for (index, (file, load)) in zip(files, loaded).enumerated() {
                switch load {
                case .guide(_, let stamp):
                    if let (result, _) = fresh[index] {
                        entries[file.absolutePath] = cache.entry(
                            stamp: stamp, result: result, claims: claimsFingerprint[file.rootFolder] ?? "",
                            directory: (file.absolutePath as NSString).deletingLastPathComponent)
                    }
                case .cached(let entry, _):
                    entries[file.absolutePath] = entry
                default:
                    break
                }
            }
            cache.save(entries, changed: !fresh.isEmpty)
        }
        return settle(report, suppressions: suppressions)
    }

    /// A clean guide's result as the index keeps it: what the checks across
    /// guides need, and its items as counts (all passed: it had no findings).
    static func placeholder(_ entry: VerificationCache.Entry, file: InputFile) -> GuideResult {
        var result = GuideResult(
            identity: entry.identity, anchors: entry.anchors, links: entry.links, suppressions: [], filesRead: [])
        let at = SourceRange(file: file.displayPath, at: .init(line: 1, column: 1))
        result.items = (0..<entry.items).map { _ in
            CheckedItem(kind: .guide, range: at, name: "unchanged since the last run", findings: [])
        }
        result.flowSummary = entry.flowSummary
        return result
    }

    /// Checks each guide that was parsed (not answered by the cache), on all cores.
    func checkGuides(files: [InputFile], loaded: [Loaded], factChecks: [String: FactCheck]) -> [Int: (
        GuideResult, GuideAnalysis.Report
    )] {
        let results = Mutex<[Int: (GuideResult, GuideAnalysis.Report)]>([:])
        let runner = TranscriptRunner(strict: strict)
        let verifier = self
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            guard case .guide(let guide, _) = loaded[index] else { return }
            let file = files[index]
            let directory = (file.absolutePath as NSString).deletingLastPathComponent
            let transcript = runner.run(guide, directory: directory)
            let result = verifier.check(
                file: file, guide: guide, transcript: transcript, factCheck: factChecks[file.rootFolder])
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0 }
    }

    /// Everything about one guide that depends on it alone (and its knowledge
    /// base's claims): what the cache keeps.
    func check(file: InputFile, guide: Guide, transcript: TranscriptRunner.Report, factCheck: FactCheck?) -> (
        GuideResult, GuideAnalysis.Report
    ) {
        var result = GuideResult(
            identity: PageIdentity(guide: guide, root: file.root, relativePath: file.relativePath),
            anchors: guide.anchors, links: guide.links, suppressions: Suppression.find(in: guide),
            filesRead: transcript.filesRead)
        result.prose = guide.diagnostics + FrontMatterCheck.check(guide) + Self.emptiness(guide)
        var items: [CheckedItem] = [
            CheckedItem(
                kind: .guide,
                range: guide.frontMatter?.range ?? SourceRange(file: guide.path, at: .init(line: 1, column: 1)),
                name: "front matter, links and markdown", findings: result.prose)
        ]
        var rest: [Diagnostic] = []
        var seenPlaceholders: Set<String> = []
        let analysis = GuideAnalysis.analyze(guide)
        let kinds = Dictionary(
            analysis.blocks.compactMap { block in block.policyKind.map { (block.code.range.start.line, $0) } },
            uniquingKeysWith: { first, _ in first })
        rest += analysis.diagnostics
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
        items[0].findings += analysis.diagnostics.filter { $0.rule != .guideFlow }
        if let factCheck {
            let checked = factCheck.check(guide)
            result.facts = checked.facts
            let proseRules: [RuleID] = [.proseDeprecatedTerm, .proseOutdatedClaim]
            rest += checked.diagnostics
            // Fact findings by line, gathered once (not per fact).
            var byLine: [Int: [Diagnostic]] = [:]
            for finding in checked.diagnostics where !proseRules.contains(finding.rule) {
                byLine[finding.range.start.line, default: []].append(finding)
            }
            for fact in checked.facts {
                items.append(
                    CheckedItem(
                        kind: .fact, range: SourceRange(file: guide.path, at: .init(line: fact.line, column: 1)),
                        name: "fact: \(fact.text.prefix(70))", findings: byLine[fact.line] ?? []))
            }
            items[0].findings += checked.diagnostics.filter { proseRules.contains($0.rule) }
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
            rest += found
            let title = block.code.attribute("title").map { " `\($0)`" } ?? ""
            items.append(
                CheckedItem(kind: .jsonBlock, range: block.code.range, name: "JSON block\(title)", findings: found))
        }
        rest += transcript.diagnostics
        result.examples = transcript.examples
        for example in transcript.examples where [.pass, .fail, .error].contains(example.status) {
            let command = example.command.split(separator: "\n").first.map(String.init) ?? ""
            items.append(
                CheckedItem(
                    kind: .example,
                    range: SourceRange(file: file.displayPath, at: .init(line: example.line, column: 1)),
                    name: "$ \(command.count > 80 ? command.prefix(77) + "..." : command)",
                    findings: example.findings))
        }
        result.rest = rest
        result.items = items
        result.blocks = analysis.blocks.map {
            BlockEntry(
                file: guide.path, line: $0.code.range.start.line, kind: $0.kind.description, evidence: $0.evidence,
                title: $0.title)
        }
        result.flow = analysis.flow.map { FlowEntry(file: guide.path, $0) }
        result.flowSummary = analysis.flow?.summary
        return (result, analysis)
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
            evidence: .init(
                said: policyKind ?? configuration?.kind(absolutePath: file.absolutePath),
                name: Self.fileName(file.absolutePath)),
            ownerAccount: nil, seenPlaceholders: &seen)
        return found
    }

    /// The last component of a path, found on the bytes.
    static func fileName(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// Reads and parses one file, or says why it could not.
    enum Loaded: Sendable {
        /// Parsed, to be checked; with the stamp the cache records.
        case guide(Guide, VerificationCache.Stamp)
        /// Answered by the cache; the guide is parsed only when the caller keeps
        /// guides, and its full result loaded only when needed.
        case cached(VerificationCache.Entry, Guide?)
        /// A JSON file, already checked: its findings come with it.
        case json(SourceText, [Diagnostic])
        case tooLarge(Diagnostic)
        /// Found in a folder but not readable as a file (a FIFO, a dangling link, no permission).
        case unreadable(Diagnostic)
    }

    /// Loads every file on all cores (files are independent), keeping their
    /// order: JSON files are checked here, guides parsed unless the cache holds
    /// their result.
    func loadAll(_ files: [InputFile], cache: VerificationCache?, claims: [String: String]) throws(InputError)
        -> [Loaded]
    {
        let results = Mutex<[Int: Result<Loaded, InputError>]>([:])
        let verifier = self
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let file = files[index]
            let result = Result { () throws(InputError) -> Loaded in
                var loaded = try verifier.load(file, cache: cache, claims: claims[file.rootFolder] ?? "")
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

    func load(_ file: InputFile, cache: VerificationCache? = nil, claims: String = "") throws(InputError) -> Loaded {
        let top = SourceRange(file: file.displayPath, at: SourcePosition(line: 1, column: 1))
        func unreadable(_ why: String) -> Loaded {
            .unreadable(Diagnostic(.error, .fileUnreadable, "cannot read the file: \(why)", at: top))
        }
        // A standalone policy file (never cached): stat(2) says what it is, cheaper
        // than FileManager's attribute dictionary; anything unusual goes the long way.
        if file.absolutePath.lowercased().hasSuffix(".json") {
            var info = stat()
            if stat(file.absolutePath, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= maxFileBytes,
                let data = FileManager.default.contents(atPath: file.absolutePath), data.count <= maxFileBytes
            {
                return .json(SourceText(path: file.displayPath, text: String(decoding: data, as: UTF8.self)), [])
            }
        }
        // Look before reading: a FIFO would block, a huge file would fill memory.
        // realpath(3) is the fast way for the usual file; what it cannot resolve
        // (a dangling or looping link) goes the slow way, to be described.
        let resolved =
            realpath(file.absolutePath, nil).map { pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            } ?? (file.absolutePath as NSString).resolvingSymlinksInPath
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
        let isJSON = file.absolutePath.lowercased().hasSuffix(".json")
        var known: Data?
        if let cache, !isJSON {
            // An unchanged guide (same size and time) is not even read.
            let (stamp, data) = cache.stamp(file.absolutePath, attributes: attributes) {
                FileManager.default.contents(atPath: resolved)
            }
            known = data
            if let entry = cache.lookup(
                file.absolutePath, stamp: stamp, claims: claims, full: needsFullResults || keepsGuides)
            {
                guard keepsGuides else { return .cached(entry, nil) }
                guard let bytes = data ?? FileManager.default.contents(atPath: resolved) else {
                    return unreadable("reading failed")
                }
                return .cached(entry, GuideParser.parse(path: file.displayPath, bytes: Array(bytes)))
            }
        }
        guard let data = known ?? (size == 0 ? Data() : FileManager.default.contents(atPath: resolved)) else {
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
        // The stamp is for the cache; without one, the bytes are not hashed.
        let stamp = VerificationCache.Stamp(
            size: data.count, modified: (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0,
            sha256: cache == nil ? "" : VerificationCache.fingerprint(data))
        return .guide(GuideParser.parse(path: file.displayPath, bytes: Array(data)), stamp)
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
