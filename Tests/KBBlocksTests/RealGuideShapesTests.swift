import KBBlocks
import KBGuide
import KBJSON
import KBPolicy
import KBPolicyLint
import Testing

/// What other people's guides put in code blocks that start like JSON, and how
/// each is read: the shapes found in AWS's S3 and KMS guides, written anew.
@Suite struct RealGuideShapesTests {
    @Test(
        "text that starts like JSON but is something else",
        arguments: [
            ("```\n[default]\nregion = us-east-1\noutput = json\n```", BlockKind.cliConfig),
            (
                "```bash\n[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/Admin\nsource_profile = default\n```",
                .cliConfig
            ),
            (
                "```\n[07/Mar/2021:10:00:01 +0000] GET /example-object 200\n[07/Mar/2021:10:00:02 +0000] PUT /x 200\n```",
                .logLines
            ),
            ("```\n[!] `Pod` requires CocoaPods version `>= 1.10.2`\n```", .logLines),
            (
                "```\n[ec2-user@ip-10-0-0-1 ~]$ curl http://169.254.169.254/latest/meta-data/iam; echo\n```",
                .shellCommands
            ),
            ("```\n[root@example-host /]# cat /etc/hostname\nexample-host\n```", .shellCommands),
            ("```\n{\"id\": 1, \"name\": \"a\"}\n{\"id\": 2, \"name\": \"b\"}\n```", .jsonLines),
            ("```\n{\n  \"Protocol\": \"http\"|\"https\"\n}\n```", .illustration),
            ("```\n{\n  \"Size\": <number>,\n  \"Name\": \"x\"\n}\n```", .illustration),
            ("```\n{\n  \"CiphertextBlob\": blob\n}\n```", .illustration),
        ])
    func notJSON(text: String, kind: BlockKind) throws {
        let block = try #require(classify(text).blocks.first)
        #expect(block.kind == kind)
        #expect(!block.kind.isJSON)
    }

    @Test("an array of JSON, a bracketed word in a bash block, or a section without settings stays what it was")
    func lookalikesThatAreNot() throws {
        #expect(try #require(classify("```\n[1, 2]\n```").blocks.first).kind == .jsonData)
        #expect(try #require(classify("```bash\n[ -f x ] && echo y\n```").blocks.first).kind == .shellCommands)
        #expect(TextShape.isINI("[default]\n") == false)
        #expect(TextShape.isLog("[\"a\", \"b\"]") == false)
        #expect(TextShape.isBracketedPrompt("[\"user@example.com\"]") == false)
        #expect(TextShape.isBracketedPrompt("[\"a@b\", \"c\"]") == false)
        #expect(try #require(classify("```\n[\"user@example.com\", \"x\"]\n```").blocks.first).kind == .jsonData)
        #expect(TextShape.isJSONLines("{\"a\": 1}") == false)
    }

    @Test("statements shown one after another are an excerpt: statements, not a broken policy")
    func statementsExcerpt() throws {
        let text = """
            ```
            {
              "Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
              "Action": "kms:*",
              "Resource": "*"
            },
            {
              "Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
              "Action": "kms:Decrypt",
              "Resource": "*"
            }
            ```
            """
        let block = try #require(classify(text).blocks.first)
        #expect(block.kind == .statement)
        #expect(block.document?.statements.count == 2)
        #expect(block.isExcerpt)
        #expect(block.json?.issues.isEmpty == true)
    }

    @Test("'...' where statements are left out is an excerpt; a missing comma inside a statement is still one")
    func elision() throws {
        let elided = """
            ```json
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
                ...
              ]
            }
            ```
            """
        let block = try #require(classify(elided).blocks.first)
        #expect(block.json?.issues.isEmpty == true)
        #expect(block.liberties.contains(.elision))
        #expect(block.policyKind == .key)
        let broken = """
            ```json
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow" "Action": "s3:GetObject", "Resource": "*"},
                ...
              ]
            }
            ```
            """
        let bad = try #require(classify(broken).blocks.first)
        #expect(bad.json?.issues.contains { $0.message.contains("expected ','") } == true)
    }

