import Foundation
import KBDiagnostics
import KBGuide
import Testing

@testable import KBFacts

/// Claims' probes as the claims file states them, and as the guides they run as.
@Suite struct ClaimProbeTests {
    static let claims = """
        claims:
          - id: team-list
            statement: Listing a bucket needs no KMS permission.
            negation: Listing a bucket needs kms:Decrypt.
            probe:
              needs: []
              setup:
                region: us-east-1
                encrypt-new-objects-by-default: false
                profiles:
                  owner: arn:aws:iam::111122223333:root
              files:
                app.json: |
                  {"Version": "2012-10-17", "Statement": []}
              transcript: |
                $ aws s3api create-bucket --bucket example-claim-bucket
                $ aws s3api list-objects-v2 --bucket example-claim-bucket --query KeyCount --output text
                0
          - id: team-price
            statement: Bucket Keys lower the KMS bill.
            proof: documented
        """

    @Test func aProbeIsReadWithWhereItsTranscriptStarts() throws {
        let (base, diagnostics) = claimBase(Self.claims)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let claim = try #require(base.claims.first)
        let probe = try #require(claim.probe)
        #expect(claim.proof == .probe && claim.negation == "Listing a bucket needs kms:Decrypt.")
        #expect(probe.transcriptLine == 16)  // the line after `transcript: |`
        #expect(probe.files.map(\.name) == ["app.json"])
        // Plain scalars stay plain, so `false` stays a boolean in the guide's front matter.
        #expect(probe.setup.contains("encrypt-new-objects-by-default: false\n"))
        #expect(base.claims[1].proof == .documented && base.claims[1].probe == nil)
    }

    @Test func theProbeRunsAsAGuideWithTheSetupAsFrontMatter() throws {
        let probe = try #require(claimBase(Self.claims).0.claims.first?.probe)
        let (text, start) = probe.guideText(claim: "team-list")
        let guide = GuideParser.parse(path: "p.md", bytes: Array(text.utf8))
        #expect(guide.diagnostics.isEmpty, "\(guide.diagnostics)")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[start - 1].hasPrefix("$ aws s3api create-bucket"))
        #expect(lines[start - 2] == "```console")
        #expect(text.contains("```json title=\"app.json\""))
        #expect(text.contains("  seed: \"team-list\""))
        #expect(guide.codeBlocks.count == 2)
    }

    @Test(arguments: [
        (
            "  - id: a\n    statement: S.\n    proof: probe\n",
            "claim 'a': proof must be 'probe' (with a probe) or 'documented' (without one)", 4
        ),
        (
            "  - id: a\n    statement: S.\n    probe: {transcript: 'ls'}\n",
            "claim 'a': a probe needs a 'transcript' that starts with a `$ ` command", 4
        ),
        (
            "  - id: a\n    statement: S.\n    probe: {setup: [1], transcript: '$ ls'}\n",
            "claim 'a': the probe's 'setup' must be a mapping (a guide's kbtool: front matter)", 4
        ),
        (
            "  - id: a\n    statement: S.\n    probe: {run: x, transcript: '$ ls'}\n",
            "claim 'a': unknown probe field 'run'; use needs, setup, files, transcript", 4
        ),
    ])
    func malformedProbesAreLocatedErrors(claim: String, message: String, line: Int) {
        let (base, diagnostics) = claimBase("claims:\n" + claim + "  - id: b\n    statement: T.\n")
        #expect(diagnostics.map(\.message) == [message])
        #expect(diagnostics.first?.range.start.line == line)
        #expect(diagnostics.allSatisfy { $0.rule == .factsFile })
        // The other claims still check.
        #expect(base.claims.contains { $0.id == "b" })
    }

    @Test func everyBuiltInClaimIsProbedOrDocumented() {
        let claims = ClaimBase.builtIn.0.claims
        #expect(claims.allSatisfy { ($0.proof == .probe) == ($0.probe != nil) })
        #expect(claims.filter { $0.probe != nil }.count >= 60)
        #expect(claims.allSatisfy { $0.negation != nil })
    }

    @Test func aFactIsVerifiedOnlyWhenItsClaimWasProvedInThisRun() throws {
        let base = claimBase(Self.claims).0
        let guide = GuideParser.parse(
            path: "g.md",
            bytes: Array(
                "# Facts\n\n- Listing a bucket needs no KMS permission.\n- Bucket Keys lower the KMS bill.\n".utf8))
        let check = FactCheck(base: base)
        let proved = check.check(guide, proofs: ["team-list": .proved])
        #expect(proved.facts.map(\.status) == [.verified, .documented])
        #expect(proved.facts.map(\.proof) == ["proved", "documented"])
        #expect(proved.factFindings.isEmpty)
        for state in [ProofState.failed, nil] {
            let report = check.check(guide, proofs: state.map { ["team-list": $0] } ?? [:])
            #expect(report.facts.map(\.status) == [.unverified, .documented])
            #expect(report.factFindings.map(\.rule) == [Rule.factUnverified.id])
        }
    }
}

