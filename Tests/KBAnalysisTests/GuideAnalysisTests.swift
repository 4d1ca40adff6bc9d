import Foundation
import KBBlocks
import KBDiagnostics
import KBGuide
import KBPolicyLint
import KBTestSupport
import Testing

@testable import KBAnalysis

func guide(_ text: String) -> ClassifiedGuide {
    BlockClassifier.classify(GuideParser.parse(path: "guide.md", bytes: Array(text.utf8)))
}

/// A working cross-account setup, as blocks; `replace` edits it to break a layer.
func crossAccountGuide(replacing replacements: [(String, String)] = []) -> String {
    var text = PartnerGuide.markdown(
        bucketStatements: """
              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/Reader"},
               "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::example-shared/*"},
              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/Reader"},
               "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example-shared"}
            """,
        keyStatements: """
              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/Reader"},
               "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"}
            """)
    for (old, new) in replacements { text = text.replacingOccurrences(of: old, with: new) }
    return text
}

@Suite struct ClassificationTests {
    @Test("prose that contradicts the structure is a finding, not the decision")
    func conflict() {
        let text =
            "The key policy:\n\n```json\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}\n```"
        let report = GuideAnalysis.analyze(guide(text))
        #expect(report.blocks.first?.policyKind == .identity)
        #expect(report.diagnostics.map(\.rule) == [Rule.guideKindConflict.id])
    }
}

@Suite struct FlowTests {
    @Test("a complete setup works end to end")
    func works() throws {
        let report = GuideAnalysis.analyze(guide(crossAccountGuide()))
        let flow = try #require(report.flow)
        #expect(flow.works)
        #expect(flow.steps.map(\.operation) == ["PutObject", "GetObject", "ListBucket"])
        #expect(flow.keyARN == "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
        // A working flow is not a finding; `verify` reports it in its summary.
        #expect(report.diagnostics.isEmpty)
        #expect(
            flow.summary.hasPrefix("works: arn:aws:iam::444455556666:role/Reader can PutObject, GetObject, ListBucket"))
    }

    @Test(
        "each broken layer is named, at the block to change",
        arguments: [
            (
                "\"Action\": [\"kms:Decrypt\", \"kms:GenerateDataKey\"], \"Resource\": \"*\"",
                "\"Action\": [\"kms:Decrypt\"], \"Resource\": \"*\"", PolicyLayer.keyPolicy, 15
            ),
            (
                "\"s3:GetObject\", \"s3:PutObject\", \"s3:ListBucket\"", "\"s3:GetObject\", \"s3:ListBucket\"",
                .identityPolicy, 24
            ),
            (
                "\"Action\": [\"s3:GetObject\", \"s3:PutObject\"], \"Resource\": \"arn:aws:s3:::example-shared/*\"",
                "\"Action\": [\"s3:GetObject\"], \"Resource\": \"arn:aws:s3:::example-shared/*\"", .bucketPolicy, 5
            ),
        ])
    func brokenLayer(old: String, new: String, layer: PolicyLayer, line: Int) throws {
        let report = GuideAnalysis.analyze(guide(crossAccountGuide(replacing: [(old, new)])))
        let flow = try #require(report.flow)
        #expect(!flow.works)
        let denied = try #require(flow.steps.first { !$0.allowed })
        #expect(denied.deniedBy == [layer])
        let finding = try #require(report.diagnostics.first { $0.rule == .guideFlow && $0.severity == .error })
        #expect(finding.range.start.line == line)
    }

    @Test("a guide without a key policy says what is missing; a guide with no other account has no flow")
    func missing() throws {
        let noKey = crossAccountGuide(replacing: [("The key policy:", "Another:"), ("\"kms:*\"", "\"kms:*\"")])
        let withoutKeyBlock = noKey.components(separatedBy: "Another:")[0]
        let report = GuideAnalysis.analyze(guide(withoutKeyBlock))
        #expect(report.flow?.missing.contains("a key policy") == true)
        #expect(report.diagnostics.first { $0.rule == .guideFlow }?.severity == .note)
        let single = GuideAnalysis.analyze(
            guide(
                "```json\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}\n```"
            ))
        #expect(single.flow == nil)
    }

    @Test("placeholders get example values so the flow still runs")
    func placeholders() throws {
        let text = crossAccountGuide(replacing: [
            ("arn:aws:iam::444455556666:role/Reader", "<partner-role-arn>"), ("example-shared", "<bucket-name>"),
            ("1234abcd-12ab-34cd-56ef-1234567890ab", "KEY_ID"),
        ])
        let flow = try #require(GuideAnalysis.analyze(guide(text)).flow)
        #expect(flow.works)
        #expect(flow.substitutions.map(\.placeholder).contains("<bucket-name>"))
    }
}