    @Test("members shown alone, with a comment for the rest, are an excerpt of an object")
    func fragmentWithComment() throws {
        let block = try #require(
            classify("```json\n\"dependencies\": {\n  \"left-pad\": \"1.3.0\",\n\n  //Other dependencies here\n}\n```")
                .blocks.first)
        #expect(block.json?.issues.isEmpty == true)
        #expect(block.liberties.contains(.fragment))
        #expect(block.isExcerpt)
        // Not in a whole document: there the comment and the comma are defects.
        let whole = try #require(classify("```json\n{\"a\": 1,\n // more\n}\n```").blocks.first)
        #expect(whole.json?.issues.count == 2)
    }

    @Test("a label line before printed JSON is set aside; callout images too")
    func labelsAndCallouts() throws {
        let labelled = try #require(classify("```json\nBUILD_STATUS:\n{\"status\": \"ok\"}\n```").blocks.first)
        #expect(labelled.kind == .jsonData)
        #expect(labelled.json?.issues.isEmpty == true)
        #expect(labelled.liberties == [.label])
        let labels = try #require(
            classify("```json\nBUILD_STATUS: Success\nSTEPS_STATUS:\n[{\"step\": \"clone\"}]\n```").blocks.first)
        #expect(labels.json?.issues.isEmpty == true)
        #expect(labels.value?.elements?.count == 1)
        let callout = try #require(
            classify("```json\n{\"a\": 1, ![1](images/callouts/1.png)\n \"b\": 2}\n```").blocks.first)
        #expect(callout.json?.issues.isEmpty == true)
        #expect(callout.liberties == [.callout])
        #expect(!callout.isExcerpt)
    }

    @Test(
        "other services' resource policies are recognised, by their actions or by the prose",
        arguments: [
            (
                "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"s3.amazonaws.com\"}, \"Action\": \"SNS:Publish\", \"Resource\": \"arn:aws:sns:us-east-1:111122223333:topic\"}]}",
                "SNS topic policy"
            ),
            (
                "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"s3.amazonaws.com\"}, \"Action\": [\"SQS:SendMessage\"], \"Resource\": \"SQS-queue-ARN\"}]}",
                "SQS queue policy"
            ),
        ])
    func servicePolicies(json: String, name: String) throws {
        let block = try #require(classify("The access policy:\n\n```\n\(json)\n```\n").blocks.first)
        #expect(block.kind == .servicePolicy(name))
        #expect(block.policyKind == nil)
        let byProse = try #require(
            classify(
                "Add this VPC endpoint policy:\n\n```json\n{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}\n```\n"
            ).blocks.first)
        #expect(byProse.kind == .servicePolicy("VPC endpoint policy"))
    }

    @Test("a key policy's owner is the account its administrative root statement names")
    func statedOwner() throws {
        let key = """
            ```json
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt", "Resource": "*"}]}
            ```
            """
        #expect(try #require(classify("The key policy:\n\n" + key).blocks.first).statedOwner == "111122223333")
        let attributed = "```json account=777788889999\n{\"Statement\": []}\n```"
        #expect(try #require(classify(attributed).blocks.first).statedOwner == "777788889999")
        let noRoot =
            "The key policy:\n\n```json\n{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/R\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}]}\n```"
        #expect(try #require(classify(noRoot).blocks.first).statedOwner == nil)
    }

    @Test("sections start at headings and at paragraphs that open with a bold line")
    func sections() throws {
        let guide = classify(
            """
            # Examples

            ```json
            {"a": 1}
            ```

            **Example 1 – reading**  
            The following policy:

            ```json
            {"b": 1}
            ```

            Still example 1:

            ```json
            {"c": 1}
            ```

            ## Next

            ```json
            {"d": 1}
            ```
            """)
        #expect(guide.blocks.map(\.section) == [1, 7, 7, 20])
    }

    @Test("prose that shows a block as part of a policy, or an example of one")
    func shownAsPart() {
        #expect(PolicyProse.callsExcerpt("Add the following statement to the key policy"))
        #expect(PolicyProse.callsExcerpt("The following example key policy allows"))
        #expect(!PolicyProse.callsExcerpt("Attach this key policy to the key"))
    }
}
