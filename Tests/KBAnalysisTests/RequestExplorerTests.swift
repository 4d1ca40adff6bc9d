import Foundation
import KBBlocks
import KBGuide
import Testing

@testable import KBAnalysis

/// The explorer's decisions come from the engine, run with the guide's policies.
@Suite struct RequestExplorerTests {
    static let guide = """
        ## Key policy

        Attach this key policy to the KMS key:

        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
          {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/Writer"},
           "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*"}
        ]}
        ```

        ## Bucket policy

        Attach this bucket policy to the bucket:

        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "PartnerObjects", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/Writer"},
           "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "arn:aws:s3:::example-explorer/*"}
        ]}
        ```

        ## The partner's identity policy

        In account B, attach this identity policy to the partner role:

        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "arn:aws:s3:::example-explorer/*"},
          {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
           "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
        ]}
        ```
        """

    static func explore() throws -> ExplorerData {
        let parsed = GuideParser.parse(path: "g.md", bytes: Array(guide.utf8))
        return try #require(RequestExplorer.explore(GuideScenario.build(BlockClassifier.classify(parsed).documents)))
    }

    static func decision(_ data: ExplorerData, principal arnSuffix: String, action: String) -> ExplorerData.Outcome? {
        guard let principal = data.principals.first(where: { $0.arn.hasSuffix(arnSuffix) }),
            let entry = data.actions.first(where: { $0.id == action }), let resource = entry.resources.first
        else { return nil }
        return data.decisions["\(principal.id)|\(action)|\(resource)"]
    }

    @Test func thePartnerMayWriteAndReadThroughS3() throws {
        let data = try Self.explore()
        let put = try #require(Self.decision(data, principal: ":role/Writer", action: "s3:PutObject"))
        #expect(put.decision == "Allowed")
        // S3 asked KMS for a data key on the partner's behalf, and KMS allowed it.
        #expect(put.steps.contains { $0.kind == "call" && $0.action == "GenerateDataKey" })
        #expect(put.steps.contains { $0.action == "kms:GenerateDataKey" && $0.decision == "Allowed" })
        #expect(Self.decision(data, principal: ":role/Writer", action: "s3:GetObject")?.decision == "Allowed")
    }

    @Test func whatTheGuideDoesNotGrantIsDeniedWithTheLayerNamed() throws {
        let data = try Self.explore()
        let list = try #require(Self.decision(data, principal: ":role/Writer", action: "s3:ListBucket"))
        #expect(list.decision == "Denied")
        #expect(list.summary.contains("bucket policy"))
        let outsider = try #require(Self.decision(data, principal: ":role/Outsider", action: "s3:GetObject"))
        #expect(outsider.decision == "Denied")
        // The trace names each policy's verdict and the statements that did not match.
        let authorization = try #require(outsider.steps.first { $0.kind == "authorization" })
        #expect(
            authorization.policies?.contains { $0.statements.contains { $0.contains("principal differs") } } == true)
        let noPolicy = try #require(Self.decision(data, principal: ":role/RoleWithoutPolicy", action: "s3:PutObject"))
        #expect(noPolicy.decision == "Denied")
    }

    @Test func whenTheOwnerCannotWriteThePartnersObjectIsRead() throws {
        // The key policy admits a KeyAdmin role, not the owner's account: the
        // owner cannot write, so the object to read is the partner's.
        let text = Self.guide.replacingOccurrences(
            of: #""arn:aws:iam::111122223333:root"}, "Action": "kms:*""#,
            with: #""arn:aws:iam::111122223333:role/KeyAdmin"}, "Action": "kms:*""#)
        let parsed = GuideParser.parse(path: "g.md", bytes: Array(text.utf8))
        let data = try #require(
            RequestExplorer.explore(GuideScenario.build(BlockClassifier.classify(parsed).documents)))
        #expect(Self.decision(data, principal: ":role/Writer", action: "s3:GetObject")?.decision == "Allowed")
        #expect(Self.decision(data, principal: ":role/Outsider", action: "s3:GetObject")?.decision == "Denied")
    }

    @Test func everyCombinationIsDecided() throws {
        let data = try Self.explore()
        #expect(data.principals.count >= 4)
        #expect(data.decisions.count == data.principals.count * data.actions.count)
        #expect(data.decisions.values.allSatisfy { ["Allowed", "Denied", "Error"].contains($0.decision) })
    }
}
