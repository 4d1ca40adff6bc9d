import Foundation
import KBDiagnostics
import KBGuide

extension Rule {
    public static let factFalse = Rule(
        "fact-false", .error,
        summary:
            "A statement in the guide (a fact item, any list item, an admonition or running prose) contradicts a claim that holds, or states one the knowledge base marks false.",
        why: "Readers act on facts; a false one leads to configurations that fail or expose data.",
        fix: "Rewrite the statement as the note's 'now:' line says, or remove it.",
        example:
            "false fact: it contradicts claim 'list-needs-no-kms': Listing a bucket's objects needs no KMS permission")

    public static let factOutdated = Rule(
        "fact-outdated", .warning,
        summary:
            "A statement in the guide (a fact item, any list item, an admonition or running prose) states a claim that was true once and is outdated since a given date.",
        why: "Guides written before a change keep repeating the old behaviour; readers trust the date-less text.",
        fix: "Rewrite the statement to what holds now (the note's 'now:' line) and link the claim's source.",
        example:
            "outdated fact: KMS keys are single-Region only; … (claim 'kms-keys-single-region-only', outdated since 2021-06-16)"
    )

    public static let factUnknownClaim = Rule(
        "fact-unknown-claim", .error,
        summary: "A fact names a claim id (`<!-- claim: ID -->`) that claims.yml does not have.",
        why: "The reference was meant to tie the fact to its evidence; a typo leaves it unchecked.",
        fix: "Correct the id (the note suggests the closest one) or add the claim to claims.yml.")

    public static let factUnverified = Rule(
        "fact-unverified", .warning,
        summary: "A fact the guide states matches no claim of the knowledge base, by id or by meaning.",
        why: "Unchecked facts are how guides go stale: nobody notices when AWS changes the behaviour they describe.",
        fix:
            "Add a claim to claims.yml (statement, status, since, source, and a demonstration), or tag the item <!-- claim: ID --> for an existing one.",
        example: "unverified fact: no claim of the knowledge base matches it")

    public static let proseDeprecatedTerm = Rule(
        "prose-deprecated-term", .warning,
        summary: "The guide's prose uses a term AWS has retired (listed in prose-rules.yml).",
        why: "Readers search the AWS documentation with the guide's words; retired terms find old pages or none.",
        fix: "Write the replacement the finding names (the fix shows it); code and command output are not checked.",
        example: "'CMK' is no longer AWS's term: use 'KMS key'")
}

/// Checks a guide's facts against the claims, and its prose against the
/// deprecated terms and outdated claims the knowledge base lists.
public struct FactCheck: Sendable {
    public var base: ClaimBase
    let matcher: FactMatcher
    /// The claims normalised once, for every fact of every guide.
    let prepared: [(Claim, FactMatcher.Prepared)]
    /// Finds claims by meaning and tells a sentence's polarity.
    var meaning: ClaimMatcher
    /// The phrases of outdated and false claims as space-separated words, with their claim.
    let phrasings: [(words: String, claim: Claim)]

    public init(base: ClaimBase) {
        self.base = base
        meaning = ClaimMatcher(claims: base.claims, synonyms: base.synonyms)
        phrasings = base.claims.filter { $0.status != .holds }.flatMap { claim in
            claim.phrases.map { (" " + FactMatcher.tokens($0).joined(separator: " ") + " ", claim) }
        }
        let matcher = FactMatcher(extra: base.synonyms)
        self.matcher = matcher
        self.prepared = base.claims.map {
            ($0, FactMatcher.Prepared(statement: $0.statement, keywords: $0.keywords, matcher: matcher))
        }
    }

    public struct Report: Sendable {
        public var facts: [FactResult] = []
        /// The facts' findings (an unverified, outdated or false fact, an unknown claim), in fact order.
        public var factFindings: [Diagnostic] = []
        /// Retired terms, and outdated or false claims' phrases (as `fact-outdated`
        /// and `fact-false`), in the prose.
        public var proseFindings: [Diagnostic] = []

        /// Every finding, in report order.
        public var diagnostics: [Diagnostic] { factFindings + proseFindings }
    }

