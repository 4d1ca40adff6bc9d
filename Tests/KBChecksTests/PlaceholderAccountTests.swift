import Foundation
import KBChecks
import KBDiagnostics
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
        PartnerGuide.markdown(
            bucketStatements: """
                  {"Effect": "Allow", "Principal": {"AWS": "arn-of-the-partner-role"},
                   "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
                   "Resource": ["arn:aws:s3:::example-shared", "arn:aws:s3:::example-shared/*"]},
                  {"Effect": "Allow", "Principal": {"AWS": "arn-of-the-partner-role"},
                   "Action": "\(bucketAction)", "Resource": "arn:aws:s3:::example-shared"}
                """,
            keyStatements: """
                  {"Effect": "Allow", "Principal": {"AWS": "arn-of-the-partner-role"},
                   "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"},
                  {"Effect": "Allow", "Principal": {"AWS": "arn-of-the-partner-role"}, "Action": "\(keyAction)", "Resource": "*"}
                """)
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
}
