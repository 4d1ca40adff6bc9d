import KBBlocks
import KBGuide
import Testing

@testable import KBAnalysis

/// The owner account a guide's policies share, voted from its blocks.
@Suite struct GuideScenarioTests {
    /// A key policy as AWS's console writes it: its own root given kms:*, a partner's
    /// root given use of the key in two statements (AWS's KMS guide,
    /// key-policy-overview.md). Only the root given control votes.
    @Test func onlyTheRootGivenControlOfTheKeyVotesForTheOwner() {
        let use = #"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "#
        let guide = """
            # Key

            ```json
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
              \(use)"Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*"},
              \(use)"Action": ["kms:CreateGrant"], "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}
            ]}
            ```
            """
        let parsed = GuideParser.parse(path: "g.md", bytes: Array(guide.utf8))
        let scenario = GuideScenario.build(BlockClassifier.classify(parsed).documents)
        #expect(scenario.ownerAccount == "111122223333")
    }
}