/// Sentences outside fact sections: reported only when they confidently say
/// something false or outdated.
@Suite struct FactsEverywhereTests {
    @Test func aConfidentContradictionInAnAdmonitionOrQuoteIsAnErrorAndOtherProseIsSilent() {
        let text = """
            # Guide

            :::note
            Setting a bucket's default encryption also re-encrypts the objects already in the bucket.
            :::

            > **Note:** Setting a bucket's default encryption also re-encrypts the objects already in the bucket.

            Our buckets live in the data account, and the team reviews them weekly.

            ## Setup

            - Setting a bucket's default encryption also re-encrypts the objects already in the bucket.
            """
        let check = FactCheck(base: ClaimBase.builtIn.0)
        let proofs = Dictionary(uniqueKeysWithValues: ClaimBase.builtIn.0.claims.map { ($0.id, ProofState.proved) })
        let report = check.check(GuideParser.parse(path: "g.md", bytes: Array(text.utf8)), proofs: proofs)
        #expect(report.factFindings.map(\.range.start.line) == [4, 7, 13], "\(report.factFindings.map(\.message))")
        #expect(report.factFindings.allSatisfy { $0.rule == Rule.factFalse.id && $0.severity == .error })
        #expect(report.facts.allSatisfy { $0.claim == "default-encryption-not-retroactive" && $0.status == .false })
        #expect(report.factFindings.first?.notes.first?.hasPrefix("the engine showed it in this run") == true)
    }

    /// What guides written before June 2021 say, in running prose and in a note:
    /// outdated since multi-Region keys.
    @Test func theSingleRegionBeliefInRunningProseAndAnAdmonitionIsOutdated() {
        let text = """
            # Keys

            Before you start, create the key in the bucket's account. KMS keys can only be used in the Region
            that created them, so pick the Region first.

            :::note
            KMS keys can only be used in the Region that created them.
            :::

            - Pick the Region first: KMS keys can only be used in the Region that created them.

            > **Note**
            > KMS keys can only be used in the Region that created them.

            ## Facts

            - KMS keys can only be used in the Region that created them.
            """
        let check = FactCheck(base: ClaimBase.builtIn.0)
        let proofs = Dictionary(uniqueKeysWithValues: ClaimBase.builtIn.0.claims.map { ($0.id, ProofState.proved) })
        let report = check.check(GuideParser.parse(path: "g.md", bytes: Array(text.utf8)), proofs: proofs)
        let findings = report.factFindings + report.proseFindings
        // Prose, an admonition, a list item, a quoted note and a fact item: each once, in one rule.
        #expect(findings.map(\.range.start.line).sorted() == [3, 7, 10, 13, 17], "\(findings.map(\.message))")
        #expect(findings.allSatisfy { $0.rule == .factOutdated && $0.message.contains("2021-06-16") })
        #expect(report.facts.first { $0.line == 17 }?.status == .outdated)
    }

    /// A sentence whose clauses disagree in polarity is never verified.
    @Test func mixedClausesAreNeverVerified() {
        let base = ClaimBase.builtIn.0
        let matcher = ClaimMatcher(claims: base.claims, synonyms: base.synonyms)
        #expect(matcher.mixedClauses("A key cannot be converted, nor the reverse."))
        #expect(matcher.mixedClauses("Listing needs no KMS permission, but reading needs kms:Decrypt."))
        #expect(!matcher.mixedClauses("Listing a bucket needs no KMS permission."))
        #expect(
            !matcher.mixedClauses("S3 encrypts new objects when neither the request nor the bucket asks otherwise."))
        #expect(!matcher.mixedClauses("Listing needs s3:ListBucket, but reading needs kms:Decrypt."))
    }
}

/// The matcher's fast paths give what the plain ones do.
@Suite struct SentenceWordsTests {
    @Test func theByteStemmerAgreesWithTheCharacterOne() {
        let words = [
            "rotate", "rotates", "rotated", "rotating", "rotation", "policies", "classes", "bus", "analysis",
            "encrypted", "encryption", "quickly", "exceedingly", "allowed", "bucket", "buckets", "stopped", "kms",
            "keys", "access", "needs", "replicas", "seeing", "free", "ties", "cross", "shared", "grants", "Running",
        ]
        for word in words {
            #expect(SentenceWords.stemASCII(word) == SentenceWords.stemCharacters(word), "\(word)")
        }
        #expect(SentenceWords.stemASCII("naïve") == nil)
        #expect(SentenceWords.stem("rotating") == SentenceWords.stem("rotation"))
    }

    @Test func tokensUndoContractionsLinksAndURLs() {
        #expect(
            SentenceWords.tokens("S3 doesn't; can't. Won't cannot") == [
                "s3", "does", "not", ";", "can", "not", "will", "not", "can", "not",
            ])
        #expect(
            SentenceWords.tokens("See [the guide](https://x.y/z) or https://a.b/c now") == [
                "see", "the", "guide", "or", "now",
            ])
        #expect(
            SentenceWords.tokens("The bucket’s key isn’t shared") == [
                "the", "bucket", "s", "key", "is", "not", "shared",
            ])
    }

    @Test func sentencesSplitAtAStopBeforeACapitalOrMarkup() {
        #expect(
            FactExtractor.split("One two. Two `three`! Three e.g. four? [Five] six")
                == ["One two.", "Two `three`!", "Three e.g. four?", "[Five] six"])
        #expect(
            FactExtractor.split(FactExtractor.admonitionBody(":::note\nKeys are\nregional.\n:::")) == [
                "Keys are regional."
            ])
    }
}
