import Foundation
import KBChecks
import KBDiagnostics
import KBTestSupport
import Testing

/// Warnings the guide has already answered are not repeated: a policy meant to
/// be public, a statement shown to be added to a key policy.
@Suite struct AuthorIntentTests {
    static func rules(_ guide: String) throws -> [RuleID] {
        let folder = try TemporaryFolder("kbtool-intent", files: ["g.md": guide])
        defer { folder.remove() }
        return try Verifier().verify(try InputCollector.collect([folder.path])).diagnostics.map(\.rule)
    }

    static let publicRead = """
        {"Version": "2012-10-17", "Statement": [{"Sid": "ReadObjects", "Effect": "Allow", "Principal": "*",
          "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}
        """

    @Test("Principal \"*\" is reported unless the guide says the bucket is meant to be public")
    func publicOnPurpose() throws {
        #expect(
            try Self.rules("# Sharing\n\nThe bucket policy:\n\n```json\n\(Self.publicRead)\n```\n")
                .contains(RuleID("policy-public-principal")))
        #expect(
            try !Self.rules(
                "# Hosting\n\nFor a static website, the bucket policy:\n\n```json\n\(Self.publicRead)\n```\n"
            )
            .contains(RuleID("policy-public-principal")))
        let bySid = Self.publicRead.replacingOccurrences(of: "ReadObjects", with: "PublicReadGetObject")
        #expect(
            try !Self.rules("# Sharing\n\nThe bucket policy:\n\n```json\n\(bySid)\n```\n")
                .contains(RuleID("policy-public-principal")))
    }

    @Test("another service's policy gets the checks every policy language shares, not a bucket policy's")
    func servicePolicy() throws {
        let endpoint = """
            {"Statement": [{"Sid": "Allow-from-endpoint", "Effect": "Allow", "Principal": "*",
              "Action": ["kms:Decrypt", "kms:Decrypts"],
              "Resource": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}]}
            """
        let found = try Self.rules("# Endpoint\n\nAttach this VPC endpoint policy:\n\n```json\n\(endpoint)\n```\n")
        #expect(found.contains(RuleID("policy-unknown-action")))
        #expect(found.contains(RuleID("policy-version-missing")))
        #expect(!found.contains(RuleID("policy-sid-format")))
        #expect(!found.contains(RuleID("policy-public-principal")))
    }

    @Test("a key policy shown as a statement to add is not asked for the owner's root statement")
    func statementToAdd() throws {
        let key = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
              "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*"}]}
            """
        #expect(
            try Self.rules("# Key\n\nThe key policy:\n\n```json kind=key-policy\n\(key)\n```\n")
                .contains(RuleID("policy-key-lockout")))
        #expect(
            try !Self.rules(
                "# Key\n\nAdd the following statement to the key policy:\n\n```json kind=key-policy\n\(key)\n```\n"
            )
            .contains(RuleID("policy-key-lockout")))
    }
}
