import Foundation
import KBDiagnostics
import KBFacts

/// The knowledge base of each root a run touches: the built-in claims and prose
/// rules, extended by the root's own `claims.yml` and `prose-rules.yml`. They
/// live at the knowledge base's root, the folder named on the command line; each
/// root keeps its own (a fixture's are not content/'s). The built-in base is
/// parsed only when a guide is checked or the claims are shown.
public struct KnowledgeRoots: Sendable {
    /// Root folders, sorted.
    public var folders: [String] = []
    /// Each root's knowledge base, by folder.
    public var loads: [String: KnowledgeBaseLoad] = [:]
    /// What each root's cached results depend on, for the cache.
    public var fingerprints: [String: String] = [:]
    /// Problems in the project's claims files.
    public var findings: [Diagnostic] = []
    /// The project's claims files' text by display path, for quoting.
    public var sources: [String: SourceText] = [:]
    /// What each root's probes established in this run, by folder
    /// (``prove(cacheFolder:key:binaryKey:)``).
    public var proofs: [String: ClaimProofs] = [:]

    /// Reads the project's claims files of every root folder of `files`.
    public static func load(for files: [InputFile]) -> KnowledgeRoots {
        var loaded = KnowledgeRoots()
        loaded.folders = Array(Set(files.map(\.rootFolder))).sorted()
        for folder in loaded.folders {
            let load = KnowledgeBaseLoad(folders: [folder]) { path in
                let cwd = FileManager.default.currentDirectoryPath + "/"
                return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
            }
            loaded.findings += load.diagnostics
            for (path, source) in load.project.sources { loaded.sources[path] = source }
            loaded.loads[folder] = load
            loaded.fingerprints[folder] = VerificationCache.fingerprint(load.identity)
        }
        return loaded
    }
}

/// A claim's demonstration (`guide.md#anchor`) must lead to a guide and a
/// heading that exist, or the claim's evidence is a dead link.
struct DemonstrationPass: CrossGuidePass {
    func check(_ index: GuideIndex, knowledge: KnowledgeRoots) -> [Diagnostic] {
        knowledge.folders.flatMap { folder in
            knowledge.loads[folder].map { check($0.project, folder: folder, index: index) } ?? []
        }
    }

    func check(_ base: ClaimBase, folder: String, index: GuideIndex) -> [Diagnostic] {
        // Built-in claims are demonstrated in kbtool's own knowledge base, not this one.
        base.claims.filter { $0.origin == .project }.compactMap { claim in
            guard let demonstration = claim.demonstration, !demonstration.contains("://") else { return nil }
            let parts = demonstration.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let path = ((folder as NSString).appendingPathComponent(String(parts[0])) as NSString).standardizingPath
            guard let found = index.anchors(of: path) else {
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
}
