import KBBlocks
import KBDiagnostics
import KBGuide
import Testing

@testable import KBCommandCheck

/// Every `aws` command of a guide outside transcripts is checked, and each
/// finding is located at the word it is about.
@Suite struct GuideCommandsTests {
    static func findings(_ markdown: String) -> [(rule: String, line: Int, column: Int, message: String)] {
        let guide = BlockClassifier.classify(GuideParser.parse(path: "guide.md", bytes: Array(markdown.utf8)))
        return GuideCommands.check(guide, directory: nil).flatMap(\.diagnostics).map {
            ($0.rule.rawValue, $0.range.start.line, $0.range.start.column, $0.message)
        }
    }

    @Test("a runbook of bare commands: each refused command on its line, at its word")
    func runbook() {
        let found = Self.findings(
            """
            # Runbook

            ```bash
            aws kms create-key --key-specs RSA_2048
            aws s3api get-objects --bucket amzn-s3-demo-bucket --key report.csv out.csv
            aws s3 cp report.csv s3://amzn-s3-demo-bucket/ \\
                --ssekms-key-id "$KEY_ID"
            aws s3api put-bucket-encryption --bucket amzn-s3-demo-bucket
            aws ec2 describe-instances --filters Name=instance-state-name,Values=running
            ```
            """)
        #expect(found.map(\.rule) == ["command-option", "command-unknown", "command-option", "command-required"])
        #expect(found.map(\.line) == [4, 5, 7, 8])
        #expect(found.map(\.column) == [20, 11, 5, 1])
        #expect(found[2].message.contains("s3api put-object"))
    }

    @Test(
        "blocks of every shell kind are read; other languages are not",
        arguments: [
            ("bash", 1), ("sh", 1), ("shell", 1), ("zsh", 1), ("", 1), ("powershell", 1), ("python", 0),
            ("json", 0),
        ])
    func languages(language: String, expected: Int) {
        let found = Self.findings("```\(language)\naws ksm list-keys\n```\n")
        #expect(found.count == expected, "\(language): \(found)")
    }

    @Test("untagged blocks with prompts: output lines are not commands")
    func promptedUntagged() {
        let found = Self.findings("```\n$ aws kms list-keys --limit ten\naws ksm is output here\n```\n")
        #expect(found.map(\.rule) == ["command-value"])
        #expect(found.first?.line == 2 && found.first?.column == 29)
    }

    @Test("PowerShell backtick continuations locate the word on its own line")
    func powershell() {
        let found = Self.findings("```powershell\naws kms create-key `\n    --key-specs RSA_2048\n```\n")
        #expect(found.map(\.rule) == ["command-option"])
        #expect(found.first?.line == 3 && found.first?.column == 5)
    }

    @Test("spaces the shell does not read as the guide means are command-syntax errors")
    func brokenSpaces() {
        let noBreak = Self.findings("```bash\naws s3api get-bucket-lifecycle\u{00A0}--bucket b\n```\n")
        #expect(noBreak.map(\.rule) == ["command-syntax"])
        #expect(noBreak.first?.message.contains("U+00A0") == true)
        let trailing = Self.findings("```bash\naws kms import-key-material --key-id k \\ \n  --import-token x\n```\n")
        #expect(trailing.first?.rule == "command-syntax")
        #expect(trailing.first?.line == 2)
        let unclosed = Self.findings("```bash\naws s3 ls 's3://b\n```\n")
        #expect(unclosed.map(\.rule) == ["command-syntax"])
        let open = Self.findings("```bash\naws s3 ls \\\n```\n")
        #expect(open.map(\.rule) == ["command-syntax"])
    }

    @Test("a missing required option whose line is followed by options suspects a missing backslash")
    func missingBackslash() throws {
        let found = Self.findings(
            "```bash\naws s3api put-bucket-policy\n  --bucket b\n  --policy file://p.json\n```\n")
        #expect(found.map(\.rule) == ["command-required"])
        let guide = BlockClassifier.classify(
            GuideParser.parse(
                path: "guide.md",
                bytes: Array("```bash\naws s3api put-bucket-policy\n  --bucket b\n```\n".utf8)))
        let notes = try #require(GuideCommands.check(guide, directory: nil).first?.diagnostics.first?.notes)
        #expect(notes.contains { $0.contains("'\\' is probably missing") })
    }

    @Test("file:// values name files the guide shows, or get a note")
    func files() {
        let shown = Self.findings(
            """
            ```json title="trust.json"
            {"Version": "2012-10-17", "Statement": []}
            ```

            ```bash
            aws iam create-role --role-name R --assume-role-policy-document file://trust.json
            aws iam put-role-policy --role-name R --policy-name P --policy-document file://missing.json
            aws sts assume-role --role-arn arn:aws:iam::111122223333:role/R --role-session-name s > creds.json
            aws iam put-role-policy --role-name R --policy-name P --policy-document file://creds.json
            aws iam put-role-policy --role-name R --policy-name P --policy-document file://C:\\policies\\p.json
            ```
            """)
        #expect(shown.map(\.rule) == ["command-file"])
        #expect(shown.first?.message.contains("missing.json") == true)
    }

    @Test("placeholders and shell values are values, never errors")
    func placeholders() {
        let found = Self.findings(
            """
            ```bash
            aws kms create-key --key-spec <key-spec> --description "${DESCRIPTION}"
            aws s3api get-object --bucket <bucket name> --key $KEY ./out
            aws s3control create-job --account-id "$ACCOUNT" --manifest "${MANIFEST}" --operation "$OP" \\
                --report "$REPORT" --priority 10 --role-arn "$ROLE"
            response=$(aws s3api create-bucket --bucket "$b" $extra_args)
            ```
            """)
        #expect(found.isEmpty, "\(found)")
    }

    @Test("code that only mentions aws is not a command")
    func notCommands() {
        let found = Self.findings(
            """
            ```
            import (
                "github.com/aws/aws-sdk-go-v2/aws"
            )
            ```
            """)
        #expect(found.isEmpty, "\(found)")
    }

    @Test("a 100,000-character command and a JSON value nested 10,000 deep get a located finding, not a crash")
    func hugeInputs() {
        let long = String(repeating: "x", count: 100_000)
        let longFound = Self.findings("```bash\naws kms create-key --key-specs \(long)\n```\n")
        // Too long to check word by word: said once, at the command, not parsed.
        #expect(longFound.map(\.rule) == ["command-syntax"])
        #expect(longFound.first?.line == 2 && longFound.first?.column == 1)
        #expect(longFound.first?.message.contains("not checked") == true)

        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let deepFound = Self.findings(
            "```bash\naws s3api put-bucket-tagging --bucket b --tagging '\(deep)'\n```\n")
        #expect(deepFound.map(\.rule) == ["command-value"], "\(deepFound)")
        #expect(deepFound.first?.line == 2)

        let deepShorthand = String(repeating: "{", count: 10_000)
        let shorthandFound = Self.findings(
            "```bash\naws s3api put-bucket-tagging --bucket b --tagging TagSet=\(deepShorthand)\n```\n")
        #expect(shorthandFound.map(\.rule) == ["command-value"], "\(shorthandFound)")
    }
}
