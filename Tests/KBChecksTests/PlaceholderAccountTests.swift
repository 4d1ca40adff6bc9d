import Foundation
import KBAnalysis
import KBBlocks
import KBChecks
import KBDiagnostics
import KBGuide
import KBPolicyLint
import KBTestSupport
import Testing

/// The policy checks learn the account the guide's flow bound a descriptive
/// placeholder principal to, so grants to `arn-of-the-partner-role` are checked
/// as grants to another account.
@Suite struct PlaceholderAccountTests {
    static func findings(_ guide: String) throws -> [Diagnostic] {
        let folder = try TemporaryFolder("kbtool-placeholder-account", files: ["g.md": guide])
        defer { folder.remove() }
        return try Verifier().verify(try InputCollector.collect([folder.path])).diagnostics
    }

    /// A working cross-account setup whose partner is a placeholder, with one extra
    /// grant to it in the bucket policy and one in the key policy.
    static func guide(bucketAction: String, keyAction: String) -> String {
        """
        # Sharing a bucket

        The bucket policy:

        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn-of-the-partner-role"},
           "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
           "Resource": ["arn:aws:s3:::example-shared", "arn:aws:s3:::example-shared/*"]},
          {"Effect": "Allow", "Principal": {"AWS": "arn-of-the-partner-role"},
           "Action": "\(bucketAction)", "Resource": "arn:aws:s3:::example-shared"}]}
        ```

        The key policy:

        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
          {"Effect": "Allow", "Principal": {"AWS": "arn-of-the-partner-role"},
           "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"},
          {"Effect": "Allow", "Principal": {"AWS": "arn-of-the-partner-role"}, "Action": "\(keyAction)", "Resource": "*"}]}
        ```

        In the partner account, the role's IAM policy:

        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
           "Resource": ["arn:aws:s3:::example-shared", "arn:aws:s3:::example-shared/*"]},
          {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
           "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
        ```
        """
    }

    @Test("admin grants to the partner's placeholder are reported as cross-account, naming the bound account")
    func adminGrantsToPlaceholder() throws {
        let found = try Self.findings(
            Self.guide(bucketAction: "s3:PutBucketPolicy", keyAction: "kms:ScheduleKeyDeletion"))
        let admin = try #require(found.first { $0.rule == Rule.policyCrossAccountAdmin.id })
        #expect(admin.message.contains("'s3:PutBucketPolicy' gives account 444455556666"))
        #expect(admin.range.start.line == 11)
        let ineffective = try #require(found.first { $0.rule == Rule.policyKMSIneffective.id })
        #expect(ineffective.message.contains("kms:ScheduleKeyDeletion to account 444455556666"))
        #expect(ineffective.range.start.line == 21)
    }

    @Test("data actions the partner may use across accounts are not reported")
    func dataGrantsToPlaceholder() throws {
        let found = try Self.findings(Self.guide(bucketAction: "s3:GetBucketLocation", keyAction: "kms:DescribeKey"))
        #expect(
            !found.contains { $0.rule == Rule.policyCrossAccountAdmin.id || $0.rule == Rule.policyKMSIneffective.id })
    }

    /// Every account written as a placeholder, the key policy first: its first
    /// `kms:*` root statement is the owner's, the second hands the key to the partner.
    static let placeholderAccounts = """
        # Sharing a bucket

        The key policy, in the owner's account:

        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "KeyAdmin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::OWNER-ACCOUNT-ID:root"},
           "Action": "kms:*", "Resource": "*"},
          {"Sid": "PartnerUse", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::PARTNER-ACCOUNT-ID:root"},
           "Action": "kms:*", "Resource": "*"}]}
        ```

        The bucket policy:

        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::PARTNER-ACCOUNT-ID:root"},
           "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
           "Resource": ["arn:aws:s3:::example-shared", "arn:aws:s3:::example-shared/*"]}]}
        ```

        In the partner account, the role's IAM policy:

        ```json
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
           "Resource": ["arn:aws:s3:::example-shared", "arn:aws:s3:::example-shared/*"]},
          {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
           "Resource": "arn:aws:kms:us-east-1:OWNER-ACCOUNT-ID:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
        ```
        """

    @Test("a placeholder for the owner's root is the owner: no lockout warning, its kms:* is never narrowed")
    func ownerRootPlaceholder() throws {
        let found = try Self.findings(Self.placeholderAccounts)
        #expect(!found.contains { $0.rule == Rule.policyKeyLockout.id })
        let narrowed = found.filter { $0.rule.rawValue == "guide-least-privilege" }
        #expect(
            narrowed.map(\.message) == [
                "statement PartnerUse grants kms:* to another account where kms:Decrypt, kms:GenerateDataKey suffice"
            ])
        // Nothing about the administrative statement (lines 7-8).
        #expect(!found.contains { (7...8).contains($0.range.start.line) && $0.severity != .note })
    }

    @Test("the second kms:* root of a key policy is bound to the partner, and the flow runs as the partner")
    func partnerRootPlaceholder() throws {
        let classified = BlockClassifier.classify(
            GuideParser.parse(path: "guide.md", bytes: Array(Self.placeholderAccounts.utf8)))
        let report = GuideAnalysis.analyze(classified)
        #expect(report.placeholderAccounts["OWNER-ACCOUNT-ID"] == "111122223333")
        #expect(report.placeholderAccounts["PARTNER-ACCOUNT-ID"] == "444455556666")
        #expect(report.flow?.partner.contains("444455556666") == true)
        #expect(report.flow?.works == true)
    }
}
