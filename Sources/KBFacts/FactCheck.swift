import Foundation
import KBDiagnostics
import KBGuide

/// Checks a guide's facts against the claims, and its prose against the
/// deprecated terms and outdated claims the knowledge base lists.
public struct FactCheck: Sendable {
    public var base: ClaimBase
    let matcher: FactMatcher
    /// The claims normalised once, for every fact of every guide.
    let prepared: [(Claim, FactMatcher.Prepared)]

    public init(base: ClaimBase) {
        self.base = base
        let matcher = FactMatcher(extra: base.synonyms)
        self.matcher = matcher
        self.prepared = base.claims.map {
            ($0, FactMatcher.Prepared(statement: $0.statement, keywords: $0.keywords, matcher: matcher))
        }
    }

    public struct Report: Sendable {
        public var facts: [FactResult] = []
        public var diagnostics: [Diagnostic] = []
    }

    public func check(_ guide: Guide) -> Report {
        var report = Report()
        var factRanges: [(SourceRange, String?)] = []
        for fact in FactExtractor.facts(in: guide) {
            let (result, diagnostic) = check(fact, file: guide.path)
            report.facts.append(result)
            if let diagnostic { report.diagnostics.append(diagnostic) }
            factRanges.append((fact.range, result.claim))
        }
        report.diagnostics += prose(guide, factRanges: factRanges)
        return report
    }

    func check(_ fact: Fact, file: String) -> (FactResult, Diagnostic?) {
        var result = FactResult(file: file, line: fact.range.start.line, text: fact.text, status: .unverified)
        let claim: Claim?
        if let reference = fact.reference {
            claim = base.claims.first { $0.id == reference }
            if claim == nil {
                let suggestion = Suggestion.closest(to: reference, in: base.claims.map(\.id))
                return (
                    result,
                    Diagnostic(
                        .error, .factUnknownClaim,
                        "the fact names claim '\(reference)', which claims.yml does not have",
                        at: fact.range, notes: suggestion.map { ["did you mean '\($0)'?"] } ?? [])
                )
            }
        } else {
            claim = matcher.best(fact.text, in: prepared)?.0
        }
        guard let claim else {
            let notes = [
                "add a claim to claims.yml with its source and a demonstration, or name one with <!-- claim: ID --> in the item"
            ]
            return (
                result,
                Diagnostic(
                    .warning, .factUnverified, "unverified fact: no claim of the knowledge base matches it",
                    at: firstLine(fact.range), notes: notes)
            )
        }
        result.claim = claim.id
        result.source = claim.source
        result.demonstration = claim.demonstration
        result.since = claim.since
        switch claim.status {
        case .holds:
            result.status = .verified
            return (result, nil)
        case .outdated:
            result.status = .outdated
            return (
                result,
                Diagnostic(
                    .warning, .factOutdated,
                    "outdated fact: \(claim.statement) (claim '\(claim.id)', outdated since \(claim.since ?? "?"))",
                    at: firstLine(fact.range), notes: notes(claim))
            )
        case .false:
            result.status = .false
            return (
                result,
                Diagnostic(
                    .error, .factFalse, "false fact: \(claim.statement) (claim '\(claim.id)')",
                    at: firstLine(fact.range), notes: notes(claim))
            )
        }
    }

    func notes(_ claim: Claim) -> [String] {
        var notes: [String] = []
        if let now = claim.now { notes.append("now: \(now)") }
        if let source = claim.source { notes.append("source: \(source)") }
        if let demonstration = claim.demonstration { notes.append("shown in \(demonstration)") }
        return notes
    }

    func firstLine(_ range: SourceRange) -> SourceRange {
        guard range.end.line > range.start.line else { return range }
        return SourceRange(
            file: range.file, start: range.start, end: .init(line: range.start.line, column: range.start.column + 1))
    }

    // MARK: - Prose rules

    /// Deprecated terms and outdated claims' phrases, in the guide's text (not
    /// in code blocks or front matter), each at its exact place.
    func prose(_ guide: Guide, factRanges: [(SourceRange, String?)]) -> [Diagnostic] {
        let source = guide.source
        guard source.lineCount > 0 else { return [] }
        var skipped = Set<Int>()
        for code in guide.codeBlocks {
            skipped.formUnion(code.range.start.line...max(code.range.end.line, code.range.start.line))
        }
        if let frontMatter = guide.frontMatter { skipped.formUnion(1...max(frontMatter.closingLine, 1)) }
        var patterns: [(pattern: String, caseSensitive: Bool, make: (SourceRange, String) -> Diagnostic?)] = []
        for term in base.terms {
            for form in [term.term] + term.forms {
                // All-capital abbreviations (CMK) must match as written.
                let caseSensitive = form == form.uppercased() && form.count <= 5
                patterns.append(
                    (
                        form, caseSensitive,
                        { range, found in
                            var notes = term.source.map { ["source: \($0)"] } ?? []
                            if let since = term.since { notes.insert("deprecated since \(since)", at: 0) }
                            return Diagnostic(
                                .warning, .proseDeprecatedTerm, "'\(found)' is no longer AWS's term: use '\(term.use)'",
                                at: range,
                                fix: FixIt(range: range, replacement: term.use, message: "write '\(term.use)'"),
                                notes: notes)
                        }
                    ))
            }
        }
        for claim in base.claims where claim.status != .holds {
            for phrase in claim.phrases {
                patterns.append(
                    (
                        phrase, false,
                        { range, found in
                            // A fact item about this claim is reported once, as a fact.
                            if factRanges.contains(where: {
                                $0.1 == claim.id && $0.0.start.line <= range.start.line
                                    && range.start.line <= $0.0.end.line
                            }) {
                                return nil
                            }
                            return Diagnostic(
                                claim.status == .false ? .error : .warning, .proseOutdatedClaim,
                                "'\(found)' states a claim \(claim.status == .false ? "that is false" : "outdated since \(claim.since ?? "?")"): \(claim.statement)",
                                at: range, notes: notes(claim))
                        }
                    ))
            }
        }
        // Each pattern compiled once for the guide, not once per line.
        let compiled = patterns.compactMap {
            pattern, caseSensitive, make -> (NSRegularExpression, (SourceRange, String) -> Diagnostic?)? in
            let expression = "(?<![A-Za-z0-9_])" + NSRegularExpression.escapedPattern(for: pattern) + "(?![A-Za-z0-9_])"
            return (try? NSRegularExpression(pattern: expression, options: caseSensitive ? [] : [.caseInsensitive]))
                .map { ($0, make) }
        }
        var diagnostics: [Diagnostic] = []
        for line in 1...source.lineCount where !skipped.contains(line) {
            let text = source.line(line)
            for (regex, make) in compiled {
                for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    guard let found = Range(match.range, in: text) else { continue }
                    // Inline code (`…`) is code, not prose.
                    let before = text[text.startIndex..<found.lowerBound].filter { $0 == "`" }.count
                    guard before % 2 == 0 else { continue }
                    let column =
                        text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: found.lowerBound) + 1
                    let length = text[found].unicodeScalars.count
                    let range = SourceRange(
                        file: guide.path, start: .init(line: line, column: column),
                        end: .init(line: line, column: column + length))
                    if let diagnostic = make(range, String(text[found])) { diagnostics.append(diagnostic) }
                }
            }
        }
        return diagnostics
    }
}
