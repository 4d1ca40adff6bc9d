import Foundation
import KBDiagnostics
import KBEmbedded
import Synchronization

/// One knowledge base's claims as a run needs them. The project's files are
/// read at once: they are small, and their mistakes are reported on every run.
/// The built-in base (92 claims, some 170 KB of YAML) is parsed and merged only
/// when something needs the claims themselves (a guide to check, the site's
/// claims page), so a run the cache answers never pays for it.
public final class KnowledgeBaseLoad: Sendable {
    /// The project's own claims and terms, unmerged.
    public let project: ClaimBase
    /// Problems in the project's files.
    private let projectDiagnostics: [Diagnostic]
    /// What a cached result depends on: the built-in files' digests and the
    /// project files' text, without parsing either.
    public let identity: String
    private let merged = Mutex<(base: ClaimBase, diagnostics: [Diagnostic], check: FactCheck)?>(nil)

    /// Reads the project's claims.yml and prose-rules.yml from the first of
    /// `folders` that has either (see ``ClaimBase/loadProject(folders:display:)``).
    public init(folders: [String], display: (String) -> String) {
        let (project, found) = ClaimBase.loadProject(folders: folders, display: display)
        let builtIn = [ClaimBase.embeddedClaims, ClaimBase.embeddedRules].map { Embedded.file($0)?.sha256 ?? "-" }
        self.project = project
        projectDiagnostics = found
        identity = (builtIn + project.sources.keys.sorted().map { project.sources[$0]!.text }).joined(
            separator: "\u{0}")
    }

    /// The project files' findings. Checking `disable` lists needs the built-in
    /// ids, so only a project that disables something has the built-in parsed here.
    public var diagnostics: [Diagnostic] {
        guard !project.disabledClaims.isEmpty || !project.disabledTerms.isEmpty else { return projectDiagnostics }
        return mergedBase().diagnostics
    }

    /// The built-in base extended by the project's.
    public var base: ClaimBase { mergedBase().base }

    /// The checks of facts and prose against ``base``, prepared once.
    public var factCheck: FactCheck { mergedBase().check }

    /// Whether the built-in base has been parsed and merged (for tests).
    var isMerged: Bool { merged.withLock { $0 != nil } }

    private func mergedBase() -> (base: ClaimBase, diagnostics: [Diagnostic], check: FactCheck) {
        // Under the lock, so guides checked on several cores prepare it once.
        merged.withLock { merged in
            if let merged { return merged }
            var (base, diagnostics) = ClaimBase.builtIn
            diagnostics = projectDiagnostics + diagnostics + base.extend(with: project)
            let result = (base, diagnostics, FactCheck(base: base))
            merged = result
            return result
        }
    }
}
