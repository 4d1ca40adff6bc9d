import Foundation
import KBChecks
import KBDiagnostics
import KBFacts
import KBTestSupport
import Testing

/// Every verify runs the knowledge base's probes: a claim is proved only when
/// its probe passes in the engine, a failing probe is an error at the claim,
/// and the outcomes are cached like guides.
@Suite struct ClaimProofTests {
    @Test func everyBuiltInProbePassesInTheEngine() {
        let proofs = ClaimProofs.run(ClaimBase.builtIn.0)
        #expect(proofs.findings.isEmpty, "\(proofs.findings.map(\.message))")
        let probed = ClaimBase.builtIn.0.claims.filter { $0.probe != nil }.map(\.id)
        #expect(probed.allSatisfy { proofs.states[$0] == .proved })
        let documented = ClaimBase.builtIn.0.claims.filter { $0.probe == nil }.map(\.id)
        #expect(!documented.isEmpty && documented.allSatisfy { proofs.states[$0] == .documented })
    }

    static let failing = """
        claims:
          - id: team-list
            statement: Listing a bucket needs no KMS permission.
            probe:
              setup:
                region: us-east-1
                profiles:
                  owner: arn:aws:iam::111122223333:root
                default-profile: owner
              transcript: |
                $ aws s3api create-bucket --bucket example-claim-bucket
                $ printf 'ledger' > body.txt
                $ aws s3api put-object --bucket example-claim-bucket --key a.txt --body body.txt --query ServerSideEncryption --output text
                aws:kms
          - id: team-broken
            statement: A probe that cannot run.
            probe:
              setup:
                profiles:
                  owner: not-an-arn
              transcript: |
                $ aws s3api create-bucket --bucket example-claim-bucket
        """

    @Test func aFailingProbeIsAnErrorAtItsCommandAndItsFactsStayUnverified() throws {
        let folder = try TemporaryFolder(
            "kbtool-probes",
            files: [
                "claims.yml": Self.failing,
                "g.md": "# Facts\n\n- Listing a bucket needs no KMS permission.\n",
            ])
        defer { folder.remove() }
        var verifier = Verifier()
        verifier.cacheFolder = folder.appendingPathComponent(".kbtool-cache").path
        for run in 1...2 {
            let report = try verifier.verify(try InputCollector.collect([folder.path]))
            let probes = report.knowledgeBase.filter { $0.rule == .claimProbe }
            #expect(probes.count == 2, "run \(run)")
            let output = try #require(probes.first { $0.message.contains("team-list") })
            // The failing command's own line in claims.yml, at its `$`.
            #expect(output.range.start == SourcePosition(line: 13, column: 9))
            #expect(output.severity == .error && output.related.first?.range.start.line == 2)
            #expect(output.notes == ["the probe expects: aws:kms", "the engine printed: AES256"])
            let setup = try #require(probes.first { $0.message.contains("team-broken") })
            #expect(setup.message.contains("its probe cannot run"))
            #expect(setup.range.start.line == 18)
            #expect(report.proofs.values.first?["team-list"] == .failed)
            #expect(report.facts.map(\.status) == [.unverified])
            #expect(report.hasErrors)
        }
        // The second run read the outcomes from the cache.
        let kept = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent(".kbtool-cache/probes").path)
        #expect(kept.count == 1)
    }

    @Test func aProvedProjectClaimVerifiesItsFacts() throws {
        let claims = Self.failing.replacingOccurrences(of: "        aws:kms\n", with: "        AES256\n")
            .components(separatedBy: "  - id: team-broken")[0]
        let folder = try TemporaryFolder(
            "kbtool-probes",
            files: ["claims.yml": claims, "g.md": "# Facts\n\n- Listing a bucket needs no KMS permission.\n"])
        defer { folder.remove() }
        let report = try Verifier().verify(try InputCollector.collect([folder.path]))
        #expect(report.knowledgeBase.isEmpty, "\(report.knowledgeBase.map(\.message))")
        #expect(report.facts.map(\.status) == [.verified])
        #expect(report.facts.map(\.proof) == ["proved"])
    }
}