@Suite struct ConsistencyTests {
    @Test("kms:* to another account gets a narrower replacement statement; an admin's own policy does not")
    func leastPrivilege() throws {
        let text = crossAccountGuide(replacing: [
            (
                "\"Action\": [\"kms:Decrypt\", \"kms:GenerateDataKey\"], \"Resource\": \"*\"}]}",
                "\"Action\": \"kms:*\", \"Resource\": \"*\"}]}"
            )
        ])
        let report = GuideAnalysis.analyze(guide(text))
        let finding = try #require(report.diagnostics.first { $0.rule == .guideLeastPrivilege })
        #expect(
            finding.message
                == "statement #2 grants kms:* to another account where kms:Decrypt, kms:GenerateDataKey suffice")
        #expect(finding.notes.last?.contains("\"Action\": [\"kms:Decrypt\", \"kms:GenerateDataKey\"]") == true)
        #expect(finding.fix?.replacement == "[\"kms:Decrypt\", \"kms:GenerateDataKey\"]")
        #expect(report.diagnostics.filter { $0.rule == .guideLeastPrivilege }.count == 1)
    }

    @Test("a bucket spelt two ways and placeholders spelt alike are reported once each, with related places")
    func spellings() throws {
        let text = crossAccountGuide(replacing: [
            ("\"Resource\": \"arn:aws:s3:::example-shared\"}]}", "\"Resource\": \"arn:aws:s3:::example-sahred\"}]}")
        ])
        let report = GuideAnalysis.analyze(guide(text))
        let spelling = report.diagnostics.filter { $0.rule == .guideBucketSpelling }
        #expect(spelling.count == 1)
        #expect(spelling.first?.message.hasPrefix("the bucket is 'example-sahred' here but 'example-shared'") == true)
        #expect(spelling.first?.related.count == 3)
        #expect(!report.diagnostics.contains { $0.rule == .guideIdentityNotCovered })
    }

    @Test("the identity policy naming another key than the bucket's is an error")
    func keyMismatch() throws {
        let text =
            crossAccountGuide() + """


                Default encryption:

                ```json
                {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:us-east-1:111122223333:key/ffffffff-12ab-34cd-56ef-1234567890ab"}}]}
                ```
                """
        let report = GuideAnalysis.analyze(guide(text))
        let finding = try #require(report.diagnostics.first { $0.rule == .guideKeyMismatch })
        #expect(finding.severity == .error)
        #expect(finding.related.first?.message == "the key the bucket uses")
    }
}

@Suite struct ReviewRegressionTests {
    @Test("least privilege never suggests more than the wildcard grants, and keeps explicit actions")
    func neverWider() throws {
        let text = crossAccountGuide(replacing: [
            (
                "\"Action\": [\"s3:GetObject\", \"s3:PutObject\"], \"Resource\": \"arn:aws:s3:::example-shared/*\"",
                "\"Action\": [\"s3:Get*\", \"s3:PutObjectAcl\"], \"Resource\": \"arn:aws:s3:::example-shared/*\""
            )
        ])
        let finding = try #require(
            GuideAnalysis.analyze(guide(text)).diagnostics.first { $0.rule == .guideLeastPrivilege })
        #expect(finding.fix?.replacement == "[\"s3:PutObjectAcl\", \"s3:GetObject\"]")
        #expect(!finding.message.contains("s3:PutObject,"))
    }

    @Test("names that tell parties or Regions apart are not misspellings")
    func partiesAndRegions() {
        #expect(!GuideAnalysis.similar("ACCOUNT_A", "ACCOUNT_B"))
        #expect(!GuideAnalysis.similar("<ACCOUNT-A-ID>", "<ACCOUNT-B-ID>"))
        #expect(!GuideAnalysis.similar("example-logs-us-east-1", "example-logs-eu-west-1"))
        #expect(!GuideAnalysis.similar("example-data-prod", "example-data-dev"))
        #expect(GuideAnalysis.similar("example-team-reports", "example-team-report"))
        #expect(GuideAnalysis.similar("arn-of-the-existing-account-role", "arn-of-the-exisiting-acct-role"))
    }
}

/// Which account holds each policy, for the site's "across accounts" badges.
@Suite struct AccountAttributionTests {
    @Test("resource policies are the owner's; the partner's identity policy is the partner's")
    func holders() throws {
        let report = GuideAnalysis.analyze(guide(crossAccountGuide()))
        let blocks = report.blocks
        #expect(blocks.map(\.policyKind) == [.bucket, .key, .identity])
        #expect(report.account(holding: blocks[0]) == "111122223333")
        #expect(report.account(holding: blocks[1]) == "111122223333")
        // "In the partner account, the role's IAM policy": the partner's.
        #expect(report.account(holding: blocks[2]) == "444455556666")
        let labelled = GuideAnalysis.analyze(
            guide(crossAccountGuide(replacing: [("In the partner account, the role's", "The role's")])))
        #expect(labelled.account(holding: labelled.blocks[2]) == "111122223333")
    }
}
