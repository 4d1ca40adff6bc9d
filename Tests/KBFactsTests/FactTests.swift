import KBDiagnostics
import KBGuide
import Testing

@testable import KBFacts

func claimBase(_ claims: String, rules: String = "") -> (ClaimBase, [Diagnostic]) {
    var base = ClaimBase()
    var diagnostics = base.readClaims(SourceText(path: "claims.yml", text: claims))
    if !rules.isEmpty { diagnostics += base.readRules(SourceText(path: "prose-rules.yml", text: rules)) }
    return (base, diagnostics)
}

let sampleClaims = """
    claims:
      - id: list-needs-no-kms
        statement: ListObjectsV2 and HeadObject never call KMS; GetObject needs kms:Decrypt.
        status: holds
        since: "2014-11-12"
        keywords: [listing, no kms permission]
      - id: kms-single-region
        statement: KMS keys are single-Region only.
        status: outdated
        since: "2021-06-16"
        now: Multi-Region keys exist.
        keywords: [single-region only]
        phrases: [keys are single-Region only]
      - id: sse-kms-needs-decrypt
        statement: Reading an SSE-KMS object needs kms:Decrypt on its key.
        status: holds
        since: "2014-11-12"
        keywords: [sse-kms, decrypt]
    """

@Suite struct FactTests {
    @Test("synonyms make different words match: KMS encryption ~ SSE-KMS, listing ~ ListObjects")
    func synonyms() {
        let matcher = FactMatcher()
        #expect(matcher.words("Objects with KMS encryption") == matcher.words("objects with SSE-KMS"))
        #expect(matcher.words("listing the bucket") == ["listobject", "bucket"])
        let (base, _) = claimBase(sampleClaims)
        #expect(
            matcher.best("Reading a KMS-encrypted object needs Decrypt permission on the key.", in: base.claims)?.0.id
                == "sse-kms-needs-decrypt")
        #expect(matcher.best("Listing works without any KMS permission.", in: base.claims)?.0.id == "list-needs-no-kms")
        #expect(matcher.best("The weekly exports are CSV files.", in: base.claims) == nil)
    }

    @Test("facts: under fact headings or tagged; verified, outdated, unverified, or an unknown claim")
    func facts() throws {
        let (base, problems) = claimBase(sampleClaims)
        #expect(problems.isEmpty)
        let text = """
            # Guide

            - Not a fact: this list is not under a facts heading.
            - Listing the bucket needs no KMS permission at all. <!-- fact -->

            ## Things to know

            - KMS keys are single-Region only.
            - The weekly exports are CSV files.
            - Reads need the key. <!-- claim: sse-kms-needs-decrypt -->
            - Something else. <!-- claim: no-such-claim -->
            - Sources: the S3 User Guide.

            ## Key facts

            - The monthly reports are PDF files.
            """
        let report = FactCheck(base: base).check(GuideParser.parse(path: "g.md", bytes: Array(text.utf8)))
        #expect(
            report.facts.map(\.status) == [.documented, .outdated, .unverified, .documented, .unverified, .unverified])
        #expect(
            report.facts.map(\.claim) == [
                "list-needs-no-kms", "kms-single-region", nil, "sse-kms-needs-decrypt", nil, nil,
            ])
        // An item under "Things to know" about nothing kbtool knows is counted, not reported;
        // under a heading that says "facts" it is a warning.
        #expect(
            report.diagnostics.map(\.rule) == [Rule.factOutdated, .factUnknownClaim, .factUnverified].map(\.id))
        #expect(report.diagnostics.last?.range.start.line == 16)
        #expect(report.diagnostics[0].range.start.line == 8)
        #expect(report.diagnostics[0].notes.first == "now: Multi-Region keys exist.")
    }

    @Test("prose rules: deprecated terms and outdated phrases in text, not in code; a fact is reported once")
    func prose() throws {
        let (base, _) = claimBase(
            sampleClaims, rules: "terms:\n  - term: customer master key\n    forms: [CMK, CMKs]\n    use: KMS key\n")
        let text = """
            # Guide

            Create a customer master key, or CMK. Our `CMK` in code is fine, and so is CMKey.
            Links [to keys](concepts.md#symmetric-CMKs) and anchors <a name="CMK-list"></a> are not read.
            AWS is replacing the term *customer master key (CMK)* with *KMS key*: a mention, not a use.

            Remember that keys are single-Region only, as ever.

            ```sh
            aws kms create-key # CMK
            ```

            ## Facts

            - KMS keys are single-Region only.
            """
        let report = FactCheck(base: base).check(GuideParser.parse(path: "g.md", bytes: Array(text.utf8)))
        let terms = report.diagnostics.filter { $0.rule == .proseDeprecatedTerm }
        #expect(terms.map(\.range.start) == [SourcePosition(line: 3, column: 10), SourcePosition(line: 3, column: 34)])
        #expect(terms.first?.fix?.replacement == "KMS key")
        // The prose sentence (by the claim's phrase) and the fact item: one rule family, each reported once.
        let outdated = report.diagnostics.filter { $0.rule == .factOutdated }
        #expect(outdated.map(\.range.start.line).sorted() == [7, 15])
        #expect(report.proseFindings.filter { $0.rule == .factOutdated }.map(\.range.start.line) == [7])
    }

    @Test("claims.yml problems are located")
    func claimsFile() {
        let (_, problems) = claimBase(
            """
            claims:
              - id: a
                statement: x
                status: maybe
              - id: b
              - id: c
                statement: y
                status: outdated
              - id: c
                statement: z
            other: 1
            """)
        let messages = problems.map(\.message)
        #expect(messages.contains("claim 'a': status must be holds, outdated or false"))
        #expect(messages.contains("a claim needs an 'id' and a 'statement'"))
        #expect(messages.contains("claim 'c' is outdated: say since when, with 'since'"))
        #expect(messages.contains("claim id 'c' is used twice"))
        #expect(messages.contains { $0.hasPrefix("unknown key 'other'") })
        #expect(problems.first { $0.message.hasPrefix("claim 'a'") }?.range.start.line == 4)
    }
}
