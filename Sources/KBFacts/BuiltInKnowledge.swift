import Foundation
import KBDiagnostics
import KBEmbedded

/// kbtool's own knowledge base, compiled in from `KnowledgeBase/claims.yml` and
/// `KnowledgeBase/prose-rules.yml`: every guide, in any repository, is checked
/// against it. A project's files extend it, as a Docusaurus or mdBook theme
/// folder extends the default: a claim with a built-in claim's id replaces it,
/// new ids add claims, `disable: [ids]` drops built-in claims, and
/// prose-rules.yml's terms replace or add terms the same way.
extension ClaimBase {
    /// The embedded files' names (Sources/KBEmbedded/embedded-files.txt).
    static let embeddedClaims = "kb/claims.yml"
    static let embeddedRules = "kb/prose-rules.yml"

    /// How built-in files are named in diagnostics and sources.
    public static func builtInPath(_ file: String) -> String { "kbtool:built-in/\(file)" }

    /// The built-in base, parsed once per run. Its findings (none, as a test
    /// checks) are reported with the project's.
    public static let builtIn: (ClaimBase, [Diagnostic]) = {
        var base = ClaimBase()
        var diagnostics: [Diagnostic] = []
        for (name, file) in [(embeddedClaims, claimsFile), (embeddedRules, proseRulesFile)] {
            guard let embedded = Embedded.file(name) else { continue }
            let source = SourceText(path: builtInPath(file), text: embedded.text)
            base.sources[source.path] = source
            diagnostics += file == claimsFile ? base.readClaims(source) : base.readRules(source)
        }
        for index in base.claims.indices { base.claims[index].origin = .builtIn }
        for index in base.terms.indices { base.terms[index].origin = .builtIn }
        return (base, diagnostics)
    }()

    /// Adds a project's claims, terms and synonyms to this (built-in) base, and
    /// applies its `disable` lists. Naming an id or term that is not built in,
    /// or both defining and disabling one, is a located `facts-file` error.
    public mutating func extend(with project: ClaimBase) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let builtInIDs = Set(claims.map(\.id))
        var dropped: Set<String> = []
        for (id, range) in project.disabledClaims {
            if project.claims.contains(where: { $0.id == id }) {
                diagnostics.append(
                    Diagnostic(
                        .error, .factsFile, "claim '\(id)' is both disabled and defined here; keep one", at: range))
            } else if builtInIDs.contains(id) {
                dropped.insert(id)
            } else {
                diagnostics.append(
                    Diagnostic(
                        .error, .factsFile, "'disable' names '\(id)', which is not a built-in claim", at: range,
                        notes: Suggestion.closest(to: id, in: builtInIDs).map { ["did you mean '\($0)'?"] }
                            ?? ["`kbtool explain CLAIM-ID` shows a claim and where it comes from"]))
            }
        }
        claims.removeAll { dropped.contains($0.id) }
        for claim in project.claims {
            if let index = claims.firstIndex(where: { $0.id == claim.id }) {
                let builtIn = claims[index]
                claims[index] = claim
                claims[index].overridesBuiltIn = true
                // A replacement that says nothing of its proof keeps the built-in probe
                // (located in the built-in file): it rewords the proposition, the engine
                // still decides it.
                if !claim.proofStated, builtIn.probe != nil {
                    claims[index].proof = builtIn.proof
                    claims[index].probe = builtIn.probe
                }
            } else {
                claims.append(claim)
            }
        }

        let builtInTerms = Set(terms.map { $0.term.lowercased() })
        var droppedTerms: Set<String> = []
        for (term, range) in project.disabledTerms {
            if builtInTerms.contains(term.lowercased()) {
                droppedTerms.insert(term.lowercased())
            } else {
                diagnostics.append(
                    Diagnostic(
                        .error, .factsFile, "'disable' names '\(term)', which is not a built-in term", at: range,
                        notes: Suggestion.closest(to: term, in: terms.map(\.term)).map { ["did you mean '\($0)'?"] }
                            ?? []))
            }
        }
        terms.removeAll { droppedTerms.contains($0.term.lowercased()) }
        for term in project.terms {
            if let index = terms.firstIndex(where: { $0.term.lowercased() == term.term.lowercased() }) {
                terms[index] = term
            } else {
                terms.append(term)
            }
        }
        synonyms += project.synonyms.filter { !synonyms.contains($0) }
        sources.merge(project.sources) { _, project in project }
        return diagnostics
    }
}