    /// `proofs` is what this run's probes established, by claim id: a fact is
    /// verified only when its claim's probe passed in this run; a claim without
    /// a probe makes its facts `documented`.
    public func check(_ guide: Guide, proofs: [String: ProofState] = [:]) -> Report {
        var report = Report()
        var factRanges: [(SourceRange, String?)] = []
        let facts = FactExtractor.facts(in: guide)
        for fact in facts {
            let (result, diagnostic) = check(fact, file: guide.path, proofs: proofs)
            report.facts.append(result)
            // An unmarked item about nothing kbtool knows is counted, not reported.
            let silent = !fact.explicit && result.status == .unverified && result.claim == nil
            if let diagnostic, !silent { report.factFindings.append(diagnostic) }
            factRanges.append((fact.range, result.claim))
        }
        // Sentences elsewhere speak only when they confidently say something false or outdated.
        for sentence in FactExtractor.candidates(in: guide, excluding: facts) {
            guard let judged = meaning.judgeRemembering(sentence.text), judged.certain,
                judged.closeness >= meaning.confidentThreshold, judged.byWords == judged.polarity
            else { continue }
            let (result, diagnostic) = check(
                Fact(text: sentence.text, range: sentence.range, reference: judged.claim.id), file: guide.path,
                proofs: proofs, polarity: (judged.polarity, true))
            guard [.false, .outdated].contains(result.status), let diagnostic else { continue }
            report.facts.append(result)
            report.factFindings.append(diagnostic)
            factRanges.append((sentence.range, result.claim))
        }
        report.proseFindings = prose(guide, factRanges: factRanges)
        return report
    }

    /// The outdated or false claim one of whose `phrases` the text contains,
    /// whole words, case aside: the fact item is then that belief, reported once.
    func phraseClaim(in text: String) -> Claim? {
        let padded = " " + FactMatcher.tokens(text).joined(separator: " ") + " "
        return phrasings.first { padded.contains($0.words) }?.claim
    }

    /// How close (``Judgement/closeness``) a sentence found by meaning must be to
    /// the side it takes for kbtool to verify it; a weaker match stays unverified.
    public var verifiedCloseness = 0.45

    /// How close the keyword matcher must be to name a claim the meaning matcher missed.
    static let keywordThreshold = 0.55

    /// What this run established about a claim: its probe's outcome, or
    /// `documented` for a claim that has no probe; nil when its probe did not run.
    static func proofState(_ claim: Claim, proofs: [String: ProofState]) -> ProofState? {
        proofs[claim.id] ?? (claim.probe == nil ? .documented : nil)
    }

    func check(
        _ fact: Fact, file: String, proofs: [String: ProofState] = [:],
        polarity given: (polarity: Polarity, certain: Bool)? = nil
    ) -> (FactResult, Diagnostic?) {
        var result = FactResult(file: file, line: fact.range.start.line, text: fact.text, status: .unverified)
        let claim: Claim?
        var polarity: (polarity: Polarity, certain: Bool)?
        // Normalised once, for every question below.
        let sentence = given == nil ? meaning.read(fact.text) : nil
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
            if let given {
                polarity = given
            } else {
                // The author names the claim: only a clear contradiction goes against it.
                polarity = claim.flatMap { claim in sentence.flatMap { meaning.polarity(of: $0, about: claim) } }
                if polarity?.polarity != .contradicts || polarity?.certain != true { polarity = (.asserts, true) }
            }
        } else if let sentence, let judged = meaning.judge(sentence), judged.certain {
            claim = judged.claim
            // Verifying takes a strong match too: confirming a false statement is the worst mistake.
            let verifies = (judged.claim.status == .holds) == (judged.polarity == .asserts)
            polarity = (judged.polarity, !verifies || judged.closeness >= verifiedCloseness)
        } else {
            // The keyword matcher found it: near enough to name the claim, not to verify
            // the fact or call it false (a false or outdated claim's wording still is), unless
            // the claim has no negation to tell the sides apart (a project's own claims).
            if let phrased = phraseClaim(in: fact.text) {
                // The wording of an outdated or false belief, as its claim lists it.
                claim = phrased
                polarity = (.asserts, true)
            } else {
                claim = matcher.best(fact.text, in: prepared, threshold: Self.keywordThreshold)?.0
                polarity = claim.flatMap { claim in sentence.flatMap { meaning.polarity(of: $0, about: claim) } }
                if claim?.status == .holds, claim?.negation != nil { polarity?.certain = false }
            }
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
        // A built-in claim's demonstration is a guide of kbtool's own knowledge base:
        // the site links it only where that guide is one of the site's pages.
        result.demonstration = claim.demonstration
        result.since = claim.since
        let proof = Self.proofState(claim, proofs: proofs)
        result.proof = proof?.rawValue
        let saying = polarity ?? (.asserts, false)
        result.polarity = saying.polarity.rawValue
        // What the sentence says, whichever way the claim is written: a contradiction
        // of a claim that holds is false; a contradiction of a false or outdated claim
        // says what holds.
        let deniesIt = saying.polarity == .contradicts && saying.certain
        switch claim.status {
        case .holds where deniesIt, .false where !deniesIt:
            result.status = .false
            let what =
                claim.status == .holds
                ? "false fact: it contradicts claim '\(claim.id)': \(claim.statement)"
                : "false fact: \(claim.statement) (claim '\(claim.id)')"
            return (
                result,
                Diagnostic(
                    .error, .factFalse, what, at: firstLine(fact.range), notes: evidence(claim, proof) + notes(claim))
            )
        case .outdated where !deniesIt:
            result.status = .outdated
            return (
                result,
                Diagnostic(
                    .warning, .factOutdated,
                    "outdated fact: \(claim.statement) (claim '\(claim.id)', outdated since \(claim.since ?? "?"))",
                    at: firstLine(fact.range), notes: notes(claim))
            )
        default:
            break
        }
        // Denying a misconception or an outdated behaviour says something true, but not
        // which truth: kbtool verifies only statements of claims that hold.
        guard saying.certain, claim.status == .holds else {
            result.status = .unverified
            return (
                result,
                Diagnostic(
                    .warning, .factUnverified,
                    claim.status == .holds
                        ? "unverified fact: it is about claim '\(claim.id)', but kbtool cannot tell whether it agrees with it"
                        : "unverified fact: it denies claim '\(claim.id)' (\(claim.status.rawValue)); kbtool verifies only what claims that hold say",
                    at: firstLine(fact.range),
                    notes: [
                        "the claim: \(claim.statement)",
                        "name it with <!-- claim: \(claim.id) --> if the item states it",
                    ])
            )
        }
        switch proof {
        case .proved:
            result.status = .verified
            return (result, nil)
        case .documented:
            result.status = .documented
            return (result, nil)
        case .failed, nil:
            result.status = .unverified
            let why = proof == .failed ? "whose probe failed in this run" : "whose probe did not run"
            return (
                result,
                Diagnostic(
                    .warning, .factUnverified, "unverified fact: it states claim '\(claim.id)', \(why)",
                    at: firstLine(fact.range), notes: ["the claim's probe failure is reported at the claim"])
            )
        }
    }

