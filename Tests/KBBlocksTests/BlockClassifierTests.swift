import KBBlocks
import KBGuide
import KBJSON
import KBPolicy
import KBPolicyLint
import Testing

func classify(_ text: String) -> ClassifiedGuide {
    BlockClassifier.classify(GuideParser.parse(path: "guide.md", bytes: Array(text.utf8)))
}

/// What each code block is, decided once for every reader of it.
@Suite struct BlockClassifierTests {
    static let bucketPolicy = """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::444455556666:role/Reader"},
          "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-shared/*"}]}
        """

    @Test(
        "prose names the kind",
        arguments: [
            ("Add this bucket policy to the bucket", PolicyKind.bucket),
            ("Then update the KMS policy so account B can use the key", .key),
            ("Attach this IAM policy to the role in account B", .identity),
            ("The role's trust relationship", .trust),
            ("An SCP for the organization", .scp),
            ("Attach this IAM policy; unlike the bucket policy it has no Principal", .identity),
        ])
    func prose(text: String, kind: PolicyKind) {
        #expect(PolicyProse.kind(in: text) == kind)
    }

    @Test("words containing scp or rcp are not acronyms")
    func acronyms() {
        #expect(PolicyProse.kind(in: "the rcpt field of the transcript") == nil)
    }

    @Test("the deciding evidence: kind=, title, prose when the structure agrees, else structure")
    func evidence() throws {
        let guide = classify("The bucket policy:\n\n```json\n\(Self.bucketPolicy)\n```\n")
        #expect(guide.blocks.map(\.kind) == [.policy(.bucket)])
        #expect(guide.blocks[0].evidence == "the paragraph before it calls it a bucket policy")
        let labelled = classify(
            "```json kind=key-policy\n{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}\n```"
        )
        #expect(labelled.blocks.first?.evidence == "kind=key-policy")
        let titled = classify("```json title=\"partner-identity.json\"\n\(Self.bucketPolicy)\n```")
        #expect(titled.blocks.first?.kind == .policy(.identity))
        #expect(titled.blocks.first?.evidence == "its title 'partner-identity.json'")
        let fragment = classify(
            "```json\n{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n```")
        #expect(fragment.blocks.first?.kind == .statement)
        #expect(fragment.blocks.first?.document?.statements.count == 1)
        let encryption = classify(
            "```json\n{\"Rules\": [{\"ApplyServerSideEncryptionByDefault\": {\"SSEAlgorithm\": \"aws:kms\"}}]}\n```")
        #expect(encryption.blocks.first?.kind == .configuration(.bucketEncryption))
    }

    @Test("a policy in a bare fence is a policy, with its JSON and its policy parsed once")
    func bareFencePolicy() throws {
        let guide = classify("The bucket policy:\n\n```\n\(Self.bucketPolicy)\n```\n")
        let block = try #require(guide.blocks.first)
        #expect(block.kind == .policy(.bucket))
        #expect(block.dialect == .strict)
        #expect(block.value?["Statement"] != nil)
        #expect(block.policy?.document.statements.count == 1)
        #expect(guide.documents.count == 1)
    }

    @Test(
        "each kind, from the fence's language or its text",
        arguments: [
            ("```console\n$ aws sts get-caller-identity\n```", BlockKind.transcript, "its language is console"),
            ("```shell-session\n$ echo hi\nhi\n```", .transcript, "its language is shell-session"),
            ("```bash\naws s3 ls\n```", .shellCommands, "its language is bash"),
            ("```\n[1, 2, 3]\n```", .jsonData, "it has no Statement"),
            ("```json\n{\"Buckets\": []}\n```", .jsonData, "it has no Statement"),
            ("```json\n{\"broken\": \n```", .jsonData, "its JSON does not parse"),
            ("```\nplain text\n```", .other, "it has no language and is not JSON"),
            ("```python\n{'a': 1}\n```", .other, "its language is python"),
        ])
    func kinds(text: String, kind: BlockKind, evidence: String) throws {
        let block = try #require(classify(text).blocks.first)
        #expect(block.kind == kind)
        #expect(block.evidence == evidence)
        #expect((block.dialect != nil) == kind.isJSON)
    }

    @Test("the fence's dialect decides how the JSON is read")
    func dialects() throws {
        let jsonc = try #require(classify("```jsonc\n// a comment\n{\"a\": 1,}\n```").blocks.first)
        #expect(jsonc.dialect == .jsonc)
        #expect(jsonc.json?.issues.isEmpty == true)
        let json = try #require(classify("```json\n// a comment\n{\"a\": 1}\n```").blocks.first)
        #expect(json.json?.issues.isEmpty == false)
    }

    @Test("a labelled document without a Statement is still read as a policy for the checks")
    func labelled() throws {
        let block = try #require(
            classify("```json kind=bucket-policy\n{\"Version\": \"2012-10-17\"}\n```").blocks.first)
        #expect(block.policy != nil)
        #expect(block.kind == .jsonData)
    }

    @Test("blocks nested in lists are classified in document order, with the item's paragraph as context")
    func nested() throws {
        let guide = classify(
            "# Steps\n\n1. Apply the key policy:\n\n   ```json\n   {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}]}\n   ```\n\n2. Then run:\n\n   ```console\n   $ aws s3 ls\n   ```\n"
        )
        #expect(guide.blocks.map(\.kind) == [.policy(.key), .transcript])
        #expect(guide.blocks[0].paragraph == "Apply the key policy:")
        #expect(guide.blocks[0].heading == "Steps")
    }
}
