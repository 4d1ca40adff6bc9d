import Foundation
import KBDiagnostics
import KBFacts

/// The claims and prose rules of each knowledge base a run touches. They live
/// at the knowledge base's root, the folder named on the command line; each root
/// keeps its own (a fixture's are not content/'s).
public struct KnowledgeBases: Sendable {
    /// Root folders, sorted.
    public var folders: [String] = []
    /// Each root's claims and prose rules as read.
    public var bases: [String: ClaimBase] = [:]
    /// Each root's fact check, when it has claims or terms.
    public var factChecks: [String: FactCheck] = [:]
    /// A fingerprint of each root's claims.yml and prose-rules.yml, for the cache.
    public var fingerprints: [String: String] = [:]
    /// Problems in the claims files.
    public var findings: [Diagnostic] = []
    /// The claims files' text by display path, for quoting.
    public var sources: [String: SourceText] = [:]

    /// Reads the claims of every root folder of `files`.
    public static func load(for files: [InputFile]) -> KnowledgeBases {
        var loaded = KnowledgeBases()
        loaded.folders = Array(Set(files.map(\.rootFolder))).sorted()
        for folder in loaded.folders {
            let (claims, found) = ClaimBase.load(folders: [folder]) { path in
                let cwd = FileManager.default.currentDirectoryPath + "/"
                return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
            }
            loaded.findings += found
            for (path, source) in claims.sources { loaded.sources[path] = source }
            if !claims.claims.isEmpty || !claims.terms.isEmpty { loaded.factChecks[folder] = FactCheck(base: claims) }
            loaded.bases[folder] = claims
            loaded.fingerprints[folder] = VerificationCache.fingerprint(
                claims.sources.keys.sorted().map { claims.sources[$0]!.text }.joined(separator: "\u{0}"))
        }
        return loaded
    }

    /// The claims of each root, by folder.
    public var claims: [String: [Claim]] { bases.mapValues(\.claims) }
}

/// A claim's demonstration (`guide.md#anchor`) must lead to a guide and a
/// heading that exist, or the claim's evidence is a dead link.
struct DemonstrationPass: CrossGuidePass {
    func check(_ index: GuideIndex, knowledgeBases: KnowledgeBases) -> [Diagnostic] {
        knowledgeBases.folders.flatMap { folder in
            knowledgeBases.bases[folder].map { check($0, folder: folder, index: index) } ?? []
        }
    }

    func check(_ base: ClaimBase, folder: String, index: GuideIndex) -> [Diagnostic] {
        base.claims.compactMap { claim in
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