    /// What the engine showed for a claim, for a fact that contradicts it.
    func evidence(_ claim: Claim, _ proof: ProofState?) -> [String] {
        guard proof == .proved, let probe = claim.probe else { return [] }
        let commands = probe.transcript.split(separator: "\n").filter { $0.hasPrefix("$ ") }
        guard let last = commands.last else { return [] }
        return ["the engine showed it in this run: its probe passed, ending with `\(last)`"]
    }

    func notes(_ claim: Claim) -> [String] {
        var notes: [String] = []
        if let now = claim.now { notes.append("now: \(now)") }
        if let source = claim.source { notes.append("source: \(source)") }
        if let demonstration = claim.demonstration {
            // A built-in claim is demonstrated in kbtool's own knowledge base, not this one.
            notes.append(
                claim.origin == .builtIn ? "shown in kbtool's guide \(demonstration)" : "shown in \(demonstration)")
        }
        return notes
    }

    /// Parts of a line readers do not read: link destinations (`](target)`) and
    /// HTML tags (`<a name="x">`), as column ranges.
    static func unreadSpans(_ text: [Unicode.Scalar]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var index = 0
        while index < text.count {
            if text[index] == "]", index + 1 < text.count, text[index + 1] == "(",
                let close = text[(index + 2)...].firstIndex(of: ")")
            {
                spans.append(index + 2..<close)
                index = close + 1
            } else if text[index] == "<", index + 1 < text.count,
                text[index + 1].properties.isAlphabetic || text[index + 1] == "/",
                let close = text[(index + 1)...].firstIndex(of: ">")
            {
                spans.append(index..<close + 1)
                index = close + 1
            } else {
                index += 1
            }
        }
        return spans
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
        /// Lines and claims already reported, as "line id".
        var reported: Set<String> = []
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
                            // Overlapping phrases of one claim on one line: one finding.
                            guard reported.insert("\(range.start.line) \(claim.id)").inserted else { return nil }
                            // A fact item about this claim is reported once, as a fact.
                            if factRanges.contains(where: {
                                $0.1 == claim.id && $0.0.start.line <= range.start.line
                                    && range.start.line <= $0.0.end.line
                            }) {
                                return nil
                            }
                            // The same family as a fact item's: outdated is a warning, false an error.
                            return claim.status == .false
                                ? Diagnostic(
                                    .error, .factFalse,
                                    "false fact: '\(found)' states claim '\(claim.id)', which is false: \(claim.statement)",
                                    at: range, notes: notes(claim))
                                : Diagnostic(
                                    .warning, .factOutdated,
                                    "outdated fact: '\(found)' states claim '\(claim.id)', outdated since \(claim.since ?? "?"): \(claim.statement)",
                                    at: range, notes: notes(claim))
                        }
                    ))
            }
        }
        // One pass per line: at each word start, only the patterns whose first
        // word is that word are tried (no regular expressions; linear in the line).
        let index = PhraseIndex(patterns.map { ($0.pattern, $0.caseSensitive) })
        var diagnostics: [Diagnostic] = []
        for line in 1...source.lineCount where !skipped.contains(line) {
            let text = Array(source.line(line).unicodeScalars)
            let matches = index.matches(in: text)
            guard !matches.isEmpty else { continue }
            let hidden = Self.unreadSpans(text)
            // A line about the renaming itself mentions the old name on purpose.
            let lowered = source.line(line).lowercased()
            let mentionsName = ["the term", "known as", "formerly", "renamed", "was called"].contains {
                lowered.contains($0)
            }
            for (pattern, start, length) in matches {
                // Inline code (`…`) is code, not prose.
                guard text[..<start].filter({ $0 == "`" }).count % 2 == 0 else { continue }
                // Nor are link targets and HTML tags: readers never see `#asymmetric-cmks`.
                guard !hidden.contains(where: { $0.contains(start) }) else { continue }
                let range = SourceRange(
                    file: guide.path, start: .init(line: line, column: start + 1),
                    end: .init(line: line, column: start + 1 + length))
                let found = String(String.UnicodeScalarView(text[start..<(start + length)]))
                guard let diagnostic = patterns[pattern].make(range, found),
                    !(mentionsName && diagnostic.rule == .proseDeprecatedTerm)
                else { continue }
                diagnostics.append(diagnostic)
            }
        }
        return diagnostics
    }
}

