import KBAnalysis
import KBDiagnostics
import KBFacts
import KBTranscript

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

/// Everything one run found: a result per guide, an item per file that is not
/// a guide (a policy file, a file that could not be read), and the findings
/// about the knowledge base's own files.
public struct VerificationReport: Sendable {
    public var files: [InputFile]
    /// Each guide's result, in input order.
    public var guides: [GuideResult] = []
    /// Policy files and files that could not be read as guides, each an item
    /// with its findings, in input order.
    public var otherFiles: [CheckedItem] = []
    /// Problems in claims.yml and prose-rules.yml, and claims whose
    /// demonstration leads nowhere.
    public var knowledgeBase: [Diagnostic] = []
    /// Problems in kbtool.yml, reported last (the command adds them).
    public var configuration: [Diagnostic] = []
    /// The text of each file with findings by display path, for quoting source lines.
    public var sources: [String: SourceText] = [:]
    /// Each knowledge base root's claims, by root folder (the built-in ones
    /// parsed on first use).
    public var knowledge: [String: KnowledgeBaseLoad] = [:]
    /// What each root's probes established about its claims, by root folder
    /// then claim id.
    public var proofs: [String: [String: ProofState]] = [:]
    /// The claims of each knowledge base root, by root folder.
    public var claims: [String: [Claim]] { knowledge.mapValues(\.base.claims) }

    public init(files: [InputFile]) {
        self.files = files
    }

    /// Every finding, in report order: files that are not guides, the knowledge
    /// base, each guide, then the configuration.
    public var diagnostics: [Diagnostic] {
        otherFiles.flatMap(\.findings) + knowledgeBase + guides.flatMap(\.diagnostics) + configuration
    }

    /// Every checked item: files that are not guides first, then each guide's.
    public var items: [CheckedItem] { otherFiles + guides.flatMap(\.items) }

    /// Every transcript command, in file order, with how it went.
    public var examples: [ExampleResult] { guides.flatMap(\.examples) }
    /// Every fact the guides state, with its claim and status.
    public var facts: [FactResult] { guides.flatMap(\.facts) }
    /// Each guide's JSON blocks with their kinds, for `--format json`.
    public var blocks: [BlockEntry] { guides.flatMap(\.blocks) }
    /// Each guide's cross-account flow, for `--format json`.
    public var flows: [FlowEntry] { guides.compactMap(\.flow) }
    /// "cross-account flow of FILE: works: …", for human output.
    public var flowSummaries: [(file: String, summary: String)] {
        guides.compactMap { guide in guide.flowSummary.map { (guide.path, $0) } }
    }

    public var summary: DiagnosticSummary {
        let items = self.items
        return DiagnosticSummary(
            files: files.count, diagnostics: diagnostics, passed: items.filter(\.passed).count,
            failed: items.filter { !$0.passed }.count)
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// `--strict`: a warning fails its item too, so reports agree with the exit status.
    public mutating func failItemsWithWarnings() {
        func fail(_ item: inout CheckedItem) {
            if item.findings.contains(where: { $0.severity == .warning }) { item.passed = false }
        }
        for index in otherFiles.indices { fail(&otherFiles[index]) }
        for guide in guides.indices {
            for item in guides[guide].items.indices { fail(&guides[guide].items[item]) }
        }
    }
}