/// Finds whole-word occurrences of phrases in a line of scalars: phrases are
/// indexed by their first word, lowercased, and tried only where a word with
/// that text starts.
struct PhraseIndex {
    /// Pattern index, its scalars, and whether case must match.
    private var byFirstWord: [String: [(Int, [Unicode.Scalar], Bool)]] = [:]

    /// The lengths of the first words, lowercased: a word of another length
    /// starts no phrase, and is skipped without building its text.
    private var firstWordLengths: Set<Int> = []

    init(_ phrases: [(String, Bool)]) {
        for (index, (phrase, caseSensitive)) in phrases.enumerated() {
            let scalars = Array(phrase.unicodeScalars)
            let firstScalars = scalars.prefix { Self.isWord($0) }
            let first = String(String.UnicodeScalarView(firstScalars)).lowercased()
            byFirstWord[first, default: []].append((index, scalars, caseSensitive))
            firstWordLengths.insert(firstScalars.count)
        }
    }

    static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (value >= 97 && value <= 122) || (value >= 65 && value <= 90) || (value >= 48 && value <= 57)
                || value == 95
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// Matches as (pattern index, start, length in scalars), in line order.
    func matches(in line: [Unicode.Scalar]) -> [(Int, Int, Int)] {
        var found: [(Int, Int, Int)] = []
        var start = 0
        while start < line.count {
            guard Self.isWord(line[start]), start == 0 || !Self.isWord(line[start - 1]) else {
                start += 1
                continue
            }
            var end = start
            while end < line.count, Self.isWord(line[end]) { end += 1 }
            guard firstWordLengths.contains(end - start) else {
                start = end
                continue
            }
            let word = String(String.UnicodeScalarView(line[start..<end])).lowercased()
            for (index, pattern, caseSensitive) in byFirstWord[word] ?? []
            where matches(pattern, caseSensitive: caseSensitive, in: line, at: start) {
                found.append((index, start, pattern.count))
            }
            start = end
        }
        return found
    }

    private func matches(_ pattern: [Unicode.Scalar], caseSensitive: Bool, in line: [Unicode.Scalar], at start: Int)
        -> Bool
    {
        guard start + pattern.count <= line.count else { return false }
        for offset in pattern.indices {
            let a = pattern[offset]
            let b = line[start + offset]
            if a == b { continue }
            guard !caseSensitive, String(a).lowercased() == String(b).lowercased() else { return false }
        }
        let after = start + pattern.count
        return after == line.count || !Self.isWord(line[after])
    }
}
